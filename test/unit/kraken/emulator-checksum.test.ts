import { describe, expect, it } from 'vitest';
import { bookChecksum } from '../../emulators/kraken';
import { DOC_ASKS, DOC_BIDS, DOC_CHECKSUM } from './doc-checksum-example';

const levels = (ls: readonly (readonly [string, string])[]) => ls.map(([price, qty]) => ({ price, qty }));

describe('Kraken emulator book checksum', () => {
  it("reproduces the documented example (Kraken's WS v2 book checksum guide: 3310070434)", () => {
    expect(bookChecksum(levels(DOC_ASKS), levels(DOC_BIDS))).toBe(DOC_CHECKSUM);
  });

  it('uses only the top 10 levels of each side', () => {
    const deeper = [...DOC_ASKS, ['45300.0', '9.00000000'] as const];
    expect(bookChecksum(levels(deeper), levels(DOC_BIDS))).toBe(DOC_CHECKSUM);
  });

  it('changes when one quantity digit changes', () => {
    const bids = levels(DOC_BIDS);
    bids[9] = { price: '45276.6', qty: '0.15445239' };
    expect(bookChecksum(levels(DOC_ASKS), bids)).not.toBe(DOC_CHECKSUM);
  });
});
