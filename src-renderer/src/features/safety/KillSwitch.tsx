/**
 * The kill switch: an always-visible header button, a hotkey (Ctrl+Shift+K) and a banner with a
 * confirmed Reset. Tripping never asks (it only makes trading safer); resetting always does.
 */
import { useEffect, useRef, useState } from 'react';
import { Dialog } from '../../components/Dialog';
import { formatTime } from '../../components/format';
import { useEngine } from '../../store/hooks';
import { resetKillSwitch, tripKillSwitch } from './safety-actions';
import { chordLabel } from '../hotkeys/hotkeys-model';
import { hotkeysStore, useHotkeys } from '../hotkeys/hotkeys-instance';
import { RESET_WORD, TRIP_CHOICES, isKillSwitchHotkey, killSwitchSummary, resetConfirmed, sweepStillWorking } from './safety-model';

const HALT = TRIP_CHOICES[0]!;

export function KillSwitchButton() {
  const state = useEngine((s) => s.killSwitch?.state ?? 'running');
  const [menu, setMenu] = useState(false);
  const hotkey = chordLabel(useHotkeys((s) => s.bindings['kill-switch']));
  const wrap = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const keys = hotkeysStore.getState();
      // The hotkey list records the key being pressed instead (features/hotkeys/Hotkeys.tsx).
      if (e.repeat || keys.capturing || !isKillSwitchHotkey(e, keys.bindings['kill-switch'])) return;
      e.preventDefault();
      e.stopPropagation();
      void tripKillSwitch(HALT, 'hotkey');
    };
    // Capture phase: no panel can swallow the emergency stop.
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);

  useEffect(() => {
    if (!menu) return;
    const close = (e: MouseEvent | KeyboardEvent) => {
      if (e instanceof KeyboardEvent ? e.key === 'Escape' : !wrap.current?.contains(e.target as Node)) setMenu(false);
    };
    document.addEventListener('mousedown', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('mousedown', close);
      document.removeEventListener('keydown', close);
    };
  }, [menu]);

  const tripped = state !== 'running';
  return (
    <div className="ks" ref={wrap}>
      <button
        type="button"
        className={`ks-btn ${tripped ? 'tripped' : ''}`}
        data-testid="kill-switch"
        data-state={state}
        title={`Kill switch: cancel every working order on every venue and halt new orders (${hotkey}). ▾ for reduce-only and flatten.`}
        onClick={() => void tripKillSwitch(HALT, 'button')}
      >
        <span className="ks-icon" aria-hidden="true">
          ■
        </span>
        {tripped ? (state === 'halted' ? 'HALTED' : 'REDUCE ONLY') : 'KILL SWITCH'}
        <kbd>{hotkey}</kbd>
      </button>
      <button type="button" className="ks-more" data-testid="kill-switch-menu" aria-haspopup="menu" aria-expanded={menu} title="More kill switch options" onClick={() => setMenu((m) => !m)}>
        ▾
      </button>
      {menu && (
        <div className="ks-menu" role="menu">
          {TRIP_CHOICES.map((c) => (
            <button
              key={c.id}
              type="button"
              role="menuitem"
              data-testid={`kill-switch-${c.id}`}
              disabled={state === 'halted' && c.mode === 'reducing'}
              title={state === 'halted' && c.mode === 'reducing' ? 'Already halted: loosening to reduce-only needs a reset first' : c.help}
              onClick={() => {
                setMenu(false);
                void tripKillSwitch(c, 'menu');
              }}
            >
              <b>{c.label}</b>
              <span>{c.help}</span>
            </button>
          ))}
        </div>
      )}
    </div>
  );
}

export function KillSwitchBanner() {
  const ks = useEngine((s) => s.killSwitch);
  const stillWorking = useEngine((s) => (s.killSwitch && s.loaded ? sweepStillWorking(s.orders, s.killSwitch) : undefined));
  const [resetting, setResetting] = useState(false);
  if (!ks || ks.state === 'running') return null;
  return (
    <div className={`banner ks-banner ${ks.state}`} role="alert" data-testid="kill-switch-banner" data-state={ks.state}>
      <span className="ks-banner-tag">{ks.state === 'halted' ? 'HALTED' : 'REDUCE ONLY'}</span>
      <span className="ks-banner-text">{killSwitchSummary(ks, formatTime, stillWorking)}</span>
      <button type="button" className="btn mini" data-testid="kill-switch-reset" onClick={() => setResetting(true)}>
        Reset…
      </button>
      {resetting && <ResetDialog onClose={() => setResetting(false)} />}
    </div>
  );
}

function ResetDialog(props: { onClose: () => void }) {
  const [typed, setTyped] = useState('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const ok = resetConfirmed(typed);
  const submit = async () => {
    if (!ok || busy) return;
    setBusy(true);
    setError(undefined);
    const err = await resetKillSwitch(note);
    setBusy(false);
    if (err) setError(`${err.code} — ${err.message}`);
    else props.onClose();
  };
  return (
    <Dialog title="Reset the kill switch" testId="kill-switch-reset-dialog" tone="danger" onCancel={props.onClose}>
      <form
        className="modal-body"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <p>
          Trading resumes on <b>every venue</b>: new orders will be accepted again. Cancelled orders stay cancelled.
        </p>
        <label className="field">
          <span>Type {RESET_WORD} to confirm</span>
          <input data-testid="kill-switch-reset-input" data-letters="true" autoComplete="off" spellCheck={false} value={typed} placeholder={RESET_WORD} onChange={(e) => setTyped(e.target.value)} />
        </label>
        <label className="field">
          <span>Note (audit log, optional)</span>
          <input data-testid="kill-switch-reset-note" data-letters="true" autoComplete="off" value={note} maxLength={500} onChange={(e) => setNote(e.target.value)} />
        </label>
        {error && (
          <div className="inline-error" role="alert" data-testid="kill-switch-reset-error">
            {error}
          </div>
        )}
        <div className="modal-actions">
          <button type="button" className="btn ghost" onClick={props.onClose}>
            Cancel <kbd>Esc</kbd>
          </button>
          <button type="submit" className="btn danger-solid" data-testid="kill-switch-reset-confirm" disabled={!ok || busy}>
            {busy ? 'Resetting…' : 'Reset and resume trading'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
