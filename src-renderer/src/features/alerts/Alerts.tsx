/** Toasts (bottom right) and the alert log with its switches (the bell in the top bar). */
import { useState } from 'react';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import { NOTABLE_KINDS } from '../../../../src-main/engine/api/notable-events';
import { Dialog } from '../../components/Dialog';
import { KIND_LABELS } from './alerts-model';
import type { AlertsStore } from './alerts-store';
import { askNotificationPermission } from './alerts-env';

const time = (ts: number) => new Date(ts).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });

export function Toasts(props: { store: StoreApi<AlertsStore> }) {
  const toasts = useStore(props.store, (s) => s.toasts);
  const dismiss = useStore(props.store, (s) => s.dismiss);
  return (
    <div className="toasts" aria-live="polite" data-testid="toasts">
      {toasts.map((t) => (
        <div key={t.id} className={`toast ${t.kind} ${t.urgent ? 'urgent' : ''}`} role={t.urgent ? 'alert' : 'status'} data-testid="toast" data-kind={t.kind}>
          <div className="toast-body">
            <div className="toast-title">{t.title}</div>
            <div className="toast-text">{t.body}</div>
          </div>
          <button className="btn ghost mini" aria-label="Dismiss" onClick={() => dismiss(t.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}

export function AlertsButton(props: { store: StoreApi<AlertsStore>; browserNotifications: boolean }) {
  const [open, setOpen] = useState(false);
  const unread = useStore(props.store, (s) => s.unread);
  return (
    <>
      <button
        className="btn alerts-btn"
        data-testid="alerts-button"
        title="Alert log and notification settings"
        onClick={() => {
          props.store.getState().markRead();
          setOpen(true);
        }}
      >
        Alerts
        {unread > 0 ? (
          <span className="badge" data-testid="alerts-unread">
            {unread}
          </span>
        ) : null}
      </button>
      {open ? <AlertLog store={props.store} browserNotifications={props.browserNotifications} onClose={() => setOpen(false)} /> : null}
    </>
  );
}

function AlertLog(props: { store: StoreApi<AlertsStore>; browserNotifications: boolean; onClose: () => void }) {
  const log = useStore(props.store, (s) => s.log);
  const prefs = useStore(props.store, (s) => s.prefs);
  const setPrefs = useStore(props.store, (s) => s.setPrefs);
  const [denied, setDenied] = useState(false);
  const rows = [...log].reverse();
  return (
    <Dialog title="Alerts" testId="alert-log" className="alert-log" onCancel={props.onClose}>
      <div className="alert-prefs">
        {NOTABLE_KINDS.map((k) => (
          <label key={k} className="check">
            <input type="checkbox" checked={prefs.kinds[k]} data-testid={`alert-kind-${k}`} onChange={(e) => setPrefs({ ...prefs, kinds: { ...prefs.kinds, [k]: e.target.checked } })} />
            {KIND_LABELS[k]}
          </label>
        ))}
        <label className="check">
          <input type="checkbox" checked={prefs.sound} data-testid="alert-sound" onChange={(e) => setPrefs({ ...prefs, sound: e.target.checked })} />
          Sound
        </label>
        {props.browserNotifications ? (
          <label className="check">
            <input
              type="checkbox"
              checked={prefs.desktop}
              data-testid="alert-desktop"
              onChange={async (e) => {
                const on = e.target.checked && (await askNotificationPermission());
                setDenied(e.target.checked && !on);
                setPrefs({ ...prefs, desktop: on });
              }}
            />
            Desktop notifications
          </label>
        ) : (
          <span className="muted">The desktop app shows these as system notifications too, following these switches.</span>
        )}
        {denied ? <span className="warn-text">The browser refused notifications: allow them for this page in its site settings.</span> : null}
      </div>
      <div className="alert-rows" data-testid="alert-rows">
        {rows.length === 0 ? <div className="muted empty">Nothing yet: fills, rejects, disconnects, breakers and the kill switch appear here.</div> : null}
        {rows.map((t) => (
          <div key={t.id} className={`alert-row ${t.urgent ? 'urgent' : ''}`} data-testid="alert-row" data-kind={t.kind}>
            <span className="num muted">{time(t.ts)}</span>
            <span className="alert-title">{t.title}</span>
            <span className="muted">{t.body}</span>
          </div>
        ))}
      </div>
      <div className="modal-actions">
        <button className="btn" onClick={props.onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}
