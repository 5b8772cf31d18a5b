/**
 * The ladder's engine side: watch one instrument's book (`book.watch`, then `book` events from the
 * raw stream, applied at most once per animation frame), stage a click on the ticket and preview
 * it there (the ticket's own preview → confirm path), move an own order, cancel one.
 */
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import type { EngineEvent } from '../../../../src-main/engine/api/events';
import type { BookSnapshot } from '../../../../src-main/engine/domain/order';
import { invoke } from '../../api/invoke';
import type { FrameScheduler } from '../../store/coalescer';
import { cancelOrder } from '../../store/actions';
import { editTicket, placeTicket, previewTicket, ticketStore } from '../ticket/ticket-store';
import { canPlace } from '../ticket/ticket-model';
import { clickMode } from '../one-click/one-click-model';
import { oneClickStore } from '../one-click/one-click-instance';
import { addVolumeAtPrice, clickIntent, dragChange, type LadderColumn, type VolumeMark } from './ladder-model';
import type { PriceAlert } from '../../../../src-main/engine/domain/price-alert';
import type { Order } from '../../../../src-main/engine/domain/order';

export const LADDER_DEPTH = 40;

/** Whether the ladder column is shown: open on a wide screen, closed where it would squeeze the blotter (toggle in the book's head). */
export const ladderOpenStore = createStore<{ open: boolean }>()(() => ({ open: typeof window === 'undefined' || window.innerWidth >= 1500 }));
export const useLadderOpen = (): boolean => useStore(ladderOpenStore, (s) => s.open);
export const toggleLadder = (): void => ladderOpenStore.setState((s) => ({ open: !s.open }));

interface LadderBook {
  readonly venue?: string;
  readonly instrumentId?: string;
  readonly book?: BookSnapshot;
  readonly error?: string;
  /** Book events applied: one per frame at most. */
  readonly frames: number;
  /** Armed price alerts of the watched instrument (drawn on their rows). */
  readonly alerts?: readonly PriceAlert[];
  /** The watched instrument's tick (volume at price is kept per tick). */
  readonly tick?: string;
  /** Volume traded at each price since the ladder opened on this instrument. */
  readonly volumeAt?: Readonly<Record<string, string>>;
}

export const ladderStore = createStore<LadderBook>()(() => ({ frames: 0 }));
export const useLadderBook = <T>(pick: (s: LadderBook) => T): T => useStore(ladderStore, pick);

let pending: BookSnapshot | undefined;
let scheduled = false;
/** The last quote's volume and price, and the volume at price built from the rises since. */
let mark: VolumeMark | undefined;
let volumeAt: Record<string, string> = {};
let volumeChanged = false;
let schedule: FrameScheduler = (cb) => {
  const t = setTimeout(cb, 16);
  return () => clearTimeout(t);
};

/** The raw event stream's feed (main.tsx): the newest book of the watched instrument, drawn on the next frame. */
export function ladderFeed(scheduler: FrameScheduler): { onEvents: (events: readonly EngineEvent[]) => void } {
  schedule = scheduler;
  return {
    onEvents(events) {
      const s = ladderStore.getState();
      for (const e of events) {
        if (e.type === 'book' && e.venue === s.venue && e.book.instrumentId === s.instrumentId) pending = e.book;
        if (e.type === 'quote' && e.quote.venue === s.venue && e.quote.instrumentId === s.instrumentId) {
          const next = addVolumeAtPrice(volumeAt, mark, e.quote, s.tick ?? '0.01');
          if (next) {
            volumeAt = next;
            volumeChanged = true;
          }
          mark = { ...(e.quote.volume !== undefined ? { volume: e.quote.volume } : {}), ...(e.quote.last !== undefined ? { last: e.quote.last } : {}) };
        }
        if (e.type === 'priceAlert' && s.alerts?.some((a) => a.id === e.alert.id)) ladderStore.setState({ alerts: s.alerts.filter((a) => a.id !== e.alert.id) });
      }
      if ((!pending && !volumeChanged) || scheduled) return;
      scheduled = true;
      schedule(() => {
        scheduled = false;
        const b = pending;
        pending = undefined;
        const now = ladderStore.getState();
        const vap = volumeChanged ? { volumeAt } : {};
        volumeChanged = false;
        if (b && b.instrumentId === now.instrumentId && (!now.book || b.ts >= now.book.ts)) ladderStore.setState({ book: b, error: undefined, frames: now.frames + 1, ...vap });
        else if (vap.volumeAt) ladderStore.setState(vap);
      });
    },
  };
}

