/** The View dialog: theme, font size, panel sizes, and named layouts to save and restore. */
import { useState } from 'react';
import { Dialog } from '../../components/Dialog';
import { LIMITS } from './layout-model';
import { layoutStore, useLayout } from './layout-instance';

export function ViewButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="btn" data-testid="view-button" title="Theme, font size and saved layouts" onClick={() => setOpen(true)}>
        View
      </button>
      {open ? <ViewDialog onClose={() => setOpen(false)} /> : null}
    </>
  );
}

function ViewDialog(props: { onClose: () => void }) {
  const theme = useLayout((s) => s.theme);
  const scale = useLayout((s) => s.fontScale);
  const saved = useLayout((s) => s.saved);
  const [name, setName] = useState('');
  const [message, setMessage] = useState<{ tone: 'error' | 'ok'; text: string } | undefined>();
  const st = () => layoutStore.getState();
  const names = Object.keys(saved).sort((a, b) => a.localeCompare(b));

  const save = () => {
    const r = st().save(name);
    setMessage(r.ok ? { tone: 'ok', text: `Saved “${name.trim()}”.` } : { tone: 'error', text: r.message });
    if (r.ok) setName('');
  };

  return (
    <Dialog title="View" testId="view-dialog" className="view-modal" onCancel={props.onClose}>
      <div className="modal-body">
        <div className="view-row">
          <span>Theme</span>
          <label className="check">
            <input type="radio" name="theme" checked={theme === 'dark'} data-testid="theme-dark" onChange={() => st().setTheme('dark')} />
            Dark
          </label>
          <label className="check">
            <input type="radio" name="theme" checked={theme === 'light'} data-testid="theme-light" onChange={() => st().setTheme('light')} />
            Light
          </label>
        </div>
        <div className="view-row">
          <span>Font size</span>
          <button type="button" className="btn mini" data-testid="font-smaller" disabled={scale <= LIMITS.fontScale.min} onClick={() => st().stepScale(-1)} aria-label="Smaller">
            A−
          </button>
          <span className="num" data-testid="font-scale">
            {Math.round(scale * 100)}%
          </span>
          <button type="button" className="btn mini" data-testid="font-larger" disabled={scale >= LIMITS.fontScale.max} onClick={() => st().stepScale(1)} aria-label="Larger">
            A+
          </button>
          <button type="button" className="btn ghost mini" data-testid="font-reset" disabled={scale === 1} onClick={() => st().scale(1)}>
            100%
          </button>
        </div>
        <div className="view-row">
          <span>Panels</span>
          <span className="muted">Drag the edges between panels to resize them.</span>
          <button type="button" className="btn mini" data-testid="panels-reset" onClick={() => st().resetPanels()}>
            Reset sizes
          </button>
        </div>
        <div className="view-row">
          <span>Layouts</span>
          <input
            type="text"
            data-testid="layout-name"
            placeholder="Name this layout"
            maxLength={40}
            value={name}
            onChange={(e) => setName(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                e.stopPropagation();
                save();
              }
            }}
          />
          <button type="button" className="btn mini" data-testid="layout-save" onClick={save}>
            Save current
          </button>
        </div>
        {message ? (
          <div className={message.tone === 'error' ? 'inline-error' : 'muted'} role={message.tone === 'error' ? 'alert' : 'status'} data-testid="layout-message">
            {message.text}
          </div>
        ) : null}
        <div className="saved-layouts" data-testid="saved-layouts">
          {names.length === 0 ? <span className="muted">No saved layouts yet: arrange the screen, name it, save it.</span> : null}
          {names.map((n) => (
            <div key={n} className="saved-layout" data-testid="saved-layout" data-name={n}>
              <span className="name">{n}</span>
              <span className="muted num">
                {saved[n]!.theme} · {Math.round(saved[n]!.fontScale * 100)}%
              </span>
              <button
                type="button"
                className="btn mini"
                data-testid="layout-restore"
                onClick={() => {
                  const r = st().restore(n);
                  setMessage(r.ok ? { tone: 'ok', text: `Restored “${n}”.` } : { tone: 'error', text: r.message });
                }}
              >
                Restore
              </button>
              <button
                type="button"
                className="btn ghost mini"
                data-testid="layout-delete"
                onClick={() => {
                  const r = st().forget(n);
                  setMessage(r.ok ? undefined : { tone: 'error', text: r.message });
                }}
              >
                Delete
              </button>
            </div>
          ))}
        </div>
        <div className="modal-actions">
          <button type="button" className="btn" data-testid="view-close" onClick={props.onClose}>
            Close
          </button>
        </div>
      </div>
    </Dialog>
  );
}
