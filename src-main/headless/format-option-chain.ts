/** `tradeport chain VENUE UNDERLYING`: a heading, then one line per expiry and strike with the call and put instrument ids. */
import type { OptionChain } from '../engine/domain/option-chain';
import { table } from './format';

export function formatOptionChain(c: OptionChain): string {
  const rows = c.expiries.flatMap((e) =>
    e.strikes.map((s) => ({ expiry: `${e.expiry.slice(0, 4)}-${e.expiry.slice(4, 6)}-${e.expiry.slice(6, 8)}`, dte: e.daysToExpiry ?? '', strike: s.strike, call: s.call ?? '-', put: s.put ?? '-' })),
  );
  const head = `${c.underlying} options on ${c.venue}: ${c.expiries.length} expiries, multiplier ${c.multiplier}\n`;
  return (
    head +
    table(rows, [
      ['expiry', (r) => r['expiry']],
      ['dte', (r) => r['dte']],
      ['strike', (r) => r['strike']],
      ['call', (r) => r['call']],
      ['put', (r) => r['put']],
    ])
  );
}
