import { describe, expect, it } from 'vitest';
import { bindingChanges, canonicalJson, PreviewRegistry, type PreviewBinding } from '../../../src-main/engine/oms/preview-binding';

const base: PreviewBinding = {
  venue: 'ib',
  instrumentId: 'ib:265598',
  clientOrderId: 'tp-abc',
  route: 'shadow',
  mode: 'shadow',
  canaryPct: 0,
  killSwitch: 'running',
  settings: canonicalJson({ host: '127.0.0.1', port: '7497' }),
  limits: canonicalJson({ maxOrderNotional: { value: '25000' } }),
  ticket: { side: 'buy', type: 'limit', qty: '1', limitPrice: '199', tif: 'day' },
};

describe('preview binding', () => {
  it('an unchanged binding has no changes', () => {
    expect(bindingChanges(base, { ...base, ticket: { ...base.ticket } })).toEqual([]);
  });

  it('names the route change first, in the trader’s words', () => {
    const c = bindingChanges(base, { ...base, route: 'live', mode: 'live' });
    expect(c[0]).toBe('the route changed from SHADOW to LIVE');
    expect(c[1]).toBe("the venue's mode changed from SHADOW to LIVE");
  });

  it('a CANARY share change is a change even when this order’s route is the same', () => {
    const c = bindingChanges({ ...base, mode: 'canary', canaryPct: 10 }, { ...base, mode: 'canary', canaryPct: 50 });
    expect(c).toEqual(["the venue's mode changed from CANARY 10% to CANARY 50%"]);
  });

  it('kill switch, settings, limits and every ticket field are bound', () => {
    expect(bindingChanges(base, { ...base, killSwitch: 'halted' })).toEqual(['the kill switch changed from running to halted']);
    expect(bindingChanges(base, { ...base, settings: canonicalJson({ host: '127.0.0.1', port: '4002' }) })).toEqual(["the venue's settings changed"]);
    expect(bindingChanges(base, { ...base, limits: canonicalJson({ maxOrderNotional: { value: '1' } }) })).toEqual(['the risk limits changed']);
    expect(bindingChanges(base, { ...base, ticket: { ...base.ticket, limitPrice: '400' } })).toEqual(['the limit price changed from 199 to 400']);
    expect(bindingChanges(base, { ...base, ticket: { ...base.ticket, stopLoss: { stopPrice: '190' } } })).toEqual(['the stop-loss changed from none to {"stopPrice":"190"}']);
  });

  it('canonical JSON does not depend on key order', () => {
    expect(canonicalJson({ b: 1, a: { d: 2, c: [3, { f: 4, e: 5 }] } })).toBe(canonicalJson({ a: { c: [3, { e: 5, f: 4 }], d: 2 }, b: 1 }));
  });
});

describe('preview registry', () => {
  it('honours a preview until it expires, then forgets it', () => {
    const reg = new PreviewRegistry(1000);
    const { previewId, expiresAt } = reg.issue(base, 10_000);
    expect(expiresAt).toBe(11_000);
    expect(reg.get(previewId, 10_999)?.binding).toEqual(base);
    expect(reg.get(previewId, 11_000)).toBeUndefined();
    expect(reg.get(previewId, 10_500)).toBeUndefined();
  });

  it('ids are unguessable and unique; the registry stays bounded', () => {
    const reg = new PreviewRegistry(60_000, 3);
    const ids = [1, 2, 3, 4].map((n) => reg.issue(base, n).previewId);
    expect(new Set(ids).size).toBe(4);
    expect(reg.get(ids[0]!, 5)).toBeUndefined();
    expect(reg.get(ids[3]!, 5)).toBeDefined();
    expect(ids[0]).toMatch(/^pv_[0-9a-f]{24}$/);
  });
});
