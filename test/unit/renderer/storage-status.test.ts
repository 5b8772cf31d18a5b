import { describe, expect, it } from 'vitest';
import { applyEvents, applySnapshot, emptyEngineData } from '../../../src-renderer/src/store/engine-state';
import type { Snapshot } from '../../../src-main/engine/api/commands';

const full = { state: 'full', message: 'The disk is full: …', since: 5 } as const;

describe('storage status (the status bar’s "disk full")', () => {
  it('follows storage events and the snapshot', () => {
    const s1 = applyEvents(emptyEngineData, [{ type: 'storage', storage: full }]);
    expect(s1.storage).toEqual(full);
    const s2 = applyEvents(s1, [{ type: 'storage', storage: { state: 'ok', message: 'Writes work.', since: 9 } }]);
    expect(s2.storage?.state).toBe('ok');
    const snap = { info: { version: '1', dataDir: '/d', pid: 1, startedAt: 0 }, venues: [], orders: [], fills: [], positions: [], balances: [], quotes: [], storage: full } as Snapshot;
    expect(applySnapshot(s2, snap).storage).toEqual(full);
  });
});
