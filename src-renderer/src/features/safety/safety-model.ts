/**
 * Pure rules behind the safety UI (kill switch, modes, risk, audit), unit-tested without a DOM.
 */
import type { AuditEntryView, KillSwitchStatus, Preview, ReconcileChangeView, VenueInfo, VenueMode } from '../../../../src-main/engine/api/commands';
import type { CommandInput } from '../../../../src-main/engine/api/commands';
import { isWorking, type Order } from '../../../../src-main/engine/domain/order';
import { chordOf, DEFAULT_BINDINGS, type KeyPress } from '../hotkeys/hotkeys-model';

// ── kill switch ────────────────────────────────────────────────────────────────────────────────

/** Ctrl+Shift+K (⌘⇧K on macOS) unless remapped (features/hotkeys). Works from anywhere, text fields included: it is the emergency stop. */
export function isKillSwitchHotkey(e: KeyPress, chord: string = DEFAULT_BINDINGS['kill-switch']): boolean {
  return chord !== '' && chordOf(e) === chord;
}

export type TripChoice = { readonly mode: 'halted' | 'reducing'; readonly flatten: boolean };

export const TRIP_CHOICES: ReadonlyArray<TripChoice & { id: string; label: string; help: string }> = [
  { id: 'halt', mode: 'halted', flatten: false, label: 'Halt', help: 'Cancel every working order; refuse all new orders' },
  { id: 'halt-flatten', mode: 'halted', flatten: true, label: 'Halt + flatten', help: 'Also close every position with marketable orders' },
  { id: 'reducing', mode: 'reducing', flatten: false, label: 'Reduce only', help: 'Cancel every working order; accept only orders that shrink a position' },
  { id: 'reducing-flatten', mode: 'reducing', flatten: true, label: 'Reduce only + flatten', help: 'Reduce only, and close every position' },
];

/** The word the reset dialog asks for. */
export const RESET_WORD = 'RESET';

export function resetConfirmed(typed: string): boolean {
  return typed.trim() === RESET_WORD;
}

/**
 * Orders the trip's sweep is still cancelling, counted from the orders on screen (which events keep
 * current), not from the count the engine gave at trip time: that one goes stale the moment the
 * first cancel lands. Orders placed after the trip (reduce-only allows some) are not the sweep's.
 */
export function sweepStillWorking(orders: Readonly<Record<string, Pick<Order, 'status' | 'createdAt'>>>, k: Pick<KillSwitchStatus, 'state' | 'trippedAt'>): number {
  if (k.state === 'running') return 0;
  let n = 0;
  for (const id in orders) {
    const o = orders[id]!;
    if (isWorking(o.status) && (k.trippedAt === null || o.createdAt <= k.trippedAt)) n++;
  }
  return n;
}

/**
 * One line for the banner: what is blocked, since when, why, by whom. `stillWorking` is the live
 * count (sweepStillWorking); without it the engine's count at status time is used.
 */
export function killSwitchSummary(k: KillSwitchStatus, fmtTime: (ts: number) => string, stillWorking: number = k.workingOrders): string {
  if (k.state === 'running') return 'Trading is running.';
  const what = k.state === 'halted' ? 'HALTED — no new orders are accepted' : 'REDUCE ONLY — only orders that shrink a position are accepted';
  const parts = [`Kill switch ${what}`];
  if (k.trippedAt) parts.push(`since ${fmtTime(k.trippedAt)} UTC`);
  if (k.actor) parts.push(`by ${k.actor}`);
  let line = parts.join(' · ');
  if (k.reason) line += `. ${k.reason}`;
  if (k.flattenPending) line += ' Flattening positions…';
  else if (k.flatten) line += ' Positions flattened.';
  if (stillWorking > 0) line += ` ${stillWorking} working order${stillWorking === 1 ? '' : 's'} still being cancelled.`;
  return line;
}

// ── modes ──────────────────────────────────────────────────────────────────────────────────────

export type RoutingMode = Exclude<VenueMode, 'paper'>;

export function modeLabel(mode: VenueMode, canaryPct?: number | null): string {
  return mode === 'canary' ? `CANARY ${canaryPct ?? 0}%` : mode.toUpperCase();
}

/** LIVE and CANARY send real orders: the user must type the venue name. SHADOW never does. */
export function modeNeedsTypedName(to: RoutingMode): boolean {
  return to !== 'shadow';
}

export interface ModeDraft {
  readonly to: RoutingMode;
  /** As typed in the % box. */
  readonly canaryPct: string;
  readonly typed: string;
}

export type ModeDraftCheck = { ok: true; input: CommandInput<'mode.set'> } | { ok: false; reason: string };

