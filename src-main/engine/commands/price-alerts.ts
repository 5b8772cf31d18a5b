/** `alert add|list|remove`: price alerts (domain/price-alert.ts), armed on the quote stream by portfolio/price-alert-monitor.ts. */
import { randomUUID } from 'node:crypto';
import type { CommandHandlers } from '../api/engine-api';
import { TradeportError } from '../api/errors';
import { parseDecimal, type Decimal } from '../domain/money';
import { triggers, watchedPrice, type PriceAlert } from '../domain/price-alert';
import type { PriceAlertMonitor } from '../portfolio/price-alert-monitor';
import type { PriceAlertsRepo } from '../store/price-alerts-repo';
import { findInstrumentOnDemand } from '../venues/market-views';
import type { VenueManager } from '../venues/venue-manager';

export interface PriceAlertCommandsDeps {
  readonly venues: Pick<VenueManager, 'get' | 'require'>;
  readonly repo: PriceAlertsRepo;
  readonly monitor: PriceAlertMonitor;
  readonly now: () => number;
}

export function priceAlertCommands(d: PriceAlertCommandsDeps): Pick<CommandHandlers, 'alert.add' | 'alert.list' | 'alert.remove'> {
  return {
    'alert.add': async (i) => {
      const inst = await findInstrumentOnDemand(d.venues, i.venue, i.symbol);
      const conn = d.venues.require(i.venue);
      if (!conn.quote(inst.id) && conn.snapshotQuote) await conn.snapshotQuote(inst.id).catch(() => undefined);
      const q = conn.quote(inst.id);
      const now = q ? watchedPrice(q) : undefined;
      if (!now) throw new TradeportError('no_quote', `No price for ${inst.symbol} on ${i.venue} yet; an alert needs one to start from.`);
      const level = i.condition === 'move_pct' ? parseDecimal(i.pct) : parseDecimal(i.price);
      const condition = i.condition === 'cross' ? sideOf(level, now, inst.symbol) : i.condition;
      if (condition === 'move_pct') {
        if (i.price !== undefined || !level || level.lte(0) || level.gt(1000)) throw new TradeportError('invalid_input', 'A move alert takes pct (a percent above 0, at most 1000) and no price.');
      } else if (i.pct !== undefined || !level || level.lte(0)) {
        throw new TradeportError('invalid_price', `A crosses-${condition} alert takes a price above 0 and no pct.`);
      }
      const base = { condition, refPrice: now.toFixed(), ...(condition === 'move_pct' ? { pct: level!.toFixed() } : { price: level!.toFixed() }) };
      if (triggers(base, now)) {
        throw new TradeportError(
          'invalid_price',
          `${inst.symbol} is at ${now.toFixed()}, already ${condition} ${level!.toFixed()}: the alert would fire at once. Set it on the other side of the market.`,
        );
      }
      const a: PriceAlert = { id: `pa-${randomUUID().slice(0, 8)}`, venue: i.venue, instrumentId: inst.id, symbol: inst.symbol, ...base, ...(i.note ? { note: i.note } : {}), createdAt: d.now() };
      d.monitor.add(a);
      return a;
    },
    'alert.list': (i) => d.repo.list(i.all),
    'alert.remove': (i) => {
      const a = d.monitor.remove(i.id);
      if (!a) throw new TradeportError('invalid_input', `No price alert "${i.id}". List them with: tradeport alerts`);
      return { id: a.id, removed: true as const };
    },
  };
}

/** "Alert at this price": above the engine's market now is a rise to it, below is a fall; at it, there is nothing to wait for. */
function sideOf(level: Decimal | undefined, now: Decimal, symbol: string): 'above' | 'below' {
  if (!level || level.lte(0)) throw new TradeportError('invalid_price', 'An alert at a price takes a price above 0.');
  if (level.eq(now)) throw new TradeportError('invalid_price', `${symbol} is at ${now.toFixed()} now: pick a price above or below the market.`);
  return level.gt(now) ? 'above' : 'below';
}
