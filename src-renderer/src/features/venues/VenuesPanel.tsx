/**
 * Venues: the trader's accounts, added and changed without the CLI. A list (state, detail, mode,
 * Edit / Remove with confirmation) and one settings form generated from the kind's `venue.kinds`
 * entry. Secrets are write-only: uncontrolled password inputs, sent once to `secret.set` and
 * cleared at once; the panel only ever shows "set / not set".
 */
import { useEffect, useMemo, useRef, useState, type RefObject } from 'react';
import type { ApiError } from '../../../../src-main/engine/api/errors';
import type { VenueInfo, VenueKindInfo } from '../../../../src-main/engine/api/commands';
import { Dialog } from '../../components/Dialog';
import { useEngine } from '../../store/hooks';
import { modeLabel } from '../safety/safety-model';
import { addVenue, loadVenueKinds, removeVenue, saveSecret, secretStatus, updateVenue } from './venue-actions';
import {
  addInput,
  draftErrors,
  editDraft,
  effectiveValue,
  errorText,
  formSections,
  hasChanges,
  inputView,
  isRequired,
  liveNotes,
  newDraft,
  placeholderOf,
  setInput,
  setValue,
  shortLabel,
  venueStatusView,
  type SettingSpec,
  type VenueDraft,
} from './venue-model';

/** The header entry. */
export function VenuesButton() {
  const [open, setOpen] = useState(false);
  const count = useEngine((s) => Object.keys(s.venues).length);
  const down = useEngine((s) => Object.values(s.venues).filter((v) => venueStatusView(v).tone === 'bad').length);
  return (
    <>
      <button type="button" className="btn mini venues-btn" data-testid="open-venues" title="Venues: add, edit and remove accounts" onClick={() => setOpen(true)}>
        Venues <span className="count num">{count}</span>
        {down > 0 && (
          <span className="count bad num" title={`${down} venue${down === 1 ? '' : 's'} down`}>
            {down} down
          </span>
        )}
      </button>
      {open && <VenuesPanel onClose={() => setOpen(false)} />}
    </>
  );
}

type FormState = { readonly mode: 'add' } | { readonly mode: 'edit'; readonly name: string };

export function VenuesPanel({ onClose }: { onClose: () => void }) {
  const venues = useEngine((s) => s.venues);
  const list = useMemo(() => Object.values(venues).sort((a, b) => a.name.localeCompare(b.name)), [venues]);
  const [kinds, setKinds] = useState<VenueKindInfo[]>();
  const [kindsError, setKindsError] = useState<ApiError>();
  const [form, setForm] = useState<FormState>();

  useEffect(() => {
    let live = true;
    void loadVenueKinds().then((r) => {
      if (!live) return;
      if (r.ok) setKinds(r.value);
      else setKindsError(r.error);
    });
    return () => {
      live = false;
    };
  }, []);

  const editing = form?.mode === 'edit' ? venues[form.name] : undefined;
  const editKind = editing ? kinds?.find((k) => k.kind === editing.kind) : undefined;

  return (
    <Dialog title="Venues" testId="venues-panel" className="venues-modal" onCancel={onClose}>
      <div className="modal-body venues-body">
        <table className="grid venues-grid">
          <thead>
            <tr>
              <th>Venue</th>
              <th>Kind</th>
              <th>State</th>
              <th>Detail</th>
              <th>Mode</th>
              <th className="r" />
            </tr>
          </thead>
          <tbody>
            {list.map((v) => (
              <VenueRow key={v.name} venue={v} kinds={kinds} editing={form?.mode === 'edit' && form.name === v.name} onEdit={() => setForm({ mode: 'edit', name: v.name })} />
            ))}
            {list.length === 0 && (
              <tr className="empty">
                <td colSpan={6}>No venues configured. Add one below.</td>
              </tr>
            )}
          </tbody>
        </table>

        {kindsError && (
          <div className="inline-error" role="alert" data-testid="venue-kinds-error">
            Could not list venue kinds: {errorText(kindsError)}
          </div>
        )}

        {form?.mode === 'add' && kinds && <VenueForm key="add" mode="add" kinds={kinds} existing={list.map((v) => v.name)} onDone={() => setForm(undefined)} />}
        {form?.mode === 'edit' && editing && editKind && <VenueForm key={`edit-${editing.name}`} mode="edit" kinds={[editKind]} venue={editing} existing={[]} onDone={() => setForm(undefined)} />}
        {form?.mode === 'edit' && editing && kinds && !editKind && <div className="inline-error">This build has no settings form for the kind "{editing.kind}".</div>}
        {form?.mode === 'edit' && !editing && <div className="muted small">That venue is gone.</div>}

        <div className="modal-actions">
          {!form && (
            <button type="button" className="btn" data-testid="venue-add" disabled={!kinds} onClick={() => setForm({ mode: 'add' })}>
              + Add venue
            </button>
          )}
          <span className="spacer" />
          <button type="button" className="btn ghost" data-testid="venues-close" onClick={onClose}>
            Close <kbd>Esc</kbd>
          </button>
        </div>
      </div>
    </Dialog>
  );
}

