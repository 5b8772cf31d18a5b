/** The engine's one-click armed state on scripted events and a scripted audit log (risk/one-click-arming.ts). */
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../src-main/engine/api/events';
import type { VenueInfo, KillSwitchStatus } from '../../../src-main/engine/api/commands';
import type { AuditEntry, AuditInput } from '../../../src-main/engine/store/audit-repo';
import { OneClickArming } from '../../../src-main/engine/risk/one-click-arming';

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
  const arming = new OneClickArming({ audit, now: () => ++now, emit: (e) => events.push(e) });
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

  it('at start closes exactly the accounts whose last successful entry is an arm', () => {
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
});
