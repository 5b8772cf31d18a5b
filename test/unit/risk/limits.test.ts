import { describe, expect, it } from 'vitest';
import {
  applyRiskSet,
  DEFAULT_LIMITS,
  emptyRiskConfig,
  LIMIT_FIELDS,
  resolveLimits,
  RISK_LIMIT_KEYS,
  riskConfigSchema,
  riskSetSchema,
  type RiskConfig,
} from '../../../src-main/engine/domain/risk-limits';

const layered: RiskConfig = {
  version: 1,
  global: { maxOrderNotional: '10000', maxOrderQty: '500', priceCollarPct: '3' },
  venues: { alpaca: { maxOrderNotional: '5000', maxOrderQty: '200' }, paper: { maxOrderNotional: 'off' } },
  instruments: { alpaca: { 'alpaca:AAPL': { maxOrderQty: '50' } } },
};

describe('resolveLimits', () => {
  it('instrument beats venue beats global beats default, field by field', () => {
    const l = resolveLimits(layered, 'alpaca', 'alpaca:AAPL');
    expect(l.maxOrderQty.value?.toFixed()).toBe('50');
    expect(l.maxOrderQty.scope).toEqual({ kind: 'instrument', venue: 'alpaca', instrumentId: 'alpaca:AAPL' });
    expect(l.maxOrderNotional.value?.toFixed()).toBe('5000');
    expect(l.maxOrderNotional.scope).toEqual({ kind: 'venue', venue: 'alpaca' });
    expect(l.priceCollarPct.value?.toFixed()).toBe('3');
    expect(l.priceCollarPct.scope).toEqual({ kind: 'global' });
    expect(l.dailyLossLimit.value?.toFixed()).toBe(DEFAULT_LIMITS.dailyLossLimit);
    expect(l.dailyLossLimit.scope).toEqual({ kind: 'default' });
  });

  it('another instrument on the same venue gets the venue limit, another venue gets the global one', () => {
    expect(resolveLimits(layered, 'alpaca', 'alpaca:MSFT').maxOrderQty.value?.toFixed()).toBe('200');
    expect(resolveLimits(layered, 'kraken', 'kraken:XBT/USD').maxOrderQty.value?.toFixed()).toBe('500');
    // The AAPL override is keyed under alpaca: the same instrument id under another venue does not inherit it.
    expect(resolveLimits(layered, 'ibkr', 'alpaca:AAPL').maxOrderQty.value?.toFixed()).toBe('500');
  });

  it('"off" at a narrower scope switches off a broader limit', () => {
    const l = resolveLimits(layered, 'paper', 'paper:AAPL');
    expect(l.maxOrderNotional.value).toBeNull();
    expect(l.maxOrderNotional.scope).toEqual({ kind: 'venue', venue: 'paper' });
  });

  it('resolves every field, and the documented defaults are what an empty config gives', () => {
    const l = resolveLimits(emptyRiskConfig(), 'alpaca', 'alpaca:AAPL');
    for (const f of LIMIT_FIELDS) {
      const def = DEFAULT_LIMITS[f];
      expect(l[f].value === null ? 'off' : l[f].value!.toFixed()).toBe(def);
    }
    expect(l.maxOrderNotional.value?.toFixed()).toBe('25000');
    expect(l.maxOrderQty.value).toBeNull();
  });

  it('a venue called __proto__ does not resolve to Object.prototype', () => {
    const cfg = applyRiskSet(emptyRiskConfig(), { field: 'maxOrderQty', value: '7', venue: '__proto__' });
    expect(resolveLimits(cfg, '__proto__', 'x').maxOrderQty.value?.toFixed()).toBe('7');
    expect(resolveLimits(cfg, 'alpaca', 'x').maxOrderQty.value).toBeNull();
    expect(({} as Record<string, unknown>)['maxOrderQty']).toBeUndefined();
  });
});