function VenueRow({ venue: v, kinds, editing, onEdit }: { venue: VenueInfo; kinds: VenueKindInfo[] | undefined; editing: boolean; onEdit: () => void }) {
  const [confirm, setConfirm] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const st = venueStatusView(v);
  const kind = kinds?.find((k) => k.kind === v.kind);
  const remove = async () => {
    setBusy(true);
    setError(undefined);
    const r = await removeVenue(v.name);
    setBusy(false);
    if (!r.ok) {
      setError(r.error);
      setConfirm(false);
    }
  };
  return (
    <>
      <tr data-testid="venue-row" data-venue={v.name} data-kind={v.kind} data-state={v.state} data-phase={st.phase} className={editing ? 'selected' : undefined}>
        <td className="sym">{v.name}</td>
        <td className="muted" title={v.label}>
          {shortLabel(kind?.label ?? v.label) || v.kind}
        </td>
        <td>
          <span className={`phase phase-${st.tone}`} data-testid="venue-row-phase">
            <span className={`dot ${st.tone}`} aria-hidden="true" /> {st.phase}
          </span>
        </td>
        <td className="detail ellip" data-testid="venue-row-detail" title={v.detail}>
          {v.detail || '—'}
        </td>
        <td>
          <span className={`mode mode-${v.mode}`}>{modeLabel(v.mode, v.canaryPct)}</span>
        </td>
        <td className="actions-cell r">
          {confirm ? (
            <span className="confirm-remove">
              <span className="neg">Remove {v.name}?</span>
              <button type="button" className="btn mini ghost" data-testid="venue-remove-cancel" onClick={() => setConfirm(false)} disabled={busy}>
                Keep
              </button>
              <button type="button" className="btn mini danger-solid" data-testid="venue-remove-confirm" onClick={() => void remove()} disabled={busy}>
                {busy ? 'Removing…' : 'Remove'}
              </button>
            </span>
          ) : (
            <>
              <button type="button" className="btn mini" data-testid="venue-edit" onClick={onEdit} disabled={editing}>
                Edit
              </button>
              <button
                type="button"
                className="btn mini danger"
                data-testid="venue-remove"
                onClick={() => {
                  setError(undefined);
                  setConfirm(true);
                }}
              >
                Remove
              </button>
            </>
          )}
        </td>
      </tr>
      {error && (
        <tr className="row-error">
          <td colSpan={6}>
            <span className="inline-error" role="alert" data-testid="venue-row-error" data-code={error.code}>
              {errorText(error)}
            </span>
          </td>
        </tr>
      )}
    </>
  );
}

