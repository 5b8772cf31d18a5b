/** Venue kinds this build can connect to. Adding a venue = a folder with the same shape + one line here. */
import type Database from 'better-sqlite3';
import { applyOwnedMigrations } from '../store/owned-migrations';
import type { VenueFactory } from './venue-port';
import { paperVenueFactory } from './paper';
import { ibkrVenueFactory } from './ibkr';
import { alpacaVenueFactory } from './alpaca';
import { binanceVenueFactory } from './binance';
import { krakenVenueFactory } from './kraken';
import { coinbaseVenueFactory } from './coinbase';
import { ccxtVenueFactory } from './ccxt';
import { tastytradeVenueFactory } from './tastytrade';

export const VENUE_FACTORIES: ReadonlyMap<string, VenueFactory> = new Map([
  [paperVenueFactory.info.kind, paperVenueFactory],
  [ibkrVenueFactory.info.kind, ibkrVenueFactory],
  [alpacaVenueFactory.info.kind, alpacaVenueFactory],
  [binanceVenueFactory.info.kind, binanceVenueFactory],
  [krakenVenueFactory.info.kind, krakenVenueFactory],
  [coinbaseVenueFactory.info.kind, coinbaseVenueFactory],
  [ccxtVenueFactory.info.kind, ccxtVenueFactory],
  [tastytradeVenueFactory.info.kind, tastytradeVenueFactory],
]);

/** Applies each venue kind's own migrations, in registry order; the engine calls it before building any connector. */
export function applyVenueMigrations(db: Database.Database, factories: ReadonlyMap<string, VenueFactory>, now?: () => number): void {
  for (const f of factories.values()) if (f.migrations) applyOwnedMigrations(db, f.info.kind, f.migrations, now);
}
