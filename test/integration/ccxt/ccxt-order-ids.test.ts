/** The ccxt venue's id tables: a data file from before migration 002 keeps its orders findable by exchange id; a replace keeps the old id ours. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src-main/engine/store/db';
import { applyOwnedMigrations } from '../../../src-main/engine/store/owned-migrations';
import { CCXT_MIGRATIONS } from '../../../src-main/engine/venues/ccxt/ccxt-migrations';
import { CcxtOrderIds } from '../../../src-main/engine/venues/ccxt/ccxt-order-ids';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function db() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-ccxt-ids-'));
  dirs.push(dir);
  return openDatabase(path.join(dir, 'tradeport.db'));
}

describe('ccxt order ids', () => {
  it('002 carries the ids already known into ccxt_order_ids', () => {
    const d = db();
    applyOwnedMigrations(d, 'ccxt', CCXT_MIGRATIONS.slice(0, 1));
    d.prepare("INSERT INTO ccxt_orders (venue, client_id, symbol, venue_order_id, created_at) VALUES ('v', 'c1', 'BTC/USDT', 'X1', 1), ('v', 'c2', 'BTC/USDT', NULL, 2)").run();
    applyOwnedMigrations(d, 'ccxt', CCXT_MIGRATIONS);
    const ids = new CcxtOrderIds(d, 'v', () => 5);
    expect(ids.cidOf('X1')).toBe('c1');
    expect(ids.superseded('X1')).toBe(false);
    d.close();
  });

  it('a replace moves the order to the new id; the old one still names it, marked superseded', () => {
    const d = db();
    applyOwnedMigrations(d, 'ccxt', CCXT_MIGRATIONS);
    const ids = new CcxtOrderIds(d, 'v', () => 5);
    ids.sending('c1', 'BTC/USDT');
    ids.acked('c1', 'A');
    ids.replaced('c1', 'B');
    expect(ids.of('c1')).toEqual({ symbol: 'BTC/USDT', venueOrderId: 'B' });
    expect([ids.cidOf('A'), ids.superseded('A'), ids.cidOf('B'), ids.superseded('B')]).toEqual(['c1', true, 'c1', false]);
    ids.replaced('c1', 'C');
    expect([ids.superseded('A'), ids.superseded('B'), ids.superseded('C'), ids.cidOf('B')]).toEqual([true, true, false, 'c1']);
    d.close();
  });
});
