/** A small option chain (one underlying, two expiries) and its instruments, for scripted option venues. */
import type { Instrument } from '../../src-main/engine/domain/instrument';
import type { OptionChain } from '../../src-main/engine/domain/option-chain';

function option(venue: string, expiry: string, right: 'C' | 'P', strike: string): Instrument {
  const occ = `XYZ   ${expiry.slice(2)}${right}${String(Number(strike) * 1000).padStart(8, '0')}`;
  return {
    id: `${venue}:${occ}`,
    venue,
    venueSymbol: occ,
    symbol: `XYZ:OPT:${right}:${strike}:${expiry}`,
    assetClass: 'option',
    description: `XYZ ${expiry} ${strike} ${right === 'C' ? 'call' : 'put'}`,
    base: 'XYZ',
    quote: 'USD',
    tickSize: '0.01',
    lotSize: '1',
    minQty: '1',
    minNotional: '0',
    multiplier: '100',
    fractional: false,
    session: 'us_equity',
  };
}

export function xyzOptions(venue: string): { chains: Record<string, OptionChain>; instruments: Instrument[] } {
  const expiries = [
    { expiry: '20270115', daysToExpiry: 42, strikes: ['95', '100', '105'] },
    { expiry: '20270219', daysToExpiry: 77, strikes: ['100', '110'] },
  ];
  const instruments: Instrument[] = [];
  const chain: OptionChain = {
    venue,
    underlying: 'XYZ',
    multiplier: '100',
    expiries: expiries.map((e) => ({
      expiry: e.expiry,
      daysToExpiry: e.daysToExpiry,
      strikes: e.strikes.map((k) => {
        const call = option(venue, e.expiry, 'C', k);
        // The February 110 lists a call only.
        const put = k === '110' ? undefined : option(venue, e.expiry, 'P', k);
        instruments.push(call, ...(put ? [put] : []));
        return { strike: k, call: call.id, ...(put ? { put: put.id } : {}) };
      }),
    })),
  };
  return { chains: { XYZ: chain }, instruments };
}
