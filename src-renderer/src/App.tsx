import { AccountSummary } from './features/account/AccountSummary';
import { AlertsButton, Toasts } from './features/alerts/Alerts';
import { HotkeysButton } from './features/hotkeys/Hotkeys';
import { Splitter } from './features/layout/Splitter';
import { ViewButton } from './features/layout/ViewSettings';
import { alertsStore } from './features/alerts/alerts-instance';
import { useMemo } from 'react';
import { AccountPanel, OrdersPanel } from './features/blotter/Blotter';
import { Book } from './features/market/Book';
import { LadderColumn } from './features/ladder/Ladder';
import { MarketArea } from './features/chart/ChartPanel';
import { KillSwitchBanner, KillSwitchButton } from './features/safety/KillSwitch';
import { StatusBar } from './features/status-bar/StatusBar';
import { Ticket } from './features/ticket/Ticket';
import { VenuesButton } from './features/venues/VenuesPanel';
import { PortfolioButton } from './features/portfolio/PortfolioView';
import { QualityButton } from './features/quality/QualityView';
import { StrategiesButton } from './features/strategies/Strategies';
import { useEngine } from './store/hooks';
import { linkView } from './store/link-view';
import { venueAlerts } from './features/venues/venue-model';

function LinkBanner() {
  const link = useEngine((s) => s.link);
  const loaded = useEngine((s) => s.loaded);
  const view = linkView(link, loaded);
  if (!view.banner) return null;
  return (
    <div className={`banner ${view.tone}`} role="status" data-testid="link-banner" data-offline={view.offline}>
      {view.banner}
    </div>
  );
}

/** A venue that is up but cannot trade (TWS 1100): a banner, not only a tag in the status bar. */
function VenueAlerts() {
  const venues = useEngine((s) => s.venues);
  const alerts = useMemo(() => venueAlerts(Object.values(venues)), [venues]);
  return (
    <>
      {alerts.map((a) => (
        <div key={a.venue} className="banner warn" role="alert" data-testid="venue-alert" data-venue={a.venue}>
          {a.text}
        </div>
      ))}
    </>
  );
}

export function App() {
  // Without the engine nothing here can act: every control is disabled (fieldset), prices dim.
  const offline = useEngine((s) => linkView(s.link, s.loaded).offline);
  const browserNotifications = useEngine((s) => s.transport === 'bridge');
  return (
    <div className={offline ? 'app offline' : 'app'} data-testid="app" data-offline={offline}>
      <header className="topbar">
        <span className="brand">
          TRADE<b>PORT</b>
        </span>
        <AccountSummary />
        <AlertsButton store={alertsStore} browserNotifications={browserNotifications} />
        <HotkeysButton />
        <ViewButton />
        <fieldset className="contents" disabled={offline}>
          <VenuesButton />
          <PortfolioButton />
          <QualityButton />
          <StrategiesButton />
          <KillSwitchButton />
        </fieldset>
      </header>
      <div className="banners">
        <LinkBanner />
        <KillSwitchBanner />
        <VenueAlerts />
      </div>
      <fieldset className="contents" disabled={offline}>
        <main className="layout">
          <Splitter kind="ticket" />
          <div className="col-ticket">
            <Ticket />
          </div>
          <div className="col-main">
            <div className="row-top">
              <Splitter kind="book" />
              <Splitter kind="rows" />
              <div className="area-quotes">
                <MarketArea />
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
          <LadderColumn />
        </main>
      </fieldset>
      <StatusBar />
      <Toasts store={alertsStore} />
    </div>
  );
}
