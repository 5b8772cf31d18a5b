/** Venue states, the link to the engine, engine version and a UTC clock. Never shows secrets or settings values. */
import { useEffect, useRef, useState } from 'react';
import type { VenueInfo } from '../../../../src-main/engine/api/commands';
import { formatTime } from '../../components/format';
import { useEngine } from '../../store/hooks';
import { venueHealthBadge } from '../../store/venue-health';
import { linkView } from '../../store/link-view';
import { VenueModeBadge } from '../safety/ModeDialog';
import { rememberServerVersions, venueStatusView } from '../venues/venue-model';

function Clock() {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    // Align ticks to the second boundary so the clock does not lag up to a second behind.
    let t: ReturnType<typeof setTimeout>;
    const tick = () => {
      setNow(Date.now());
      t = setTimeout(tick, 1000 - (Date.now() % 1000) + 5);
    };
    t = setTimeout(tick, 1000 - (Date.now() % 1000) + 5);
    return () => clearTimeout(t);
  }, []);
  const d = new Date(now);
  const date = `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`;
  return (
    <span className="clock num" data-testid="utc-clock">
      {date} {formatTime(now)} UTC
    </span>
  );
}

/** Rate-limit gauge and circuit breaker of one venue; ticks once a second only while a countdown shows. */
function VenueHealth({ venue }: { venue: string }) {
  const h = useEngine((s) => s.venueHealth[venue]);
  const [now, setNow] = useState(() => Date.now());
  const badge = h ? venueHealthBadge(h, now) : undefined;
  const ticking = badge?.ticking ?? false;
  useEffect(() => {
    if (!ticking) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    setNow(Date.now());
    return () => clearInterval(t);
  }, [ticking]);
  if (!h || !badge || (badge.gauge === undefined && badge.breaker === 'none' && badge.feedsDown === undefined)) return null;
  return (
    <span className="venue-health" data-testid="venue-health" data-venue={venue} data-breaker={badge.breaker} title={badge.title}>
      {badge.gauge !== undefined && <span className={`rl ${badge.gaugeTone} num`}>{badge.gauge}</span>}
      {badge.breakerLabel !== undefined && <span className={`breaker ${badge.breakerTone} num`}>{badge.breakerLabel}</span>}
      {badge.feedsDown !== undefined && (
        <span className="breaker bad" data-testid="venue-feed-down">
          {badge.feedsDown}
        </span>
      )}
    </span>
  );
}

/** One venue: dot, name, mode, the phase when not connected, the engine's detail line. */
function VenueStatus({ venue: v, lastVersion, offline }: { venue: VenueInfo; lastVersion: string | undefined; offline: boolean }) {
  const live = venueStatusView(v);
  // Without the engine the venue's state is unknown: a green light would be a lie.
  const st = offline ? { ...live, tone: 'off' as const } : live;
  // A venue between sessions (TWS restarting): name the server version it last ran, so the trader knows which one is down.
  const staleVersion = !st.serverVersion && lastVersion ? `server ${lastVersion} (last seen)` : undefined;
  return (
    <span
      className="venue"
      data-testid="venue-status"
      data-venue={v.name}
      data-state={offline ? 'unknown' : v.state}
      data-phase={st.phase}
      data-mode={v.mode}
      title={offline ? `${v.label} · unknown: the engine is not reachable (last known ${st.phase})` : `${v.label} · ${st.phase} · ${v.detail}`}
    >
      <span className={`dot ${st.tone}`} aria-hidden="true" />
      <b>{v.name}</b>
      <VenueModeBadge venue={v} />
      {offline ? (
        <span className="phase-tag off" data-testid="venue-phase">
          unknown
        </span>
      ) : (
        st.phase !== 'connected' && (
          <span className={`phase-tag ${st.tone}`} data-testid="venue-phase">
            {st.phase}
          </span>
        )
      )}
      <span className="detail" data-testid="venue-detail">
        {staleVersion ? `${staleVersion} · ` : ''}
        {v.detail || v.state}
      </span>
      <VenueHealth venue={v.name} />
    </span>
  );
}

export function StatusBar() {
  const venues = useEngine((s) => s.venues);
  const link = useEngine((s) => s.link);
  const transport = useEngine((s) => s.transport);
  const fake = useEngine((s) => s.fake);
  const info = useEngine((s) => s.info);
  const snapshotError = useEngine((s) => s.snapshotError);
  const offline = useEngine((s) => linkView(s.link, s.loaded).offline);
  const storage = useEngine((s) => s.storage);
  const linkClass = link.state === 'open' ? 'ok' : link.state === 'connecting' || link.state === 'reconnecting' ? 'warn' : 'bad';
  // The last server version per venue, kept while the venue's server restarts (the detail then has none).
  const versions = useRef<Readonly<Record<string, string>>>({});
  versions.current = rememberServerVersions(versions.current, Object.values(venues));
  return (
    <footer className="status-bar" aria-label="Status">
      <div className="venues">
        {Object.values(venues).map((v) => (
          <VenueStatus key={v.name} venue={v} lastVersion={versions.current[v.name]} offline={offline} />
        ))}
        {Object.keys(venues).length === 0 && <span className="muted">no venues</span>}
      </div>
      <div className="right">
        {fake && <span className="fake-badge">FAKE DATA · dev only</span>}
        <span className="link" data-testid="link-status" data-state={link.state} data-transport={transport} title={link.detail}>
          <span className={`dot ${linkClass}`} aria-hidden="true" />
          {transport ?? '…'} · {link.state === 'open' ? 'connected' : link.detail}
        </span>
        {storage && storage.state !== 'ok' && (
          <span className="neg storage-alert" data-testid="storage-status" data-state={storage.state} title={storage.message} role="alert">
            {storage.state === 'full' ? 'DISK FULL · new orders refused' : storage.state === 'read_only' ? 'JOURNAL READ-ONLY · new orders refused' : 'DISK ERROR · new orders refused'}
          </span>
        )}
        {snapshotError && link.state === 'open' && (
          <span className="neg" title={snapshotError.message}>
            snapshot: {snapshotError.code}
          </span>
        )}
        <span className="muted" data-testid="engine-version">
          engine {info?.version ?? '—'}
        </span>
        <Clock />
      </div>
    </footer>
  );
}
