/** The positions view's calls to the engine: preview and close one position, flatten them all, cancel an instrument's orders. */
import type { PositionPreview } from '../../../../src-main/engine/api/commands';
import type { Order } from '../../../../src-main/engine/domain/order';
import { isWorking } from '../../../../src-main/engine/domain/order';
import type { PositionAction } from '../../../../src-main/engine/domain/position-close';
import { invoke } from '../../api/invoke';
import { cancelOrder } from '../../store/actions';
import type { FlattenAllAsk } from './positions-model';

export const previewPosition = (venue: string, symbol: string, action: PositionAction) => invoke('position.preview', { venue, symbol, action });

/** Places on the preview the trader saw: the engine refuses if the position or anything the preview showed has changed. */
export const confirmClose = (pv: PositionPreview) =>
  invoke('position.close', { venue: pv.position.venue, symbol: pv.position.instrumentId, action: pv.action, ...(pv.preview.previewId ? { previewId: pv.preview.previewId } : {}) });

export const flattenAll = (ask: FlattenAllAsk) => invoke('positions.flatten', { ...ask.input });

/** The right-click menu's "Cancel orders of SYM". */
export async function cancelInstrumentOrders(venue: string, instrumentId: string, orders: Readonly<Record<string, Order>>): Promise<number> {
  const mine = Object.values(orders).filter((o) => o.venue === venue && o.instrumentId === instrumentId && isWorking(o.status));
  await Promise.all(mine.map((o) => cancelOrder(o.id, o.venue)));
  return mine.length;
}
