/**
 * One-click on the ladder: the size presets (set the ticket's quantity), the settings (opt this
 * venue in, edit the presets) and the ARM switch. While armed, the ladder wears a red frame and a
 * banner: a click places at once.
 */
import { useState } from 'react';
import { useEngine } from '../../store/hooks';
import { editTicket, useTicket } from '../ticket/ticket-store';
import { isArmed, optedIn } from './one-click-model';
import { oneClickStore, useOneClick } from './one-click-instance';
import { armContext } from './one-click-watch';

export const useArmedHere = (venue: string | undefined): boolean => useOneClick((s) => isArmed(s, venue));

export function OneClickBar({ venue }: { venue: string | undefined }) {
  const prefs = useOneClick((s) => s.prefs);
  const armed = useArmedHere(venue);
  const qty = useTicket((s) => s.form.qty);
  // Re-render when the kill switch or the venue's connection changes (the ARM button's state).
  useEngine((s) => `${s.killSwitch?.state}|${venue ? s.venues[venue]?.state : ''}`);
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);
  const [presetText, setPresetText] = useState<string | null>(null);
  const on = venue !== undefined && optedIn(prefs, venue);
  const tell = (r: { ok: true } | { ok: false; message: string }, okText?: string) => setNote(r.ok ? (okText ? { ok: true, text: okText } : null) : { ok: false, text: r.message });

  return (
    <>
      <div className="ladder-oneclick" data-testid="one-click-bar">
        {prefs.presets.map((p) => (
          <button
            key={p}
            type="button"
            className={qty === p ? 'btn mini preset on' : 'btn mini preset'}
            data-testid="ladder-preset"
            data-qty={p}
            onClick={() => editTicket({ qty: p })}
            title={`Quantity ${p}`}
          >
            {p}
          </button>
        ))}
        <button type="button" className="btn mini ghost" data-testid="one-click-settings" aria-expanded={open} onClick={() => setOpen(!open)} title="One-click settings">
          1-click…
        </button>
        {on && (
          <button
            type="button"
            className={armed ? 'btn mini armed' : 'btn mini'}
            data-testid="one-click-arm"
            aria-pressed={armed}
            onClick={() =>
              void oneClickStore
                .getState()
                .toggleArm(armContext())
                .then((r) => tell(r))
            }
            title={armed ? 'Disarm: clicks stage and preview again' : `Arm one-click on ${venue}: a ladder click places at once`}
          >
            {armed ? 'ARMED' : 'Arm'}
          </button>
        )}
      </div>
      {armed && (
        <div className="ladder-armed" role="status" data-testid="one-click-armed">
          ONE-CLICK ARMED on {venue}: a click on bid/ask places at once (risk checks and mode still apply).
        </div>
      )}
      {open && (
        <div className="ladder-oneclick-settings" data-testid="one-click-panel" role="group" aria-label="One-click settings">
          <label>
            <input
              type="checkbox"
              data-testid="one-click-optin"
              disabled={!venue}
              checked={on}
              onChange={(e) =>
                void oneClickStore
                  .getState()
                  .optIn(venue!, e.target.checked)
                  .then((r) => tell(r, e.target.checked ? `One-click allowed on ${venue}; arm it to use it.` : `One-click off on ${venue}.`))
              }
            />
            Allow one-click on {venue ?? '—'}
          </label>
          <label>
            Sizes
            <input
              data-testid="one-click-presets"
              data-letters="true"
              value={presetText ?? prefs.presets.join(', ')}
              onChange={(e) => setPresetText(e.target.value)}
              onKeyDown={(e) => {
                if (e.key !== 'Enter' || presetText === null) return;
                e.preventDefault();
                void oneClickStore
                  .getState()
                  .presets(presetText)
                  .then((r) => {
                    if (r.ok) setPresetText(null);
                    tell(r, 'Sizes saved.');
                  });
              }}
            />
          </label>
        </div>
      )}
      {note && (
        <div className={note.ok ? 'ladder-note' : 'ladder-note bad'} role={note.ok ? 'status' : 'alert'} data-testid="one-click-note" onClick={() => setNote(null)}>
          {note.text}
        </div>
      )}
    </>
  );
}