function VenueForm(props: { mode: 'add' | 'edit'; kinds: VenueKindInfo[]; venue?: VenueInfo; existing: readonly string[]; onDone: () => void }) {
  const { mode, kinds, venue } = props;
  const initialKind = kinds[0]!;
  const [kindName, setKindName] = useState(initialKind.kind);
  const kind = kinds.find((k) => k.kind === kindName) ?? initialKind;
  const [draft, setDraft] = useState<VenueDraft>(() => (venue ? editDraft(kind, venue) : newDraft(kind)));
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const errors = draftErrors(kind, draft, mode, props.existing);
  const changed = mode === 'edit' && venue ? hasChanges(kind, venue, draft) : true;

  // Secret inputs are uncontrolled: their values never enter React state or the store.
  const secretRefs = useRef<Record<string, HTMLInputElement | null>>({});
  const takeSecrets = (): Array<[string, string]> => {
    const out: Array<[string, string]> = [];
    for (const s of kind.secrets) {
      const el = secretRefs.current[s.field];
      if (el && el.value !== '') out.push([s.field, el.value]);
      if (el) el.value = '';
    }
    return out;
  };

  const pickKind = (k: string) => {
    const next = kinds.find((x) => x.kind === k);
    if (!next) return;
    setKindName(k);
    setDraft((d) => ({ ...newDraft(next), name: d.name }));
    setTried(false);
    setError(undefined);
  };
  const upd = (key: string, value: string) => {
    setDraft((d) => setValue(d, key, value));
    setError(undefined);
  };

  const submit = async () => {
    setTried(true);
    if (Object.keys(errors).length > 0 || busy || !changed) return;
    setBusy(true);
    setError(undefined);
    if (mode === 'add') {
      const r = await addVenue(addInput(kind, draft));
      if (!r.ok) {
        setBusy(false);
        setError(r.error);
        return;
      }
      const secrets = takeSecrets();
      for (const [field, value] of secrets) {
        const s = await saveSecret(r.value.name, field, value);
        if (!s.ok) {
          setBusy(false);
          setError({ ...s.error, message: `Venue ${r.value.name} was added, but its secret ${field} was not stored: ${errorText(s.error)}` });
          return;
        }
      }
      setBusy(false);
      props.onDone();
    } else if (venue) {
      const r = await updateVenue(setInput(kind, venue, draft));
      setBusy(false);
      if (!r.ok) setError(r.error);
      else props.onDone();
    }
  };

  const { basic, advanced } = formSections(kind);
  const notes = liveNotes(kind, draft);

  const field = (s: SettingSpec) => {
    const err = errors[s.key];
    const show = err !== undefined && (tried || (draft.values[s.key] ?? '').trim() !== '');
    return (
      <label key={s.key} className="field venue-field">
        <span>
          {s.label}
          {isRequired(s) && (
            <b className="req" title="required">
              *
            </b>
          )}
          <code className="key">{s.key}</code>
        </span>
        <SettingInput spec={s} value={draft.values[s.key] ?? ''} invalid={show} onChange={(v) => upd(s.key, v)} />
        {s.presets && s.presets.length > 0 && (
          <span className="port-picks" role="group" aria-label={`Common values: ${s.label}`}>
            {s.presets.map((p) => (
              <button
                key={p.value}
                type="button"
                className={`btn mini pick ${effectiveValue(kind, draft, s.key) === p.value ? 'on' : ''} ${p.live ? 'live' : ''}`}
                data-testid={`venue-preset-${s.key}-${p.value}`}
                title={`${p.label}: ${p.value}`}
                onClick={() => upd(s.key, p.value)}
              >
                <b className="num">{p.value}</b> {p.label}
              </button>
            ))}
          </span>
        )}
        {show ? (
          <span className="field-error" data-testid={`venue-field-error-${s.key}`}>
            {err}
          </span>
        ) : (
          s.help && <span className="help">{s.help}</span>
        )}
      </label>
    );
  };

  return (
    <form
      className="venue-form"
      data-testid="venue-form"
      data-mode={mode}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <div className="venue-form-head">
        <h2>{mode === 'add' ? 'Add venue' : `Edit ${venue?.name}`}</h2>
        <span className="muted small">{kind.label}</span>
      </div>
      <div className="venue-grid">
        {mode === 'add' ? (
          <>
            <label className="field venue-field">
              <span>Kind</span>
              <select data-testid="venue-kind" value={kind.kind} onChange={(e) => pickKind(e.target.value)}>
                {kinds.map((k) => (
                  <option key={k.kind} value={k.kind}>
                    {k.label}
                  </option>
                ))}
              </select>
            </label>
            <label className="field venue-field">
              <span>
                Name <code className="key">optional</code>
              </span>
              <input
                data-testid="venue-name"
                className={errors.name && draft.name.trim() ? 'invalid' : undefined}
                value={draft.name}
                placeholder={props.existing.includes(kind.kind) ? `${kind.kind}-2` : kind.kind}
                autoComplete="off"
                spellCheck={false}
                onChange={(e) => {
                  const name = e.target.value;
                  setDraft((d) => ({ ...d, name }));
                  setError(undefined);
                }}
              />
              {errors.name ? (
                <span className="field-error" data-testid="venue-field-error-name">
                  {errors.name}
                </span>
              ) : (
                <span className="help">Lowercase letters, digits, - and _. Used by the CLI and the ticket.</span>
              )}
            </label>
          </>
        ) : null}
        {basic.map(field)}
      </div>

      {notes.map((n) => (
        <div key={n.key} className="venue-note warn" data-testid={`venue-live-note-${n.key}`}>
          {n.note}
        </div>
      ))}

      {advanced.length > 0 && (
        <details className="venue-advanced" open={advanced.some((s) => errors[s.key] !== undefined && tried)}>
          <summary>Advanced ({advanced.length})</summary>
          <div className="venue-grid">{advanced.map(field)}</div>
        </details>
      )}

      {kind.secrets.length > 0 && <SecretFields kind={kind} venue={venue} refs={secretRefs} />}

      {error && (
        <div className="inline-error venue-form-error" role="alert" data-testid="venue-form-error" data-code={error.code}>
          {errorText(error)}
        </div>
      )}
      {tried && Object.keys(errors).length > 0 && !error && (
        <div className="inline-error" data-testid="venue-form-invalid">
          Fix the highlighted field{Object.keys(errors).length === 1 ? '' : 's'} first.
        </div>
      )}

      <div className="modal-actions">
        <button type="button" className="btn ghost" data-testid="venue-form-cancel" onClick={props.onDone} disabled={busy}>
          Cancel
        </button>
        {mode === 'add' ? (
          <button type="submit" className="btn primary" data-testid="venue-add-submit" disabled={busy}>
            {busy ? 'Connecting…' : `Add ${kind.kind} venue`}
          </button>
        ) : (
          <button
            type="submit"
            className="btn primary"
            data-testid="venue-edit-submit"
            disabled={busy || !changed}
            title={changed ? 'Saves the changed settings and restarts the venue' : 'Nothing changed yet'}
          >
            {busy ? 'Restarting…' : 'Save & restart'}
          </button>
        )}
      </div>
    </form>
  );
}