describe('applyRiskSet', () => {
  it('sets a value at each scope without mutating the input', () => {
    const base = emptyRiskConfig();
    const a = applyRiskSet(base, { field: 'maxOrderNotional', value: '1000' });
    const b = applyRiskSet(a, { field: 'maxOrderNotional', value: '500', venue: 'alpaca' });
    const c = applyRiskSet(b, { field: 'maxOrderNotional', value: '100', venue: 'alpaca', instrumentId: 'alpaca:AAPL' });
    expect(base).toEqual(emptyRiskConfig());
    expect(a.venues).toEqual({});
    expect(resolveLimits(c, 'alpaca', 'alpaca:AAPL').maxOrderNotional.value?.toFixed()).toBe('100');
    expect(resolveLimits(c, 'alpaca', 'alpaca:TSLA').maxOrderNotional.value?.toFixed()).toBe('500');
    expect(resolveLimits(c, 'kraken', 'kraken:X').maxOrderNotional.value?.toFixed()).toBe('1000');
    expect(riskConfigSchema.safeParse(c).success).toBe(true);
  });

  it('inherit removes the override and prunes empty scopes', () => {
    const a = applyRiskSet(emptyRiskConfig(), { field: 'maxOrderQty', value: '5', venue: 'alpaca', instrumentId: 'alpaca:AAPL' });
    const b = applyRiskSet(a, { field: 'maxOrderQty', value: 'inherit', venue: 'alpaca', instrumentId: 'alpaca:AAPL' });
    expect(b.instruments).toEqual({});
    const g = applyRiskSet(applyRiskSet(emptyRiskConfig(), { field: 'dailyLossLimit', value: '50' }), { field: 'dailyLossLimit', value: 'inherit' });
    expect(resolveLimits(g, 'v', 'v:x').dailyLossLimit.scope).toEqual({ kind: 'default' });
  });

  it('refuses an instrument override without its venue', () => {
    expect(() => applyRiskSet(emptyRiskConfig(), { field: 'maxOrderQty', value: '5', instrumentId: 'alpaca:AAPL' })).toThrow();
  });
});

describe('riskSetSchema (risk set <key> <value> [--venue V] [--symbol S])', () => {
  it('accepts every CLI key and canonicalises the value', () => {
    for (const key of RISK_LIMIT_KEYS) {
      const r = riskSetSchema.safeParse({ key, value: '10' });
      expect(r.success, key).toBe(true);
    }
    const r = riskSetSchema.parse({ key: 'max_order_notional', value: '10000.50', venue: 'alpaca', symbol: 'AAPL' });
    expect(r).toEqual({ key: 'max_order_notional', field: 'maxOrderNotional', value: '10000.5', venue: 'alpaca', symbol: 'AAPL' });
    expect(riskSetSchema.parse({ key: 'max_open_orders', value: 20 }).value).toBe('20');
    expect(riskSetSchema.parse({ key: 'max_order_qty', value: 'OFF' }).value).toBe('off');
    expect(riskSetSchema.parse({ key: 'max_order_qty', value: 'inherit', venue: 'alpaca' }).value).toBe('inherit');
  });

  const bad: Array<[Record<string, unknown>, RegExp]> = [
    [{ key: 'max_order_notional', value: '10,000' }, /plain number/],
    [{ key: 'max_order_notional', value: '-5' }, /at least 0/],
    [{ key: 'max_open_orders', value: '2.5' }, /whole number/],
    [{ key: 'price_collar_pct', value: '0' }, /greater than 0/],
    [{ key: 'price_collar_pct', value: '150' }, /at most 100/],
    [{ key: 'daily_loss_limit', value: '0' }, /greater than 0/],
    [{ key: 'max_quote_age_ms', value: '1e3' }, /plain number/],
    [{ key: 'max_order_qty', value: '5', symbol: 'AAPL' }, /needs --venue/],
    [{ key: 'max_leverage', value: '5' }, /key must be one of/],
  ];
  it.each(bad)('refuses %j with a message saying what is wrong', (input, msg) => {
    const r = riskSetSchema.safeParse(input);
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.message).join(' ')).toMatch(msg);
  });
});

describe('riskConfigSchema', () => {
  it('rejects a stored config with an invalid value or unknown field', () => {
    expect(riskConfigSchema.safeParse(layered).success).toBe(true);
    expect(riskConfigSchema.safeParse({ ...layered, global: { maxOrderQty: 'lots' } }).success).toBe(false);
    expect(riskConfigSchema.safeParse({ ...layered, global: { maxLeverage: '2' } }).success).toBe(false);
    expect(riskConfigSchema.safeParse({ ...layered, version: 2 }).success).toBe(false);
  });
});
