/**
 * The `l2_data` update fast path: reads Coinbase's level2 update frame straight from the text
 * (`{"channel":"l2_data",…,"sequence_num":N,"events":[{"type":"update","product_id":"…",
 * "updates":[{"side":"bid"|"offer","event_time":"…","price_level":"…","new_quantity":"…"},…]}]}`)
 * without JSON.parse. It answers only when certain: one event, of type `update`, every update
 * object holding the three fields as plain strings; anything else (a snapshot, several events, an
 * escape, a field it does not find) is `undefined` and the caller takes the JSON.parse path.
 * Key order inside objects does not matter; the update objects hold no nested braces.
 */

export interface L2Scan {
  readonly seq: number;
  readonly productId: string;
  /** The frame's `timestamp` as written ('' when absent). */
  readonly timestamp: string;
  /** How many levels the scan wrote into `out` as (side, price, quantity) triples; side 0 bid, 1 offer. */
  readonly count: number;
}

/** The string value after `key` (which ends with `"`) within [from, to), as start/end indexes; -1 when absent. */
function strAt(text: string, key: string, from: number, to: number): number {
  const k = text.indexOf(key, from);
  return k < 0 || k >= to ? -1 : k + key.length;
}

/**
 * Scans `text` into `prices` / `qtys` / `sides` (caller-owned, reused); undefined when the frame is
 * not a plain one-product update.
 */
export function scanL2Update(text: string, sides: number[], prices: string[], qtys: string[]): L2Scan | undefined {
  if (!text.includes('"channel":"l2_data"') || text.includes('\\')) return undefined;
  const sq = text.indexOf('"sequence_num":');
  if (sq < 0) return undefined;
  let i = sq + 15;
  let seq = 0;
  let digits = 0;
  for (let c = text.charCodeAt(i); c >= 48 && c <= 57; c = text.charCodeAt(++i), digits++) seq = seq * 10 + (c - 48);
  if (digits === 0) return undefined;
  const ev = text.indexOf('"events":[');
  if (ev < 0) return undefined;
  const t = text.indexOf('"type":"', ev);
  if (t < 0 || !text.startsWith('update"', t + 8) || text.indexOf('"type":"', t + 8) >= 0) return undefined;
  const p = text.indexOf('"product_id":"', ev);
  if (p < 0 || text.indexOf('"product_id":"', p + 14) >= 0) return undefined;
  const pe = text.indexOf('"', p + 14);
  const productId = text.slice(p + 14, pe);
  const u = text.indexOf('"updates":[', ev);
  if (u < 0) return undefined;
  const close = text.indexOf(']', u);
  if (close < 0) return undefined;
  let count = 0;
  let at = u + 11;
  for (;;) {
    const o = text.indexOf('{', at);
    if (o < 0 || o > close) break;
    const e = text.indexOf('}', o);
    if (e < 0 || e > close) return undefined;
    const s = strAt(text, '"side":"', o, e);
    const pl = strAt(text, '"price_level":"', o, e);
    const nq = strAt(text, '"new_quantity":"', o, e);
    if (s < 0 || pl < 0 || nq < 0) return undefined;
    const side = text.startsWith('bid"', s) ? 0 : text.startsWith('offer"', s) ? 1 : -1;
    if (side < 0) return undefined;
    sides[count] = side;
    prices[count] = text.slice(pl, text.indexOf('"', pl));
    qtys[count] = text.slice(nq, text.indexOf('"', nq));
    count++;
    at = e + 1;
  }
  const ts = text.indexOf('"timestamp":"');
  const timestamp = ts < 0 || ts > ev ? '' : text.slice(ts + 13, text.indexOf('"', ts + 13));
  return { seq, productId, timestamp, count };
}
