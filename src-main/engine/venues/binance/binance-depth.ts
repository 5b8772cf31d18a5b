/**
 * Binance `depthUpdate` frames, text in → scaled integers out.
 *
 * The fast path scans the frame's JSON text in one pass for the exact shape Binance sends
 * (`{"e":"depthUpdate","E":…,"s":"…","U":…,"u":…,"b":[[p,q],…],"a":[[p,q],…]}`, any JSON
 * whitespace between tokens) and turns each price/quantity straight into ticks/lots, without
 * building the intermediate objects and strings JSON.parse would. It follows DecimalCodec's
 * rules but is stricter: anything it is not certain about (another key order, an extra key, an
 * escaped string, an exponent, a leading zero, an off-grid or out-of-range value, bad JSON)
 * makes it return undefined, and the caller takes the reference path (JSON.parse +
 * `depthDiffFromJson` + DecimalCodec), which decides. So the fast path can only ever be faster,
 * never different: a frame it accepts yields exactly what the reference path would.
 */
import type { DepthDiff } from './binance-book-sync';
import type { DecimalCodec, RawLevel } from '../../market/order-book';

/** A depth diff already converted to the book's units: flat `[ticks, lots, ticks, lots, …]`. */
export interface ScaledDepthDiff {
  readonly scaled: true;
  readonly U: number;
  readonly u: number;
  readonly E: number;
  readonly bids: number[];
  readonly asks: number[];
}

const WS_SP = 32;
const WS_TAB = 9;
const WS_LF = 10;
const WS_CR = 13;
const QUOTE = 34;
const COMMA = 44;
const DOT = 46;
const COLON = 58;
const LBRACKET = 91;
const RBRACKET = 93;
const LBRACE = 123;
const RBRACE = 125;
const BACKSLASH = 92;

/** Scanner state: the position is module-level so the helpers return values, not tuples. */
let pos = 0;

function ws(t: string): number {
  let c = t.charCodeAt(pos);
  while (c === WS_SP || c === WS_LF || c === WS_CR || c === WS_TAB) c = t.charCodeAt(++pos);
  return c;
}

/** Expects `"k":` at pos (after whitespace); returns false otherwise. Keys are one ASCII letter here. */
function key1(t: string, k: number): boolean {
  if (ws(t) !== QUOTE || t.charCodeAt(pos + 1) !== k || t.charCodeAt(pos + 2) !== QUOTE) return false;
  pos += 3;
  if (ws(t) !== COLON) return false;
  pos++;
  return true;
}

/** Expects `,` (then whitespace) before the next member. */
function comma(t: string): boolean {
  if (ws(t) !== COMMA) return false;
  pos++;
  return true;
}

/** A non-negative JSON integer without sign, fraction, exponent or leading zero; −1 when not one. */
function uint(t: string): number {
  let c = ws(t);
  if (!(c >= 48 && c <= 57)) return -1;
  let n = c - 48;
  c = t.charCodeAt(++pos);
  if (n === 0 && c >= 48 && c <= 57) return -1;
  while (c >= 48 && c <= 57) {
    n = n * 10 + (c - 48);
    c = t.charCodeAt(++pos);
  }
  if (c === DOT || c === 101 || c === 69 || n > Number.MAX_SAFE_INTEGER) return -1;
  return n;
}

/** Skips a plain string (no escapes, no control characters); false when it is not one. */
function plainString(t: string): boolean {
  if (ws(t) !== QUOTE) return false;
  const n = t.length;
  for (let i = pos + 1; i < n; i++) {
    const c = t.charCodeAt(i);
    if (c === QUOTE) {
      pos = i + 1;
      return true;
    }
    if (c === BACKSLASH || c < 32) return false;
  }
  return false;
}

/**
 * A quoted decimal as an integer count of `codec` steps (DecimalCodec.parse semantics, stricter
 * input); −1 when the fast path must not decide.
 */
function decimal(t: string, decimals: number, unitsPerStep: number): number {
  if (ws(t) !== QUOTE) return -1;
  let i = pos + 1;
  let c = t.charCodeAt(i);
  // Range compares, not `(c - 48) >>> 0 <= 9`: past the end charCodeAt is NaN, and NaN >>> 0 is 0.
  if (!(c >= 48 && c <= 57)) return -1;
  let units = 0;
  while (c >= 48 && c <= 57) {
    units = units * 10 + (c - 48);
    c = t.charCodeAt(++i);
  }
  let fd = 0;
  if (c === DOT) {
    c = t.charCodeAt(++i);
    while (fd < decimals && c >= 48 && c <= 57) {
      units = units * 10 + (c - 48);
      fd++;
      c = t.charCodeAt(++i);
    }
    // Padding past the step must be zeros; a finer digit is off-grid (the reference path says so).
    while (c === 48) c = t.charCodeAt(++i);
  }
  if (c !== QUOTE) return -1;
  pos = i + 1;
  for (; fd < decimals; fd++) units *= 10;
  if (units > Number.MAX_SAFE_INTEGER) return -1;
  if (unitsPerStep === 1) return units;
  const steps = units / unitsPerStep;
  return Number.isInteger(steps) ? steps : -1;
}

