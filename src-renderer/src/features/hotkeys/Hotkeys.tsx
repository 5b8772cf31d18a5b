/**
 * The hotkey list (`?`, or the Keys button): every hotkey, each remappable — press Change, then the
 * new keys. A refused key says why and leaves the old one. While it listens for a new key, no
 * hotkey acts (the kill switch included: the key pressed is being recorded, not obeyed).
 */
import { useEffect, useState } from 'react';
import { Dialog } from '../../components/Dialog';
import { dialogOpen, focusOf, hotkeyAction } from '../ticket/hotkeys';
import { chordLabel, chordOf, DEFAULT_BINDINGS, FIXED_KEYS, HOTKEYS, type HotkeyId } from './hotkeys-model';
import { hotkeysStore, useHotkeys } from './hotkeys-instance';

export function HotkeysButton() {
  const [open, setOpen] = useState(false);
  const help = useHotkeys((s) => s.bindings.help);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.isComposing) return;
      const ticket = document.querySelector<HTMLElement>('[data-ticket]');
      if (hotkeyAction(e, focusOf(e.target, ticket), dialogOpen(document), hotkeysStore.getState().bindings) !== 'help') return;
      e.preventDefault();
      setOpen(true);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
  return (
    <>
      <button type="button" className="btn" data-testid="hotkeys-button" title={`Every hotkey, and changing them (${chordLabel(help)})`} onClick={() => setOpen(true)}>
        Keys <kbd>{chordLabel(help)}</kbd>
      </button>
      {open ? <HotkeysDialog onClose={() => setOpen(false)} /> : null}
    </>
  );
}

function HotkeysDialog(props: { onClose: () => void }) {
  const bindings = useHotkeys((s) => s.bindings);
  const [listening, setListening] = useState<HotkeyId | undefined>();
  const [error, setError] = useState<{ id: HotkeyId; message: string } | undefined>();

  useEffect(() => {
    if (!listening) return;
    hotkeysStore.setState({ capturing: true });
    const onKey = (e: KeyboardEvent) => {
      e.preventDefault();
      e.stopPropagation();
      if (e.repeat) return;
      const chord = chordOf(e);
      if (!chord) return;
      setListening(undefined);
      const r = hotkeysStore.getState().remap(listening, chord);
      setError(r.ok ? undefined : { id: listening, message: r.message });
    };
    // Capture on window: ahead of the dialog's Esc, the ticket and the kill switch.
    window.addEventListener('keydown', onKey, true);
    return () => {
      window.removeEventListener('keydown', onKey, true);
      hotkeysStore.setState({ capturing: false });
    };
  }, [listening]);

  const set = (id: HotkeyId, chord: string) => {
    const r = hotkeysStore.getState().remap(id, chord);
    setError(r.ok ? undefined : { id, message: r.message });
  };

  return (
    <Dialog title="Hotkeys" testId="hotkeys-dialog" className="hotkeys-modal" onCancel={props.onClose}>
      <div className="modal-body">
        <table className="hotkeys-table">
          <tbody>
            {HOTKEYS.map((h) => (
              <tr key={h.id} data-testid="hotkey-row" data-hotkey={h.id}>
                <td className="hk-label">
                  <div>{h.label}</div>
                  <div className="muted">{h.help}</div>
                  {error?.id === h.id ? (
                    <div className="inline-error" role="alert" data-testid="hotkey-error">
                      {error.message}
                    </div>
                  ) : null}
                </td>
                <td className="hk-chord">{listening === h.id ? <span className="warn-text">Press the new keys…</span> : <kbd data-testid="hotkey-chord">{chordLabel(bindings[h.id])}</kbd>}</td>
                <td className="hk-actions">
                  <button type="button" className="btn mini" data-testid="hotkey-change" onClick={() => setListening(listening === h.id ? undefined : h.id)}>
                    {listening === h.id ? 'Cancel' : 'Change'}
                  </button>
                  <button
                    type="button"
                    className="btn ghost mini"
                    disabled={bindings[h.id] === DEFAULT_BINDINGS[h.id]}
                    title={`Back to ${chordLabel(DEFAULT_BINDINGS[h.id])}`}
                    onClick={() => set(h.id, DEFAULT_BINDINGS[h.id])}
                  >
                    Default
                  </button>
                </td>
              </tr>
            ))}
            {FIXED_KEYS.map((k) => (
              <tr key={k.chord + k.label} className="muted" data-testid="hotkey-fixed">
                <td className="hk-label">{k.label}</td>
                <td className="hk-chord">
                  <kbd>{chordLabel(k.chord)}</kbd>
                </td>
                <td className="hk-actions">fixed</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="modal-actions">
          <button
            type="button"
            className="btn ghost"
            data-testid="hotkeys-reset"
            onClick={() => {
              hotkeysStore.getState().resetAll();
              setError(undefined);
            }}
          >
            Reset all
          </button>
          <span className="spacer" />
          <button type="button" className="btn" data-testid="hotkeys-close" onClick={props.onClose}>
            Close
          </button>
        </div>
      </div>
    </Dialog>
  );
}
