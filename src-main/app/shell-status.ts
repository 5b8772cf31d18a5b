/**
 * What the tray says at a glance: one pure function from the engine's venues and kill switch to a
 * level, a tooltip and the lines of the tray menu. The tray (tray.ts) only renders this.
 *
 *   killed   — the kill switch is halted or reducing (trading stopped, whatever the venues do)
 *   down     — at least one enabled venue is disconnected or in error
 *   degraded — at least one venue is connecting or degraded
 *   ok       — every enabled venue is connected (or there is none)
 */
import type { KillSwitchStatus, VenueInfo } from '../engine/api/commands';

export type ShellLevel = 'ok' | 'degraded' | 'down' | 'killed';

export interface ShellStatus {
  readonly level: ShellLevel;
  readonly tooltip: string;
  /** One line per venue for the tray menu ("Paper — connected"). */
  readonly venueLines: readonly string[];
  readonly killSwitchTripped: boolean;
}

const LEVEL_ORDER: Record<ShellLevel, number> = { ok: 0, degraded: 1, down: 2, killed: 3 };

function venueLevel(v: VenueInfo): ShellLevel {
  switch (v.state) {
    case 'connected':
    case 'disabled':
      return 'ok';
    case 'connecting':
    case 'degraded':
      return 'degraded';
    case 'disconnected':
    case 'error':
      return 'down';
  }
}

export function shellStatus(venues: readonly VenueInfo[], killSwitch: Pick<KillSwitchStatus, 'state' | 'workingOrders'> | undefined): ShellStatus {
  const tripped = killSwitch !== undefined && killSwitch.state !== 'running';
  let level: ShellLevel = 'ok';
  for (const v of venues) if (LEVEL_ORDER[venueLevel(v)] > LEVEL_ORDER[level]) level = venueLevel(v);
  if (tripped) level = 'killed';

  const sorted = [...venues].sort((a, b) => a.name.localeCompare(b.name));
  const venueLines = sorted.map((v) => `${v.name} — ${v.state}${v.mode !== 'live' && v.kind !== 'paper' ? ` (${v.mode.toUpperCase()})` : ''}`);
  const problems = sorted.filter((v) => venueLevel(v) !== 'ok').map((v) => `${v.name} ${v.state}`);
  const head = tripped ? `Kill switch ${killSwitch!.state.toUpperCase()}` : problems.length > 0 ? problems.join(', ') : venues.length === 0 ? 'No venues' : 'All venues connected';
  const orders = killSwitch ? ` · ${killSwitch.workingOrders} working order${killSwitch.workingOrders === 1 ? '' : 's'}` : '';
  return { level, tooltip: `Tradeport — ${head}${orders}`, venueLines, killSwitchTripped: tripped };
}