/** `[["p","q"],…]` into `out` as ticks, lots; false when the fast path must not decide. */
function levels(t: string, out: number[], pd: number, pu: number, qd: number, qu: number): boolean {
  if (ws(t) !== LBRACKET) return false;
  pos++;
  if (ws(t) === RBRACKET) {
    pos++;
    return true;
  }
  for (;;) {
    if (ws(t) !== LBRACKET) return false;
    pos++;
    const p = decimal(t, pd, pu);
    if (p < 0 || !comma(t)) return false;
    const q = decimal(t, qd, qu);
    if (q < 0 || ws(t) !== RBRACKET) return false;
    pos++;
    out.push(p, q);
    const c = ws(t);
    pos++;
    if (c === RBRACKET) return true;
    if (c !== COMMA) return false;
  }
}

const DEPTH_UPDATE = '"depthUpdate"';

/**
 * The fast path. Returns undefined when the frame is not exactly Binance's depthUpdate shape
 * or any value needs the reference path's judgement; the caller then uses `parseDepthUpdate`.
 */
export function decodeDepthUpdate(t: string, price: DecimalCodec, qty: DecimalCodec): ScaledDepthDiff | undefined {
  pos = 0;
  if (ws(t) !== LBRACE) return undefined;
  pos++;
  if (!key1(t, 101 /* e */)) return undefined;
  ws(t);
  if (!t.startsWith(DEPTH_UPDATE, pos)) return undefined;
  pos += DEPTH_UPDATE.length;
  if (!comma(t) || !key1(t, 69 /* E */)) return undefined;
  const E = uint(t);
  if (E < 0 || !comma(t) || !key1(t, 115 /* s */) || !plainString(t)) return undefined;
  if (!comma(t) || !key1(t, 85 /* U */)) return undefined;
  const U = uint(t);
  if (U < 0 || !comma(t) || !key1(t, 117 /* u */)) return undefined;
  const u = uint(t);
  if (u < 0 || !comma(t) || !key1(t, 98 /* b */)) return undefined;
  const pd = price.decimals;
  const pu = price.unitsPerStep;
  const qd = qty.decimals;
  const qu = qty.unitsPerStep;
  const bids: number[] = [];
  if (!levels(t, bids, pd, pu, qd, qu) || !comma(t) || !key1(t, 97 /* a */)) return undefined;
  const asks: number[] = [];
  if (!levels(t, asks, pd, pu, qd, qu)) return undefined;
  if (ws(t) !== RBRACE) return undefined;
  pos++;
  // Only whitespace may follow; anything else is not JSON (the reference path will say so).
  if (pos < t.length && (ws(t), pos < t.length)) return undefined;
  return { scaled: true, U, u, E, bids, asks };
}

/** Why a frame is not a usable depthUpdate; the book is never touched for one. */
export class DepthFrameError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DepthFrameError';
  }
}

const isLevel = (l: unknown): l is RawLevel => Array.isArray(l) && l.length === 2 && typeof l[0] === 'string' && typeof l[1] === 'string';

/** The reference path's shape check after JSON.parse. Throws DepthFrameError for anything else. */
export function depthDiffFromJson(m: unknown): DepthDiff {
  if (typeof m !== 'object' || m === null) throw new DepthFrameError('depth frame is not an object');
  const o = m as Record<string, unknown>;
  if (o['e'] !== 'depthUpdate') throw new DepthFrameError(`not a depthUpdate frame (e=${JSON.stringify(o['e'])?.slice(0, 40)})`);
  const U = o['U'];
  const u = o['u'];
  if (!Number.isSafeInteger(U) || !Number.isSafeInteger(u) || (U as number) < 0 || (u as number) < 0) throw new DepthFrameError('depthUpdate without integer U/u');
  const b = o['b'];
  const a = o['a'];
  if (!Array.isArray(b) || !Array.isArray(a) || !b.every(isLevel) || !a.every(isLevel)) throw new DepthFrameError('depthUpdate levels are not [price, qty] string pairs');
  const E = o['E'];
  return { U: U as number, u: u as number, b, a, ...(typeof E === 'number' ? { E } : {}) };
}

/** The reference path: JSON.parse + shape check. Throws (SyntaxError or DepthFrameError) on bad frames. */
export function parseDepthUpdate(text: string): DepthDiff {
  return depthDiffFromJson(JSON.parse(text));
}
