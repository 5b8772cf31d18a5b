/**
 * The worked example of Kraken's "Book checksum (WebSocket v2)" guide (docs.kraken.com): a BTC/USD
 * snapshot whose documented checksum is 3310070434. Levels as sent on the wire (price 1 dp, qty 8 dp).
 */
export const DOC_CHECKSUM = 3310070434;

export const DOC_BIDS: readonly (readonly [string, string])[] = [
  ['45283.5', '0.10000000'],
  ['45283.4', '1.54582015'],
  ['45282.1', '0.10000000'],
  ['45281.0', '0.10000000'],
  ['45280.3', '1.54592586'],
  ['45279.0', '0.07990000'],
  ['45277.6', '0.03310103'],
  ['45277.5', '0.30000000'],
  ['45277.3', '1.54602737'],
  ['45276.6', '0.15445238'],
];

export const DOC_ASKS: readonly (readonly [string, string])[] = [
  ['45285.2', '0.00100000'],
  ['45286.4', '1.54571953'],
  ['45286.6', '1.54571109'],
  ['45289.6', '1.54560911'],
  ['45290.2', '0.15890660'],
  ['45291.8', '1.54553491'],
  ['45294.7', '0.04454749'],
  ['45296.1', '0.35380000'],
  ['45297.5', '0.09945542'],
  ['45299.5', '0.18772827'],
];

/** The snapshot frame as Kraken sends it: prices and quantities as bare JSON numbers at full precision. */
export function docSnapshotFrame(checksum = DOC_CHECKSUM): string {
  const side = (ls: readonly (readonly [string, string])[]) => `[${ls.map(([p, q]) => `{"price":${p},"qty":${q}}`).join(',')}]`;
  return `{"channel":"book","type":"snapshot","data":[{"symbol":"BTC/USD","bids":${side(DOC_BIDS)},"asks":${side(DOC_ASKS)},"checksum":${checksum}}]}`;
}
