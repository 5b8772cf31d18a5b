/**
 * The zustand store of engine state, and the sync loop that feeds it: subscribe first, fetch the
 * snapshot, then replay what arrived meanwhile; refetch on every reconnect.
 *
 * Built on zustand/vanilla so the sync loop runs (and is tested) without React or a DOM.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ApiError } from '../../../src-main/engine/api/errors';
import type { Instrument } from '../../../src-main/engine/domain/instrument';
import type { EngineLink, LinkStatus } from '../api/connection';
import { EventCoalescer, type FrameScheduler } from './coalescer';
import { addNotice, applyEvents, applyKillSwitch, applyReconcileReports, applySnapshot, emptyEngineData, rememberInstruments, type EngineData, type Notice } from './engine-state';

export interface EngineStore extends EngineData {
  readonly link: LinkStatus;
  readonly transport: 'ipc' | 'bridge' | undefined;
  readonly fake: boolean;
  /** Why the last snapshot request failed, until one succeeds. */
  readonly snapshotError: ApiError | undefined;
  rememberInstruments(list: readonly Instrument[]): void;
  notice(level: Notice['level'], message: string): void;
}

export function createEngineStore(): StoreApi<EngineStore> {
  return createStore<EngineStore>()((set) => ({
    ...emptyEngineData,
    link: { state: 'connecting', detail: 'starting' },
    transport: undefined,
    fake: false,
    snapshotError: undefined,
    rememberInstruments: (list) => set((s) => rememberInstruments(s, list) as Partial<EngineStore>),
    notice: (level, message) => set((s) => addNotice(s, level, message, Date.now()) as Partial<EngineStore>),
  }));
}

export interface SyncOptions {
  readonly schedule: FrameScheduler;
  /** Delay before asking for the snapshot again after a failure. */
  readonly retryMs?: number;
  readonly setTimer?: (fn: () => void, ms: number) => unknown;
}

/** Connects `link` to `store`. Returns a stop function. */
export function startSync(link: EngineLink, store: StoreApi<EngineStore>, opts: SyncOptions): () => void {
  const setTimer = opts.setTimer ?? ((fn: () => void, ms: number) => setTimeout(fn, ms));
  const buffer = new EventCoalescer((events) => store.setState((s) => applyEvents(s, events) as Partial<EngineStore>), opts.schedule);
  let generation = 0;
  let stopped = false;

  store.setState({ transport: link.client.transport, fake: link.fake, link: link.status() });

  // Subscribe before asking for the snapshot, so nothing between the two is lost.
  const unsubscribe = link.client.subscribe((events) => buffer.push(events));

  /**
   * Kill switch state and recent reconcile reports are not in the snapshot; fetched beside it,
   * applied whenever they answer (their own merge rules make that safe). An engine that predates
   * them refuses or throws: the panels then show what events bring.
   */
  async function loadSafety(): Promise<void> {
    const ask = async <T>(f: () => Promise<T>): Promise<T | undefined> => {
      try {
        return await f();
      } catch {
        return undefined;
      }
    };
    const [ks, reports] = await Promise.all([ask(() => link.client.invoke('killSwitch.status', {})), ask(() => link.client.invoke('reconcile.reports', { limit: 50 }))]);
    if (stopped) return;
    if (ks?.ok) store.setState((s) => applyKillSwitch(s, ks.value) as Partial<EngineStore>);
    if (reports?.ok) store.setState((s) => applyReconcileReports(s, reports.value) as Partial<EngineStore>);
  }

  async function load(): Promise<void> {
    const gen = ++generation;
    void loadSafety();
    // Events from before this (re)load belong to the old state; apply them, then hold new ones
    // until the snapshot they follow is in place.
    buffer.flush();
    buffer.hold();
    const r = await link.client.invoke('snapshot.get', {});
    if (stopped || gen !== generation) return;
    if (r.ok) {
      store.setState((s) => ({ ...(applySnapshot(s, r.value) as Partial<EngineStore>), snapshotError: undefined }));
      buffer.release();
    } else {
      store.setState({ snapshotError: r.error });
      if (r.error.code !== 'unauthorized') setTimer(() => void (gen === generation && !stopped && load()), opts.retryMs ?? 2000);
    }
  }

  const offStatus = link.onStatus((status, reconnected) => {
    store.setState({ link: status });
    if (reconnected) void load();
  });

  void load();

  return () => {
    stopped = true;
    unsubscribe();
    offStatus();
    buffer.dispose();
  };
}
