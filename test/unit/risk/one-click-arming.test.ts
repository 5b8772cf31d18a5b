/** The engine's one-click armed state on scripted events and a scripted audit log (risk/one-click-arming.ts). */
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../src-main/engine/api/events';
import type { VenueInfo, KillSwitchStatus } from '../../../src-main/engine/api/commands';
import type { AuditEntry, AuditInput } from '../../../src-main/engine/store/audit-repo';
import { OneClickArming } from '../../../src-main/engine/risk/one-click-arming';
import { openDatabase } from '../../../src-main/engine/store/db';
import { AuditRepo } from '../../../src-main/engine/store/audit-repo';
import { EngineStateRepo } from '../../../src-main/engine/store/kv';

function memState() {
  const m = new Map<string, unknown>();
  return { get: <T>(k: string) => m.get(k) as T | undefined, set: (k: string, v: unknown) => void m.set(k, v) };
}

function rig(log: AuditInput[] = []) {
  const events: EngineEvent[] = [];
  const audit = {
    append: (e: AuditInput) => void log.push(e),
    // Newest first, like the repo.
    list: (o: { action?: string } = {}): AuditEntry[] =>
      log
        .map((e, seq) => ({ ...e, seq }))
        .filter((e) => !o.action || e.action.startsWith(o.action))
        .reverse(),
  };
  let now = 1000;
  const arming = new OneClickArming({ audit, state: memState(), now: () => ++now, emit: (e) => events.push(e) });
  return { arming, events, log };
}
const venueEvent = (name: string, state: VenueInfo['state']): EngineEvent => ({ type: 'venue', venue: { name, kind: 'paper', label: name, state, mode: 'paper', detail: '', settings: {}, since: 0 } });
const ks = (state: KillSwitchStatus['state']): EngineEvent => ({ type: 'killSwitch', state: { state } as KillSwitchStatus });
const armEntry = (venue: string, armed: boolean, ok = true): AuditInput => ({ ts: 1, actor: 'user', transport: 'ipc', action: 'oneClick.arm', venue, ok, detail: { input: { venue, armed } } });

describe('one-click arming (engine)', () => {
  it('a venue that leaves connected disarms only its own account, with the reason', () => {
    const { arming, events, log } = rig();
    arming.arm('a');
    arming.arm('b');
    arming.onEvent(venueEvent('a', 'degraded'));
    expect(arming.isArmed('a')).toBe(true);
    arming.onEvent(venueEvent('a', 'connecting'));
    expect(arming.list().map((x) => x.venue)).toEqual(['b']);
    expect(log).toEqual([expect.objectContaining({ action: 'oneClick.disarmed', venue: 'a', actor: 'engine', detail: { reason: 'venue disconnected' } })]);
    expect(events.at(-1)).toMatchObject({ type: 'oneClick', venue: 'a', armed: false, reason: 'venue disconnected' });
    // Nothing armed there: nothing to audit.
    arming.onEvent(venueEvent('a', 'disconnected'));
    expect(log).toHaveLength(1);
  });

  it('a running kill switch changes nothing; a trip clears every account', () => {
    const { arming, log } = rig();
    arming.arm('a');
    arming.onEvent(ks('running'));
    expect(arming.isArmed('a')).toBe(true);
    arming.arm('b');
    arming.onEvent(ks('reducing'));
    expect(arming.list()).toEqual([]);
    expect(log.map((e) => [e.venue, e.detail.reason])).toEqual([
      ['a', 'kill switch tripped'],
      ['b', 'kill switch tripped'],
    ]);
  });

  it('a journal from before the state row: at start closes exactly the accounts whose last successful entry is an arm', () => {
    const { arming, log } = rig([
      armEntry('open', true),
      armEntry('closed', true),
      armEntry('closed', false),
      armEntry('cleared', true),
      { ts: 2, actor: 'engine', transport: 'internal', action: 'oneClick.disarmed', venue: 'cleared', ok: true, detail: { reason: 'kill switch tripped' } },
      armEntry('refusedLast', true),
      armEntry('refusedLast', true, false),
      armEntry('neverArmed', true, false),
    ]);
    expect(arming.closeDangling().sort()).toEqual(['open', 'refusedLast']);
    expect(log.slice(8).map((e) => [e.action, e.venue, e.detail.reason])).toEqual(
      expect.arrayContaining([
        ['oneClick.disarmed', 'open', 'engine restarted'],
        ['oneClick.disarmed', 'refusedLast', 'engine restarted'],
      ]),
    );
    expect(arming.closeDangling()).toEqual([]);
  });

  it('at start reads the small armed-state row, never the audit log, however large it is', () => {
    const db = openDatabase(':memory:');
    const repo = new AuditRepo(db);
    const state = new EngineStateRepo(db);
    db.transaction(() => {
      for (let i = 0; i < 50_000; i++)
        repo.append({ ts: i, actor: 'user', transport: 'ipc', action: i % 2 ? 'order.place' : 'oneClick.arm', venue: `v${i % 7}`, ok: true, detail: { input: { armed: true } } });
    })();
    let listed = 0;
    const audit = { append: (e: AuditInput) => repo.append(e), list: (o?: Parameters<AuditRepo['list']>[0]) => (listed++, repo.list(o)) };
    const events: EngineEvent[] = [];
    const deps = { audit, state, now: () => 5, emit: (e: EngineEvent) => void events.push(e) };
    // The first start on a journal with no state row reads the audit log once (the legacy dangling arms)...
    expect(new OneClickArming(deps).closeDangling().sort()).toEqual(['v0', 'v1', 'v2', 'v3', 'v4', 'v5', 'v6']);
    expect(listed).toBe(1);
    // ...and from then on no start reads it.
    const session = new OneClickArming(deps);
    expect(session.closeDangling()).toEqual([]);
    session.arm('v1');
    session.arm('v2');
    session.disarm('v2');
    // The engine stops while v1 is armed; the next start closes it from the state row alone.
    const next = new OneClickArming(deps);
    expect(next.closeDangling()).toEqual(['v1']);
    expect(repo.list({ limit: 1 })[0]).toMatchObject({ action: 'oneClick.disarmed', venue: 'v1', actor: 'engine', detail: { reason: 'engine restarted' } });
    expect(new OneClickArming(deps).closeDangling()).toEqual([]);
    expect(listed).toBe(1);
    db.close();
  });

  it('a clear by the engine leaves nothing for the next start to close', () => {
    const state = memState();
    const log: AuditInput[] = [];
    const audit = { append: (e: AuditInput) => void log.push(e), list: (): AuditEntry[] => [] };
    const a = new OneClickArming({ audit, state, now: () => 1, emit: () => {} });
    a.closeDangling();
    a.arm('a');
    a.arm('b');
    expect(state.get('oneClick.armed')).toEqual(['a', 'b']);
    a.onEvent(ks('halted'));
    expect(state.get('oneClick.armed')).toEqual([]);
    expect(new OneClickArming({ audit, state, now: () => 2, emit: () => {} }).closeDangling()).toEqual([]);
  });
});