/** One setting's input, chosen by its declared type (a select for booleans and enums). */
function SettingInput({ spec: s, value, invalid, onChange }: { spec: SettingSpec; value: string; invalid: boolean; onChange: (v: string) => void }) {
  const view = inputView(s);
  if (view.element === 'select') {
    return (
      <select data-testid={`venue-setting-${s.key}`} className={invalid ? 'invalid' : undefined} value={value} aria-invalid={invalid || undefined} onChange={(e) => onChange(e.target.value)}>
        {view.options?.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    );
  }
  return (
    <input
      data-testid={`venue-setting-${s.key}`}
      className={invalid ? 'invalid' : undefined}
      value={value}
      placeholder={placeholderOf(s)}
      inputMode={view.inputMode}
      autoComplete="off"
      spellCheck={false}
      aria-invalid={invalid || undefined}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}

/**
 * Write-only secret inputs. In the add form they are sent right after the venue is created; in the
 * edit form each has its own Save. Badges come from `secret.status` (set / not set, never a value).
 */
function SecretFields({ kind, venue, refs }: { kind: VenueKindInfo; venue: VenueInfo | undefined; refs: RefObject<Record<string, HTMLInputElement | null>> }) {
  const [status, setStatus] = useState<Record<string, boolean>>();
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<{ field: string; text: string }>();
  const name = venue?.name;

  const refresh = async (venueName: string) => {
    const r = await secretStatus(venueName);
    if (r.ok) setStatus(Object.fromEntries(r.value.fields.map((f) => [f.field, f.set])));
  };
  useEffect(() => {
    if (name) void refresh(name);
  }, [name]);

  const save = async (field: string) => {
    const el = refs.current[field];
    if (!name || !el || el.value === '') return;
    const value = el.value;
    el.value = '';
    setBusy(field);
    setError(undefined);
    const r = await saveSecret(name, field, value);
    setBusy(undefined);
    if (!r.ok) setError({ field, text: errorText(r.error) });
    await refresh(name);
  };

  return (
    <fieldset className="venue-secrets">
      <legend>
        Secrets <span className="muted">stored in the OS keychain · write-only</span>
      </legend>
      {kind.secrets.map((s) => {
        const set = status?.[s.field];
        return (
          <div key={s.field} className="secret-row">
            <span className="secret-label">{s.label}</span>
            {name && (
              <span className={`secret-badge ${set ? 'set' : 'unset'}`} data-testid={`venue-secret-status-${s.field}`} data-set={set === undefined ? 'unknown' : String(set)}>
                {set === undefined ? '…' : set ? 'set' : 'not set'}
              </span>
            )}
            <input
              type="password"
              data-testid={`venue-secret-${s.field}`}
              ref={(el) => {
                refs.current[s.field] = el;
              }}
              defaultValue=""
              autoComplete="new-password"
              spellCheck={false}
              placeholder={name ? (set ? 'replace…' : 'paste to store') : 'stored after the venue is added'}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && name) {
                  e.preventDefault();
                  void save(s.field);
                }
              }}
            />
            {name && (
              <button type="button" className="btn mini" data-testid={`venue-secret-save-${s.field}`} disabled={busy === s.field} onClick={() => void save(s.field)}>
                {busy === s.field ? 'Saving…' : 'Save'}
              </button>
            )}
            {error?.field === s.field && (
              <span className="inline-error secret-error" role="alert" data-testid={`venue-secret-error-${s.field}`}>
                {error.text}
              </span>
            )}
          </div>
        );
      })}
    </fieldset>
  );
}