/** What Apply would send, or why it is disabled. The engine re-checks everything. */
export function checkModeDraft(venue: VenueInfo, d: ModeDraft): ModeDraftCheck {
  if (venue.mode === 'paper') return { ok: false, reason: `${venue.name} is the simulated Paper venue; it has no modes.` };
  let pct: number | undefined;
  if (d.to === 'canary') {
    const t = d.canaryPct.trim();
    if (!/^\d{1,2}(\.\d{1,2})?$/.test(t)) return { ok: false, reason: 'Canary share: a percentage above 0 and below 100, at most two decimals.' };
    pct = Number(t);
    if (!(pct > 0 && pct < 100)) return { ok: false, reason: 'Canary share must be above 0 and below 100 (use SHADOW for 0 %, LIVE for 100 %).' };
  }
  const same = d.to === venue.mode && (d.to !== 'canary' || pct === venue.canaryPct);
  if (same) return { ok: false, reason: `${venue.name} is already ${modeLabel(venue.mode, venue.canaryPct)}.` };
  if (modeNeedsTypedName(d.to) && d.typed.trim() !== venue.name) return { ok: false, reason: `Type the venue name "${venue.name}" to confirm.` };
  const input: { -readonly [K in keyof CommandInput<'mode.set'>]: CommandInput<'mode.set'>[K] } = { venue: venue.name, mode: d.to };
  if (pct !== undefined) input.canaryPct = pct;
  if (modeNeedsTypedName(d.to)) input.typedVenueName = d.typed.trim();
  return { ok: true, input };
}

/** The route line the preview shows: what will happen to THIS order. */
export function describeRoute(p: Pick<Preview, 'route' | 'mode' | 'canaryPct' | 'venue'>): { badge: string; text: string; tone: 'paper' | 'shadow' | 'live' } {
  const venue = p.venue;
  if (p.route === 'paper') return { badge: 'PAPER', text: 'Simulated by the Paper venue. Nothing is sent.', tone: 'paper' };
  const canary = p.mode === 'canary' ? `CANARY ${p.canaryPct ?? 0}% · ` : '';
  if (p.route === 'live') return { badge: `${canary}LIVE`, text: `A real order at ${venue}.${canary ? ' This order was picked for the live share.' : ''}`, tone: 'live' };
  return { badge: `${canary}SHADOW`, text: `Simulated on ${venue} quotes; never sent to ${venue}.${canary ? ' This order falls in the shadow share.' : ''}`, tone: 'shadow' };
}

// ── risk limits ────────────────────────────────────────────────────────────────────────────────

/**
 * An engine refusal of a limit edit, in the risk tab's words: the limit's label instead of its
 * key (`price_collar_pct`), without the schema's field path (`"value": `) or the error code.
 */
export function riskErrorText(message: string, labels: Readonly<Record<string, string>>): string {
  let out = message.replace(/^"[\w.]+":\s*/, '');
  for (const [key, label] of Object.entries(labels)) out = out.replace(new RegExp(`\\b${key}\\b`, 'g'), label);
  return out.charAt(0).toUpperCase() + out.slice(1);
}

// ── reconcile ──────────────────────────────────────────────────────────────────────────────────

const CHANGE_LABEL: Record<ReconcileChangeView['kind'], string> = { fill: 'fill', order: 'order', adopted: 'adopted', position: 'position', balance: 'balance' };
export const changeLabel = (k: ReconcileChangeView['kind']): string => CHANGE_LABEL[k] ?? k;

// ── audit ──────────────────────────────────────────────────────────────────────────────────────

export interface AuditFilters {
  readonly action: string;
  readonly venue: string;
  readonly actor: string;
  /** `YYYY-MM-DDTHH:MM` (a datetime-local value) read as UTC, or ''. */
  readonly since: string;
}

export const emptyAuditFilters: AuditFilters = { action: '', venue: '', actor: '', since: '' };

/** `2025-03-01T10:30` (or with seconds) as UTC milliseconds; undefined when empty or malformed. */
export function parseUtcDateTime(v: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(v.trim());
  if (!m) return undefined;
  const ts = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0));
  return Number.isFinite(ts) ? ts : undefined;
}

export function auditQuery(f: AuditFilters, limit = 500): CommandInput<'audit.list'> {
  const q: { -readonly [K in keyof CommandInput<'audit.list'>]: CommandInput<'audit.list'>[K] } = { limit };
  if (f.action.trim()) q.action = f.action.trim();
  if (f.venue.trim()) q.venue = f.venue.trim();
  if (f.actor.trim()) q.actor = f.actor.trim();
  const since = parseUtcDateTime(f.since);
  if (since !== undefined) q.sinceTs = since;
  return q;
}

/** `tradeport-audit-20250301-103000Z.csv` */
export function auditCsvFilename(now: number): string {
  const d = new Date(now).toISOString(); // 2025-03-01T10:30:00.000Z
  return `tradeport-audit-${d.slice(0, 10).replace(/-/g, '')}-${d.slice(11, 19).replace(/:/g, '')}Z.csv`;
}

/** The audit detail as one short readable line (the full JSON is in the title / CSV). */
export function auditDetailLine(e: Pick<AuditEntryView, 'detail'>, max = 160): string {
  const d = e.detail ?? {};
  const pick = (k: string) => (typeof d[k] === 'string' ? (d[k] as string) : undefined);
  const err = d.error && typeof d.error === 'object' ? (d.error as { code?: string; message?: string }) : undefined;
  let line = pick('summary') ?? pick('reason') ?? '';
  if (!line && 'from' in d && 'to' in d) line = `${String(d.from)} → ${String(d.to)}`;
  if (err) line = `${err.code ?? 'error'}: ${err.message ?? ''}${line ? ` · ${line}` : ''}`;
  if (!line) line = JSON.stringify(d);
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
