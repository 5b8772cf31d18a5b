import { AccountSummary } from './features/account/AccountSummary';
import { AccountPanel, OrdersPanel } from './features/blotter/Blotter';
import { Book } from './features/market/Book';
import { Watchlist } from './features/market/Watchlist';
import { KillSwitchBanner, KillSwitchButton } from './features/safety/KillSwitch';
import { StatusBar } from './features/status-bar/StatusBar';
import { Ticket } from './features/ticket/Ticket';
import { VenuesButton } from './features/venues/VenuesPanel';
import { useEngine } from './store/hooks';

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
        <AccountSummary />
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
