import { Decimal } from '../../src-main/engine/domain/money';
import { Num } from './components/Num';
import { AccountPanel, OrdersPanel } from './features/blotter/Blotter';
import { Book } from './features/market/Book';
import { Watchlist } from './features/market/Watchlist';
import { KillSwitchBanner, KillSwitchButton } from './features/safety/KillSwitch';
import { StatusBar } from './features/status-bar/StatusBar';
import { Ticket } from './features/ticket/Ticket';
import { VenuesButton } from './features/venues/VenuesPanel';
import { useTicket } from './features/ticket/ticket-store';
import { useEngine } from './store/hooks';
import { isFlat, positionView } from './store/selectors';

function Summary() {
  const venue = useTicket((s) => s.form.venue);
  const currency = useTicket((s) => s.instrument?.quote ?? 'USD');
  const cash = useEngine((s) => s.balances[`${venue}|${currency}`]);
  const upnl = useEngine((s) => {
    // Derived per render from positions + live quotes; a string so equal totals do not re-render.
    let t = new Decimal(0);
    for (const p of Object.values(s.positions)) {
      if (isFlat(p)) continue;
      const u = positionView(p, s.quotes[p.instrumentId], s.instruments[p.instrumentId]).unrealized;
      if (u) t = t.plus(u);
    }
    return t.toFixed();
  });
  return (
    <div className="summary">
      <span>
        <em>{venue || '—'} {currency} available</em> <Num kind="money" value={cash?.available} />
      </span>
      <span>
        <em>total</em> <Num kind="money" value={cash?.total} />
      </span>
      <span>
        <em>unrealized</em> <Num kind="pnl" value={upnl} />
      </span>
    </div>
  );
}

function LinkBanner() {
  const link = useEngine((s) => s.link);
  const loaded = useEngine((s) => s.loaded);
  if (link.state === 'open' && loaded) return null;
  const text =
    link.state === 'open'
      ? 'Loading the engine snapshot…'
      : link.state === 'connecting'
        ? 'Connecting to the engine…'
        : link.state === 'reconnecting'
          ? `Disconnected from the engine — ${link.detail}. Prices and orders shown may be stale.`
          : link.detail;
  return (
    <div className={link.state === 'open' || link.state === 'connecting' ? 'banner info' : 'banner bad'} role="status" data-testid="link-banner">
      {text}
    </div>
  );
}

export function App() {
  return (
    <div className="app">
      <header className="topbar">
        <span className="brand">
          TRADE<b>PORT</b>
        </span>
        <Summary />
        <VenuesButton />
        <KillSwitchButton />
      </header>
      <div className="banners">
        <LinkBanner />
        <KillSwitchBanner />
      </div>
      <main className="layout">
        <div className="col-ticket">
          <Ticket />
        </div>
        <div className="col-main">
          <div className="row-top">
            <div className="area-quotes">
              <Watchlist />
            </div>
            <div className="area-book">
              <Book />
            </div>
          </div>
          <div className="row-bottom">
            <div className="area-orders">
              <OrdersPanel />
            </div>
            <div className="area-account">
              <AccountPanel />
            </div>
          </div>
        </div>
      </main>
      <StatusBar />
    </div>
  );
}
