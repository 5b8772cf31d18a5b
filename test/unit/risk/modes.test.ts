import { describe, expect, it } from 'vitest';
import { canaryBucket, hashClientOrderId, routeFor, validateModeChange } from '../../../src-main/engine/domain/routing';

const ids = (n: number, prefix = 'tp-') => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(8, '0')}`);

describe('routeFor', () => {
  it('shadow never goes live and live always does', () => {
    for (const id of ids(100)) {
      expect(routeFor('shadow', 100, id)).toBe('shadow');
      expect(routeFor('live', 0, id)).toBe('live');
    }
  });

  it('canary is deterministic for one client id', () => {
    for (const id of ids(200)) {
      const first = routeFor('canary', 30, id);
      for (let i = 0; i < 3; i++) expect(routeFor('canary', 30, id)).toBe(first);
    }
  });

  it.each([1, 5, 25, 50, 90])('sends close to %d percent of 10,000 sequential ids live', (pct) => {
    const live = ids(10_000).filter((id) => routeFor('canary', pct, id) === 'live').length;
    // Binomial sd at 10,000 is at most 50 ids; allow 4 sd.
    expect(Math.abs(live - pct * 100)).toBeLessThanOrEqual(200);
  });

  it('spreads ids evenly over the buckets (not just on average)', () => {
    const deciles = new Array<number>(10).fill(0);
    for (const id of ids(10_000, 'x')) deciles[Math.floor(canaryBucket(id) / 10)]!++;
    for (const n of deciles) expect(Math.abs(n - 1_000)).toBeLessThanOrEqual(130);
  });

  it('raising the percentage only adds ids to the live set', () => {
    for (const id of ids(2_000)) {
      if (routeFor('canary', 5, id) === 'live') expect(routeFor('canary', 20, id)).toBe('live');
    }
  });

  it('a zero, negative or NaN percentage routes to shadow', () => {
    for (const id of ids(500)) {
      expect(routeFor('canary', 0, id)).toBe('shadow');
      expect(routeFor('canary', -5, id)).toBe('shadow');
      expect(routeFor('canary', Number.NaN, id)).toBe('shadow');
      expect(routeFor('canary', 100, id)).toBe('live');
    }
  });

  it('pins the hash: changing it would re-route orders already previewed or journaled', () => {
    expect(hashClientOrderId('')).toBe(hashClientOrderId(''));
    const pinned = ['tp-00000001', 'tp-00000002', 'abc', 'TP_x-9'].map(hashClientOrderId);
    expect(pinned).toEqual(PINNED);
    expect(new Set(pinned).size).toBe(4);
  });
});

// Computed by an independent Python FNV-1a + murmur3 fmix32 (FNV-1a of "abc" is the published 0x1a47e90b).
const PINNED = [2392524682, 1419894494, 482950588, 3318763610];

describe('validateModeChange', () => {
  it('going LIVE without arming is refused with what to do in the app and the CLI', () => {
    const r = validateModeChange({ venue: 'alpaca', from: 'shadow', to: 'live' });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.message).toBe('LIVE on alpaca sends every order to the venue as a real order. To confirm, type the venue name in the app, or add --arm in the CLI.');
  });

  it('--arm or the typed venue name arms it', () => {
    const cli = validateModeChange({ venue: 'alpaca', from: 'shadow', to: 'live', arm: true });
    expect(cli).toEqual({ ok: true, value: { venue: 'alpaca', from: 'shadow', to: 'live', canaryPct: null, changed: true, armed: true, summary: 'alpaca: SHADOW → LIVE (armed)' } });
    expect(validateModeChange({ venue: 'alpaca', from: 'shadow', to: 'live', typedVenueName: ' alpaca ' }).ok).toBe(true);
  });

  it('a mistyped venue name is refused even with --arm', () => {
    for (const typed of ['Alpaca', 'alpac', '', 'kraken']) {
      const r = validateModeChange({ venue: 'alpaca', from: 'shadow', to: 'live', arm: true, typedVenueName: typed });
      expect(r.ok, typed).toBe(false);
      expect(!r.ok && r.error.message).toContain('type the venue name "alpaca" exactly');
    }
  });

  it('CANARY needs arming and a percentage strictly between 0 and 100 with two decimals at most', () => {
    expect(validateModeChange({ venue: 'kraken', from: 'shadow', to: 'canary', canaryPct: 5 }).ok).toBe(false);
    const ok = validateModeChange({ venue: 'kraken', from: 'shadow', to: 'canary', canaryPct: 5, arm: true });
    expect(ok.ok && ok.value).toMatchObject({ to: 'canary', canaryPct: 5, armed: true, summary: 'kraken: SHADOW → CANARY 5 % (armed)' });
    for (const pct of [undefined, 0, 100, -1, 150, Number.NaN, 2.345]) {
      const r = validateModeChange({ venue: 'kraken', from: 'shadow', to: 'canary', canaryPct: pct, arm: true });
      expect(r.ok, String(pct)).toBe(false);
    }
    expect(validateModeChange({ venue: 'kraken', from: 'shadow', to: 'canary', canaryPct: 0.25, arm: true }).ok).toBe(true);
    expect(validateModeChange({ venue: 'kraken', from: 'shadow', to: 'live', canaryPct: 5, arm: true }).ok).toBe(false);
  });

  it('more live exposure needs arming, less never does', () => {
    expect(validateModeChange({ venue: 'v', from: 'canary', fromCanaryPct: 5, to: 'canary', canaryPct: 10 }).ok).toBe(false);
    expect(validateModeChange({ venue: 'v', from: 'canary', fromCanaryPct: 5, to: 'live' }).ok).toBe(false);
    const lower = validateModeChange({ venue: 'v', from: 'canary', fromCanaryPct: 10, to: 'canary', canaryPct: 5 });
    expect(lower.ok && lower.value).toMatchObject({ changed: true, armed: false });
    expect(validateModeChange({ venue: 'v', from: 'live', to: 'canary', canaryPct: 50 }).ok).toBe(true);
    const off = validateModeChange({ venue: 'v', from: 'live', to: 'shadow' });
    expect(off.ok && off.value).toMatchObject({ changed: true, armed: false, summary: 'v: LIVE → SHADOW' });
  });

  it('no change is reported as such', () => {
    const r = validateModeChange({ venue: 'v', from: 'shadow', to: 'shadow' });
    expect(r.ok && r.value.changed).toBe(false);
    const same = validateModeChange({ venue: 'v', from: 'canary', fromCanaryPct: 5, to: 'canary', canaryPct: 5 });
    expect(same.ok && same.value.changed).toBe(false);
  });

  it('a venue with no live route cannot be armed', () => {
    const r = validateModeChange({ venue: 'paper', from: 'shadow', to: 'live', arm: true, liveCapable: false });
    expect(!r.ok && r.error.message).toContain('paper has no live route');
  });
});