/** Starts watching (and stops the previous watch); returns the unwatch for the effect's cleanup. */
export function watchLadder(venue: string, symbol: string, instrumentId: string, tick?: string): () => void {
  pending = undefined;
  mark = undefined;
  volumeAt = {};
  volumeChanged = false;
  ladderStore.setState({ venue, instrumentId, book: undefined, error: undefined, alerts: [], volumeAt: {}, ...(tick !== undefined ? { tick } : { tick: undefined }) });
  let live = true;
  void refreshAlerts(venue, instrumentId);
  void invoke('book.watch', { venue, symbol, depth: LADDER_DEPTH }).then((r) => {
    if (!live) return;
    const cur = ladderStore.getState();
    if (r.ok) {
      if (!cur.book || r.value.ts >= cur.book.ts) ladderStore.setState({ book: r.value, error: undefined });
    } else ladderStore.setState({ error: `${r.error.code}: ${r.error.message}` });
  });
  return () => {
    live = false;
    void invoke('book.unwatch', { venue, symbol });
  };
}

/**
 * A click on a ladder cell: the ticket gets side, type and price (its quantity stays), then
 * previews. With one-click ARMED on this venue, a preview the engine allows is placed at once (the
 * same place, bound to that preview); otherwise Place on the ticket confirms.
 */
export async function stageFromLadder(column: LadderColumn, price: string): Promise<void> {
  const i = clickIntent(column, price);
  editTicket({ side: i.side, type: i.type, limitPrice: i.limitPrice ?? '', stopPrice: i.stopPrice ?? '' });
  await previewTicket();
  const t = ticketStore.getState();
  if (clickMode(oneClickStore.getState(), t.instrument?.venue) === 'place' && canPlace(t, Date.now())) await placeTicket({ oneClick: true });
}

/** A dropped own order, once the trader confirmed the change: the engine previews and risk-checks it like any modify. */
export async function moveOrder(o: Order, price: string): Promise<{ ok: true } | { ok: false; message: string }> {
  const change = dragChange(o, price);
  if (!change) return { ok: true };
  const r = await invoke('order.replace', change);
  return r.ok ? { ok: true } : { ok: false, message: `${r.error.code}: ${r.error.message}` };
}

export const cancelFromLadder = (o: Pick<Order, 'id' | 'venue'>) => cancelOrder(o.id, o.venue);

async function refreshAlerts(venue: string, instrumentId: string): Promise<void> {
  const r = await invoke('alert.list', {});
  const s = ladderStore.getState();
  if (r.ok && s.venue === venue && s.instrumentId === instrumentId) ladderStore.setState({ alerts: r.value.filter((a) => a.venue === venue && a.instrumentId === instrumentId) });
}

/**
 * A click on a price: an alert when the market gets there. The engine picks the side (above it: a
 * rise; below: a fall) from its own market when it checks (`cross`), so a market that moved since
 * this frame cannot turn the click into an alert that fires at once.
 */
export async function alertAt(venue: string, symbol: string, instrumentId: string, price: string): Promise<{ ok: boolean; text: string }> {
  const r = await invoke('alert.add', { venue, symbol, condition: 'cross', price });
  if (!r.ok) return { ok: false, text: `${r.error.code}: ${r.error.message}` };
  await refreshAlerts(venue, instrumentId);
  return { ok: true, text: `Alert set: ${symbol} ${r.value.condition} ${r.value.price ?? price}` };
}

export const removeAlert = async (id: string, venue: string, instrumentId: string): Promise<void> => {
  await invoke('alert.remove', { id });
  await refreshAlerts(venue, instrumentId);
};
