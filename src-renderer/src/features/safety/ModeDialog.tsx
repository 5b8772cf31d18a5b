/**
 * A venue's routing mode. SHADOW needs no typing; LIVE and CANARY send real orders, so the user
 * types the venue name (sent as typedVenueName; the engine checks it too and audits the arming).
 */
import { useState } from 'react';
import type { VenueInfo } from '../../../../src-main/engine/api/commands';
import { Dialog } from '../../components/Dialog';
import { setMode } from './safety-actions';
import { checkModeDraft, modeLabel, modeNeedsTypedName, type ModeDraft, type RoutingMode } from './safety-model';

const OPTIONS: ReadonlyArray<{ mode: RoutingMode; help: string }> = [
  { mode: 'shadow', help: 'Orders are filled by the simulator on this venue’s quotes. Nothing is sent.' },
  { mode: 'canary', help: 'A share of orders (picked from the client id) goes to the venue as real orders.' },
  { mode: 'live', help: 'Every order goes to the venue as a real order.' },
];

/** The mode badge in the status bar: a button that opens the dialog; Paper's cannot change. */
export function VenueModeBadge({ venue }: { venue: VenueInfo }) {
  const [open, setOpen] = useState(false);
  const label = modeLabel(venue.mode, venue.canaryPct);
  if (venue.mode === 'paper') {
    return (
      <span className="mode mode-paper" data-testid="venue-mode" data-venue={venue.name} data-mode="paper" title="Paper is simulated; it has no SHADOW / CANARY / LIVE modes">
        PAPER
      </span>
    );
  }
  return (
    <>
      <button
        type="button"
        className={`mode mode-${venue.mode} mode-btn`}
        data-testid="venue-mode"
        data-venue={venue.name}
        data-mode={venue.mode}
        title={`${venue.name} routes ${label}. Click to change.`}
        onClick={() => setOpen(true)}
      >
        {label} ▾
      </button>
      {open && <ModeDialog venue={venue} onClose={() => setOpen(false)} />}
    </>
  );
}

function ModeDialog({ venue, onClose }: { venue: VenueInfo; onClose: () => void }) {
  const [draft, setDraft] = useState<ModeDraft>({ to: venue.mode === 'paper' ? 'shadow' : venue.mode, canaryPct: String(venue.canaryPct ?? 5), typed: '' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const check = checkModeDraft(venue, draft);
  const upd = (p: Partial<ModeDraft>) => {
    setDraft((d) => ({ ...d, ...p }));
    setError(undefined);
  };
  const submit = async () => {
    if (!check.ok || busy) return;
    setBusy(true);
    const err = await setMode(check.input);
    setBusy(false);
    if (err) setError(`${err.code} — ${err.message}`);
    else onClose();
  };
  const danger = draft.to !== 'shadow';
  return (
    <Dialog title={`Routing mode · ${venue.label || venue.name}`} testId="mode-dialog" tone={danger ? 'danger' : undefined} onCancel={onClose}>
      <form
        className="modal-body"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <p className="muted">
          Now: <span className={`mode mode-${venue.mode}`}>{modeLabel(venue.mode, venue.canaryPct)}</span>
        </p>
        <div className="mode-options" role="radiogroup" aria-label="Mode">
          {OPTIONS.map((o) => (
            <label key={o.mode} className={`mode-option ${draft.to === o.mode ? 'on' : ''} opt-${o.mode}`}>
              <input type="radio" name="mode" data-testid={`mode-option-${o.mode}`} checked={draft.to === o.mode} onChange={() => upd({ to: o.mode })} />
              <span className={`mode mode-${o.mode}`}>{o.mode.toUpperCase()}</span>
              <span className="help">{o.help}</span>
              {o.mode === 'canary' && draft.to === 'canary' && (
                <span className="pct">
                  <input data-testid="mode-canary-pct" inputMode="decimal" value={draft.canaryPct} onChange={(e) => upd({ canaryPct: e.target.value })} /> % live
                </span>
              )}
            </label>
          ))}
        </div>
        {modeNeedsTypedName(draft.to) && (
          <label className="field">
            <span>
              Type the venue name <code>{venue.name}</code> to send real orders
            </span>
            <input
              data-testid="mode-confirm-input"
              data-letters="true"
              autoComplete="off"
              spellCheck={false}
              value={draft.typed}
              placeholder={venue.name}
              onChange={(e) => upd({ typed: e.target.value })}
            />
          </label>
        )}
        {(error || !check.ok) && (
          <div className={error ? 'inline-error' : 'muted small'} role={error ? 'alert' : undefined} data-testid={error ? 'mode-error' : 'mode-hint'}>
            {error ?? (check.ok ? '' : check.reason)}
          </div>
        )}
        <div className="modal-actions">
          <button type="button" className="btn ghost" onClick={onClose}>
            Cancel <kbd>Esc</kbd>
          </button>
          <button type="submit" className={danger ? 'btn danger-solid' : 'btn'} data-testid="mode-confirm-submit" disabled={!check.ok || busy}>
            {busy ? 'Applying…' : `Switch to ${draft.to === 'canary' ? `CANARY ${draft.canaryPct}%` : draft.to.toUpperCase()}`}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
