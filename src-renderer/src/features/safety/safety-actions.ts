/** Engine calls for the safety UI. State the engine pushes (kill switch, reports) goes through the store. */
import type { ApiError } from '../../../../src-main/engine/api/errors';
import type { CommandInput, KillSwitchStatus } from '../../../../src-main/engine/api/commands';
import { invoke } from '../../api/invoke';
import { applyKillSwitch, applyReconcileReports } from '../../store/engine-state';
import type { EngineStore } from '../../store/engine-store';
import { engineStore } from '../../store/hooks';
import type { TripChoice } from './safety-model';

const setKillSwitch = (k: KillSwitchStatus) => engineStore.setState((s) => applyKillSwitch(s, k) as Partial<EngineStore>);

let tripping = false;

/** The emergency stop. Never asks: it only ever makes trading safer. */
export async function tripKillSwitch(choice: TripChoice, via: 'button' | 'hotkey' | 'menu'): Promise<void> {
  if (tripping) return;
  tripping = true;
  try {
    const r = await invoke('killSwitch.trip', { mode: choice.mode, flatten: choice.flatten, reason: `Tripped from the app (${via}).` });
    const log = engineStore.getState().notice;
    if (!r.ok) {
      log('error', `Kill switch: ${r.error.code} — ${r.error.message}`);
      return;
    }
    setKillSwitch(r.value.status);
    const sw = r.value.sweep;
    const failed = sw.failed.length ? `; ${sw.failed.length} could not be cancelled yet (${sw.failed.map((f) => f.orderId).join(', ')})` : '';
    const flat = r.value.flatten.length ? `; flatten: ${r.value.flatten.map((f) => `${f.side} ${f.qty} ${f.symbol}${f.message ? ` (${f.message})` : ''}`).join(', ')}` : '';
    log(
      sw.failed.length ? 'warn' : 'info',
      `Kill switch ${r.value.status.state.toUpperCase()}${r.value.note ? ` (${r.value.note})` : ''}: cancelled ${sw.cancelled} of ${sw.requested} working order${sw.requested === 1 ? '' : 's'}${sw.pending ? `, ${sw.pending} still being cancelled` : ''}${failed}${flat}.`,
    );
  } finally {
    tripping = false;
  }
}

export async function resetKillSwitch(note: string): Promise<ApiError | undefined> {
  const r = await invoke('killSwitch.reset', { confirm: true, ...(note.trim() ? { note: note.trim() } : {}) });
  if (!r.ok) return r.error;
  setKillSwitch(r.value.status);
  engineStore.getState().notice('info', `Kill switch reset: trading resumed${note.trim() ? ` (${note.trim()})` : ''}.`);
  return undefined;
}

export async function refreshKillSwitch(): Promise<void> {
  const r = await invoke('killSwitch.status', {});
  if (r.ok) setKillSwitch(r.value);
}

export async function setMode(input: CommandInput<'mode.set'>): Promise<ApiError | undefined> {
  const r = await invoke('mode.set', input);
  if (!r.ok) return r.error;
  engineStore.setState((s) => ({ venues: { ...s.venues, [r.value.venue.name]: r.value.venue } }));
  return undefined;
}

export async function runReconcile(venue?: string): Promise<ApiError | undefined> {
  const r = await invoke('reconcile.run', venue ? { venue } : {});
  if (!r.ok) return r.error;
  engineStore.setState((s) => applyReconcileReports(s, r.value) as Partial<EngineStore>);
  return undefined;
}

export async function loadReconcileReports(venue?: string): Promise<void> {
  const r = await invoke('reconcile.reports', { limit: 100, ...(venue ? { venue } : {}) });
  if (r.ok) engineStore.setState((s) => applyReconcileReports(s, r.value) as Partial<EngineStore>);
}

/** Saves text as a file via a same-origin blob: URL (downloads are navigations; the CSP does not restrict them). */
export function downloadText(filename: string, text: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Give the browser time to start reading the blob before it goes.
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}
