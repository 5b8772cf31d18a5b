/**
 * A preview binds to what it showed. The trader confirms an order on the strength of its preview
 * ("simulated, never sent to IBKR"), so a place made on that preview must go where the preview said
 * and under the rules it was judged by. Everything the preview depended on is captured here as a
 * binding: the venue and its settings (which name the account), the route and mode (CANARY share,
 * arming), the kill switch, the effective risk limits for this instrument, and the ticket itself
 * (every price and quantity it showed). `order.place` with a `previewId` recomputes the binding
 * and refuses on any difference, naming it: "Preview again: the route changed from SHADOW to LIVE."
 *
 * Pure functions plus a small in-memory registry: a preview lives only as long as this engine (a
 * restarted engine knows none, so a stale tab must preview again). Market prices are not bound:
 * the quote moves every tick, and the preview's lifetime bounds that instead.
 */
import { randomBytes } from 'node:crypto';
import type { Preview } from '../api/commands';
import type { NormalizedTicket } from '../domain/order-validation';

export interface PreviewBinding {
  readonly venue: string;
  readonly instrumentId: string;
  readonly clientOrderId: string;
  readonly route: Preview['route'];
  readonly mode: string;
  readonly canaryPct: number;
  readonly killSwitch: string;
  /** The venue's stored settings (host, port, account, …) as canonical JSON. */
  readonly settings: string;
  /** The effective risk limits for this venue and instrument as canonical JSON. */
  readonly limits: string;
  readonly ticket: NormalizedTicket;
}

/** The mutable inputs of a binding, read from the engine at preview time and again at place time. */
export type BindingInputs = Omit<PreviewBinding, 'ticket' | 'instrumentId' | 'clientOrderId' | 'venue'>;

/** JSON with keys sorted at every level, so equal content always gives equal text. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

const ROUTE_WORD: Record<Preview['route'], string> = { paper: 'PAPER', shadow: 'SHADOW', live: 'LIVE' };
const modeWord = (mode: string, pct: number) => (mode === 'canary' ? `CANARY ${pct}%` : mode.toUpperCase());

const TICKET_FIELDS: ReadonlyArray<[keyof NormalizedTicket, string]> = [
  ['side', 'side'],
  ['type', 'order type'],
  ['qty', 'quantity'],
  ['limitPrice', 'limit price'],
  ['stopPrice', 'stop price'],
  ['tif', 'time in force'],
  ['trailAmount', 'trail amount'],
  ['trailPercent', 'trail percent'],
  ['extendedHours', 'extended hours'],
  ['ocaGroup', 'OCA group'],
  ['takeProfit', 'take-profit'],
  ['stopLoss', 'stop-loss'],
  ['oco', 'OCO exit pair'],
  ['expireAt', 'expiry'],
  ['postOnly', 'post-only'],
  ['reduceOnly', 'reduce-only'],
  ['notional', 'amount (notional)'],
  ['legs', 'spread legs'],
];

const shown = (v: unknown) => (v === undefined ? 'none' : typeof v === 'object' ? canonicalJson(v) : String(v));

/**
 * What changed between the preview (`then`) and now, in the trader's words, most serious first;
 * empty when the place may proceed on this preview.
 */
export function bindingChanges(then: PreviewBinding, now: PreviewBinding): string[] {
  const out: string[] = [];
  if (then.venue !== now.venue) out.push(`the venue changed from ${then.venue} to ${now.venue}`);
  if (then.instrumentId !== now.instrumentId) out.push(`the instrument changed from ${then.instrumentId} to ${now.instrumentId}`);
  if (then.clientOrderId !== now.clientOrderId) out.push(`the client order id changed from ${then.clientOrderId} to ${now.clientOrderId}`);
  if (then.route !== now.route) out.push(`the route changed from ${ROUTE_WORD[then.route]} to ${ROUTE_WORD[now.route]}`);
  if (then.mode !== now.mode || then.canaryPct !== now.canaryPct) out.push(`the venue's mode changed from ${modeWord(then.mode, then.canaryPct)} to ${modeWord(now.mode, now.canaryPct)}`);
  if (then.killSwitch !== now.killSwitch) out.push(`the kill switch changed from ${then.killSwitch} to ${now.killSwitch}`);
  if (then.settings !== now.settings) out.push(`the venue's settings changed`);
  if (then.limits !== now.limits) out.push(`the risk limits changed`);
  for (const [k, label] of TICKET_FIELDS) {
    const a = then.ticket[k];
    const b = now.ticket[k];
    if (canonicalJson(a ?? null) !== canonicalJson(b ?? null)) out.push(`the ${label} changed from ${shown(a)} to ${shown(b)}`);
  }
  return out;
}

export interface IssuedPreview {
  readonly binding: PreviewBinding;
  readonly expiresAt: number;
}

/**
 * The previews this engine has shown, by id, each until it expires. Bounded: the oldest go first
 * when a runaway client previews in a loop, so memory stays flat.
 */
export class PreviewRegistry {
  private readonly byId = new Map<string, IssuedPreview>();

  constructor(
    private readonly ttlMs: number,
    private readonly max = 5_000,
  ) {}

  issue(binding: PreviewBinding, now: number): { previewId: string; expiresAt: number } {
    this.prune(now);
    while (this.byId.size >= this.max) this.byId.delete(this.byId.keys().next().value!);
    const previewId = `pv_${randomBytes(12).toString('hex')}`;
    const expiresAt = now + this.ttlMs;
    this.byId.set(previewId, { binding, expiresAt });
    return { previewId, expiresAt };
  }

  /** The preview, if this engine issued it and it has not expired. */
  get(previewId: string, now: number): IssuedPreview | undefined {
    const p = this.byId.get(previewId);
    if (!p) return undefined;
    if (p.expiresAt <= now) {
      this.byId.delete(previewId);
      return undefined;
    }
    return p;
  }

  private prune(now: number): void {
    for (const [id, p] of this.byId) if (p.expiresAt <= now) this.byId.delete(id);
  }
}
