/**
 * Pure rules behind the blotter: bracket exits listed under their entry (and whether they are
 * still held), what "Cancel all" is about to cancel, in words, before it does, and "Cancel both
 * exits" where a venue holds a bracket's exits as one order.
 */
import { isWorking, type Order } from '../../../../src-main/engine/domain/order';
import type { OrderCapabilities } from '../../../../src-main/engine/domain/order-capabilities';

export interface BlotterLine {
  readonly order: Order;
  /** A bracket exit shown under its entry. */
  readonly child: boolean;
  /** The exit does not work yet: the venue holds it until the entry fills. */
  readonly held: boolean;
}

/** A working bracket exit is held while its entry is still working and nothing of it has filled. */
export function isHeldExit(o: Pick<Order, 'parentOrderId' | 'status'>, parent: Pick<Order, 'status' | 'filledQty'> | undefined): boolean {
  if (!o.parentOrderId || !parent || !isWorking(o.status)) return false;
  return parent.status !== 'filled' && /^0*(\.0*)?$/.test(parent.filledQty);
}

/**
 * Orders in display order (`rows` already sorted), each bracket exit right under its entry. An
 * exit whose entry is not in `rows` (in Working: the entry filled, so the exit now protects the
 * position) stays a row of its own.
 */
export function groupBrackets(rows: readonly Order[], all: Readonly<Record<string, Order>>): BlotterLine[] {
  const shown = new Set(rows.map((o) => o.id));
  const children = new Map<string, Order[]>();
  for (const o of rows) {
    if (o.parentOrderId && shown.has(o.parentOrderId)) {
      const list = children.get(o.parentOrderId) ?? [];
      list.push(o);
      children.set(o.parentOrderId, list);
    }
  }
  const out: BlotterLine[] = [];
  for (const o of rows) {
    if (o.parentOrderId && shown.has(o.parentOrderId)) continue;
    out.push({ order: o, child: false, held: isHeldExit(o, o.parentOrderId ? all[o.parentOrderId] : undefined) });
    const kids = (children.get(o.id) ?? []).sort((a, b) => (a.leg === b.leg ? 0 : a.leg === 'take_profit' ? -1 : 1));
    for (const k of kids) out.push({ order: k, child: true, held: isHeldExit(k, o) });
  }
  return out;
}

/** Signed position quantity by `venue|instrumentId` (the engine store's position keys). */
export type PositionQty = (venue: string, instrumentId: string) => string | undefined;

/**
 * An order that guards a position: a bracket exit, or a stop on the side that closes a position
 * held now (a sell stop under a long, a buy stop over a short). A buy stop with nothing held is
 * an entry, not a protection.
 */
export function isProtective(o: Pick<Order, 'type' | 'side' | 'venue' | 'instrumentId' | 'parentOrderId'>, positionQty: PositionQty): boolean {
  if (o.parentOrderId !== undefined) return true;
  if (o.type !== 'stop' && o.type !== 'stop_limit' && o.type !== 'trailing_stop') return false;
  const q = (positionQty(o.venue, o.instrumentId) ?? '0').trim();
  const long = !q.startsWith('-') && /[1-9]/.test(q);
  const short = q.startsWith('-') && /[1-9]/.test(q);
  return (o.side === 'sell' && long) || (o.side === 'buy' && short);
}

export interface CancelAllSummary {
  readonly count: number;
  readonly venues: readonly string[];
  readonly protective: number;
  /** The question the confirmation asks. */
  readonly question: string;
  /** Said only when protective orders are among them. */
  readonly warning: string | undefined;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function listWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

export function cancelAllSummary(working: readonly Order[], positionQty: PositionQty): CancelAllSummary {
  const venues = [...new Set(working.map((o) => o.venue))].sort();
  const protective = working.filter((o) => isProtective(o, positionQty));
  const exits = protective.filter((o) => o.parentOrderId !== undefined).length;
  const stops = protective.length - exits;
  const what = [stops > 0 ? plural(stops, 'protective stop') : '', exits > 0 ? plural(exits, 'bracket exit') : ''].filter(Boolean);
  return {
    count: working.length,
    venues,
    protective: protective.length,
    question: `Cancel ${plural(working.length, 'working order')} on ${listWords(venues)}?`,
    warning:
      what.length === 0
        ? undefined
        : `Among them: ${listWords(what)}. ${protective.length === 1 ? 'Cancelling it leaves the position it guards' : 'Cancelling them leaves the positions they guard'} unprotected.`,
  };
}

/**
 * Whether Cancel on this order must cancel both bracket exits: it is an exit of a bracket on a venue
 * that holds the take-profit and stop-loss as ONE order (`exitsAsOneOrder`, Coinbase), and it took
 * the venue's route (a SHADOW or paper exit is the simulator's own order). The engine refuses such
 * a leg's own cancel; the blotter offers "Cancel both exits" instead.
 */
export function cancelsBothExits(o: Pick<Order, 'parentOrderId' | 'leg'> & { readonly route?: string }, caps: OrderCapabilities | undefined): boolean {
  if (!caps?.exitsAsOneOrder || !o.parentOrderId || (o.leg !== 'take_profit' && o.leg !== 'stop_loss')) return false;
  return o.route !== 'shadow' && o.route !== 'paper';
}

export interface BothExitsCancel {
  /** The order the cancel goes to: the bracket (its entry), which cancels its working exits. */
  readonly parentId: string;
  readonly title: string;
  /** Why one leg cannot go alone, and what will be cancelled. */
  readonly explain: string;
  /** Each working exit, in words (take-profit first). */
  readonly exits: readonly string[];
  /** Said when the entry has filled: the position is left with no exit. */
  readonly warning: string | undefined;
}

const LEG_WORDS = { take_profit: 'take-profit', stop_loss: 'stop-loss' } as const;

function exitWords(o: Order): string {
  const price = o.type === 'stop' || o.type === 'stop_limit' ? `stop ${o.stopPrice ?? '?'}${o.limitPrice ? `, limit ${o.limitPrice}` : ''}` : `@ ${o.limitPrice ?? 'market'}`;
  return `${o.leg ? LEG_WORDS[o.leg] : 'exit'}: ${o.side} ${o.qty} ${o.symbol} ${price}`;
}

/** What "Cancel both exits" on `leg` cancels, in words; `all` is every order the blotter knows (by id). */
export function bothExitsCancel(leg: Order, all: Readonly<Record<string, Order>>): BothExitsCancel {
  const parentId = leg.parentOrderId ?? leg.id;
  const parent = all[parentId];
  const exits = Object.values(all)
    .filter((o) => o.parentOrderId === parentId && isWorking(o.status))
    .sort((a, b) => (a.leg === b.leg ? 0 : a.leg === 'take_profit' ? -1 : 1));
  const shown = exits.some((o) => o.id === leg.id) ? exits : [leg, ...exits];
  const clicked = leg.leg ? LEG_WORDS[leg.leg] : 'exit';
  const other = leg.leg === 'take_profit' ? 'stop-loss' : 'take-profit';
  const held = parent !== undefined && (parent.status === 'filled' || /[1-9]/.test(parent.filledQty));
  return {
    parentId,
    title: 'Cancel both exits',
    explain: `On ${leg.venue} the take-profit and stop-loss of this ${leg.symbol} bracket are one order: the ${clicked} cannot be cancelled alone. Cancelling it cancels the ${other} too — both exits will be cancelled.`,
    exits: shown.map(exitWords),
    warning: held ? `The ${leg.symbol} position they guard stays open with no exit.` : undefined,
  };
}
