/**
 * The chart view of the quotes area (toggle in its head): the ticket's instrument as candles with
 * fills and draggable order lines, and its cumulative depth on the right, beside the book table.
 */
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import { useTicket } from '../ticket/ticket-store';
import { Watchlist } from '../market/Watchlist';
import { PriceChart } from './PriceChart';
import { DepthChart } from './DepthChart';
import { BAR_SEC } from './chart-actions';

const viewStore = createStore<{ chart: boolean }>()(() => ({ chart: false }));
const setChart = (chart: boolean) => viewStore.setState({ chart });

function ViewToggle({ chart }: { chart: boolean }) {
  return (
    <button type="button" className="btn mini" data-testid="chart-toggle" aria-pressed={chart} onClick={() => setChart(!chart)} title={chart ? 'Back to the quotes' : 'Chart the ticket’s instrument'}>
      {chart ? 'Quotes' : 'Chart'}
    </button>
  );
}

/** The quotes area: the watchlist, or the charts of the selected instrument. */
export function MarketArea() {
  const chart = useStore(viewStore, (s) => s.chart);
  const inst = useTicket((s) => s.instrument);
  if (!chart) return <Watchlist tools={<ViewToggle chart={false} />} />;
  return (
    <section className="panel" aria-label="Chart" data-testid="chart-panel">
      <div className="panel-head">
        <h2>Chart</h2>
        <span className="muted">{inst ? `${inst.symbol} · ${inst.venue} · ${BAR_SEC} s bars · depth` : 'pick an instrument'}</span>
        <span className="panel-tools">
          <ViewToggle chart />
        </span>
      </div>
      <div className="panel-body chart-body">
        {inst ? (
          <>
            <PriceChart key={`${inst.venue}|${inst.id}`} inst={inst} />
            <DepthChart key={`d|${inst.venue}|${inst.id}`} inst={inst} />
          </>
        ) : (
          <div className="muted pad">Pick an instrument on the ticket or in the quotes to chart it.</div>
        )}
      </div>
    </section>
  );
}
