/** The ticket's vertical spread: its two legs and its net market (from the legs' quotes), under the chain picker. */
import { formatDecimal } from '../../components/format';
import { useEngine } from '../../store/hooks';
import { verticalMarket, type SecondLeg, type VerticalOrder } from './vertical-model';

export function VerticalStrip({ v, firstId, second }: { v: VerticalOrder; firstId: string; second: SecondLeg }) {
  // Only the two legs' quotes: a change to any other instrument's quote does not re-render the strip.
  const first = useEngine((s) => s.quotes[firstId]);
  const other = useEngine((s) => s.quotes[second.id]);
  const m = verticalMarket(v, firstId, second, (id) => (id === firstId ? first : id === second.id ? other : undefined));
  return (
    <div className="vertical-strip" data-testid="ticket-vertical" data-net={v.net}>
      <span>{v.legs.map((l) => `${l.side === 'buy' ? 'Buy' : 'Sell'} ${l.symbol}`).join(' · ')}</span>
      <span className="muted" data-testid="ticket-vertical-market">
        {v.net} · market {m.bid ? formatDecimal(m.bid, { maxDp: 4 }) : '—'} / {m.ask ? formatDecimal(m.ask, { maxDp: 4 }) : '—'}
      </span>
    </div>
  );
}
