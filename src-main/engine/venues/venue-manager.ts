/**
 * Configured venues: their records (SQLite), their running connectors, their secrets (the
 * SecretStore: keychain or encrypted keystore — this class reports "set / not set" and never
 * returns a value).
 */
import type { Preview, VenueInfo, VenueKindInfo, VenueMode } from '../api/commands';
import { settingMessage, settingProblems } from '../api/venue-settings';
import { TradeportError } from '../api/errors';
import type { EngineEvent } from '../api/events';
import type { Clock } from '../ports/clock';
import { secretAccount, type SecretStore } from '../ports/secrets';
import type { Db } from '../store/db';
import type { VenueRecord, VenuesRepo } from '../store/venues-repo';
import { routeFor, type RoutingMode } from '../domain/routing';
import { capabilitiesForMode } from '../domain/order-capabilities';
import type { VenueConnector, VenueFactory, VenueListener, VenueStatus } from './venue-port';

function fixHint(name: string): string {
  return `Fix it with \`tradeport venue set ${name} key=value\` or remove the venue (\`tradeport venue remove ${name}\`).`;
}

export interface VenueManagerDeps {
  readonly db: Db;
  readonly repo: VenuesRepo;
  readonly clock: Clock;
  readonly secrets: SecretStore;
  readonly paperSeed?: number | undefined;
  readonly paperTickMs?: number | undefined;
  /** The built-in Paper venue's settings on a first start (a simulation's sandbox takes the trader's, cash included). */
  readonly paperSettings?: Readonly<Record<string, string>> | undefined;
  readonly emit: (e: EngineEvent) => void;
  readonly listener: (venue: string) => VenueListener;
  readonly factories: ReadonlyMap<string, VenueFactory>;
  /** A venue refused for trading an account another venue already trades: forget what it stored (positions, balances). */
  readonly forgetVenue?: (venue: string) => void;
}

const NAME_RE = /^[a-z0-9][a-z0-9_-]{0,31}$/;

export class VenueManager {
  private readonly running = new Map<string, VenueConnector>();
  /** Set by the engine: reconciliation after each (re)start. */
  onStarted: (name: string) => Promise<void> = async () => undefined;
  /**
   * Set by the engine: a connector reported `connected` after being down (disconnected, degraded
   * or error). Reconciliation runs then, because whatever happened while it was down (fills,
   * cancels by the venue, orders placed elsewhere) reached us only partly or not at all.
   */
  onReconnected: (name: string) => void = () => undefined;
  /** Venues that went down since their last `connected`. */
  private readonly down = new Set<string>();
  /** Venues whose start (and first reconciliation) finished; earlier `connected` reports are the start itself. */
  private readonly started = new Set<string>();
  /** Venues whose stored settings their connector refused: why, until fixed (`venue set`) or removed. */
  private readonly broken = new Map<string, string>();

  /** `kind:account` → the venue trading it (see VenueContext.claimAccount). */
  private readonly accounts = new Map<string, string>();

  constructor(private readonly d: VenueManagerDeps) {}

  /** The venue that trades this account already, or undefined when `name` now holds it. */
  private claimAccount(name: string, kind: string, account: string): string | undefined {
    const key = `${kind}:${account.toUpperCase()}`;
    const holder = this.accounts.get(key);
    if (holder && holder !== name && this.running.has(holder)) {
      this.d.forgetVenue?.(name);
      return holder;
    }
    this.accounts.set(key, name);
    return undefined;
  }

  private releaseAccounts(name: string): void {
    for (const [k, v] of [...this.accounts]) if (v === name) this.accounts.delete(k);
  }

  /** Refuses settings that would make `name` a second venue on an account another venue trades. */
  private assertOwnAccount(name: string, kind: string, settings: Readonly<Record<string, string>>): void {
    const f = this.d.factories.get(kind);
    if (!f) return;
    const refuse = (other: string, why: string) => {
      throw new TradeportError(
        'venue_exists',
        `Venue "${other}" already ${why}. One account, one venue: a second venue "${name}" would count its positions, cash and risk twice. Use "${other}", or change its settings instead.`,
      );
    };
    for (const rec of this.d.repo.list()) {
      if (rec.name === name || rec.kind !== kind) continue;
      let why: string | undefined;
      try {
        why = f.sameAccount?.(rec.settings, settings);
      } catch {
        // Unreadable settings are reported when the venue starts, in their own words.
      }
      if (why) refuse(rec.name, why);
    }
    const account = f.configuredAccount?.(settings);
    const holder = account ? this.accounts.get(`${kind}:${account.toUpperCase()}`) : undefined;
    if (account && holder && holder !== name && this.running.has(holder)) refuse(holder, `trades the account ${account}`);
  }

  /** The setting keys a kind (or a configured venue's kind) declares; undefined for an unknown one. */
  declaredSettings(by: { kind?: string; name?: string }): ReadonlySet<string> | undefined {
    const kind = by.kind ?? (by.name !== undefined ? this.d.repo.get(by.name)?.kind : undefined);
    const f = kind !== undefined ? this.d.factories.get(kind) : undefined;
    return f ? new Set(f.info.settings.map((s) => s.key)) : undefined;
  }

  /** The account a venue trades, for limits that bind the account whatever client sends: kind + account id, or the venue's own name. */
  accountKey(name: string): string {
    const rec = this.d.repo.get(name);
    const account = rec?.settings.account?.trim().toUpperCase();
    return rec && account ? `${rec.kind}:${account}` : name;
  }

  kinds(): VenueKindInfo[] {
    return [...this.d.factories.values()].map((f) => f.info);
  }

  async startAll(): Promise<void> {
    if (this.d.repo.list().length === 0) {
      // First start: the built-in Paper venue, so Tradeport works with no account at all.
      const now = this.d.clock.now();
      this.d.repo.insert({ name: 'paper', kind: 'paper', settings: { ...this.d.paperSettings }, mode: 'paper', canaryPct: '0', createdAt: now, updatedAt: now });
    }
    for (const rec of this.d.repo.list()) await this.start(rec);
  }

  async stopAll(): Promise<void> {
    for (const [name, conn] of [...this.running]) {
      this.running.delete(name);
      await conn.stop().catch(() => undefined);
    }
  }

  get(name: string): VenueConnector | undefined {
    return this.running.get(name);
  }

  /** Every running connector by venue name. */
  runningEntries(): Array<readonly [string, VenueConnector]> {
    return [...this.running.entries()];
  }

  require(name: string): VenueConnector {
    const c = this.running.get(name);
    if (c) return c;
    const rec = this.d.repo.get(name);
    const broken = this.broken.get(name);
    if (rec && broken) throw new TradeportError('venue_unavailable', `Venue "${name}" is not running: ${broken} ${fixHint(name)}`);
    if (rec) throw new TradeportError('venue_unavailable', `Venue "${name}" is configured but not running. Check its settings and secrets (tradeport secret status ${name}).`);
    const names = this.d.repo.list().map((v) => v.name);
    throw new TradeportError('unknown_venue', `Unknown venue "${name}". Configured venues: ${names.join(', ') || 'none'}.`);
  }

  /** The venue's routing mode. Paper is always `paper`; anything unreadable reads as SHADOW (fail safe). */
  modeOf(name: string): { mode: VenueMode; canaryPct: number } {
    const rec = this.d.repo.get(name);
    if (!rec || rec.kind === 'paper') return { mode: 'paper', canaryPct: 0 };
    const mode: RoutingMode = rec.mode === 'live' || rec.mode === 'canary' ? rec.mode : 'shadow';
    const pct = Number(rec.canaryPct);
    return { mode, canaryPct: mode === 'canary' && Number.isFinite(pct) ? pct : 0 };
  }

  /**
   * Where the order with this client id goes now. Paper is always simulated; CANARY picks from the
   * client id (domain/routing.ts routeFor), so preview and place agree for the same id.
   */
  route(name: string, clientOrderId: string): Preview['route'] {
    const m = this.modeOf(name);
    if (m.mode === 'paper') return 'paper';
    return routeFor(m.mode, m.canaryPct, clientOrderId);
  }

  setMode(name: string, mode: RoutingMode, canaryPct: number | null): VenueInfo {
    const rec = this.d.repo.get(name);
    if (!rec) throw new TradeportError('unknown_venue', `Unknown venue "${name}".`);
    this.d.repo.updateMode(name, mode, String(canaryPct ?? 0), this.d.clock.now());
    const info = this.toInfo(this.d.repo.get(name)!);
    this.d.emit({ type: 'venue', venue: info });
    return info;
  }

  record(name: string): VenueRecord | undefined {
    return this.d.repo.get(name);
  }

  info(name: string): VenueInfo | undefined {
    const rec = this.d.repo.get(name);
    return rec ? this.toInfo(rec) : undefined;
  }

  list(): VenueInfo[] {
    return this.d.repo.list().map((r) => this.toInfo(r));
  }

  private toInfo(rec: VenueRecord): VenueInfo {
    const conn = this.running.get(rec.name);
    const broken = this.broken.get(rec.name);
    const st: VenueStatus = conn ? conn.state() : broken ? { state: 'error', detail: `settings refused: ${broken} ${fixHint(rec.name)}` } : { state: 'disconnected', detail: 'not running' };
    const f = this.d.factories.get(rec.kind);
    const m = this.modeOf(rec.name);
    return {
      name: rec.name,
      kind: rec.kind,
      label: f?.info.label ?? rec.kind,
      state: st.state,
      mode: m.mode,
      ...(m.mode === 'canary' ? { canaryPct: m.canaryPct } : {}),
      detail: st.detail,
      ...(st.phase ? { phase: st.phase } : {}),
      ...(st.serverVersion ? { serverVersion: st.serverVersion } : {}),
      capabilities: capabilitiesForMode(m.mode, conn?.capabilities?.()),
      ...(conn?.optionChain ? { optionChains: true } : {}),
      settings: rec.settings,
      since: rec.updatedAt,
    };
  }

  async add(kind: string, name: string | undefined, settings: Record<string, string>): Promise<VenueInfo> {
    const f = this.d.factories.get(kind);
    if (!f) throw new TradeportError('unknown_venue', `Unknown venue kind "${kind}". Available: ${[...this.d.factories.keys()].join(', ')}.`);
    const finalName = name ?? this.freeName(kind);
    if (!NAME_RE.test(finalName)) throw new TradeportError('invalid_input', `Venue name "${finalName}" must be 1–32 lowercase letters, digits, "-" or "_".`);
    if (this.d.repo.get(finalName)) throw new TradeportError('venue_exists', `A venue named "${finalName}" already exists. Pick another --name.`);
    const clean = this.checkSettings(f.info, settings, true);
    this.assertOwnAccount(finalName, kind, clean);
    const now = this.d.clock.now();
    const rec: VenueRecord = { name: finalName, kind, settings: clean, mode: kind === 'paper' ? 'paper' : 'shadow', canaryPct: '0', createdAt: now, updatedAt: now };
    // Built before the record is written: settings the connector refuses leave nothing behind.
    f.checkSettings?.(this.effectiveSettings(rec));
    const conn = this.construct(f, rec);
    this.d.repo.insert(rec);
    await this.launch(rec, conn);
    return this.toInfo(rec);
  }

  async set(name: string, settings: Record<string, string>): Promise<VenueInfo> {
    const rec = this.d.repo.get(name);
    if (!rec) throw new TradeportError('unknown_venue', `Unknown venue "${name}".`);
    const f = this.d.factories.get(rec.kind)!;
    const merged = this.checkSettings(f.info, { ...rec.settings, ...settings }, true);
    this.assertOwnAccount(name, rec.kind, merged);
    const next: VenueRecord = { ...rec, settings: merged, updatedAt: this.d.clock.now() };
    // Refused settings change nothing: the running connector keeps working (and its orders stay cancellable).
    f.checkSettings?.(this.effectiveSettings(next));
    const old = this.running.get(name);
    this.running.delete(name);
    await old?.stop().catch(() => undefined);
    let conn: VenueConnector;
    try {
      conn = this.construct(f, next);
      this.d.repo.updateSettings(name, merged, next.updatedAt);
    } catch (err) {
      // All or nothing: the record keeps its old settings and the old configuration runs again.
      await this.start(rec);
      throw err;
    }
    this.broken.delete(name);
    await this.launch(next, conn);
    return this.toInfo(this.d.repo.get(name)!);
  }

  async remove(name: string): Promise<void> {
    const rec = this.d.repo.get(name);
    if (!rec) throw new TradeportError('unknown_venue', `Unknown venue "${name}".`);
    const conn = this.running.get(name);
    this.running.delete(name);
    this.releaseAccounts(name);
    this.broken.delete(name);
    // The record goes first, so the connector's last state change while stopping describes no venue.
    this.d.repo.remove(name);
    await conn?.stop().catch(() => undefined);
    const f = this.d.factories.get(rec.kind);
    for (const s of f?.info.secrets ?? []) await this.d.secrets.delete(secretAccount(name, s.field)).catch(() => false);
    this.d.emit({ type: 'venueRemoved', name });
  }

  async setSecret(venue: string, field: string, value: string): Promise<{ venue: string; field: string; set: true }> {
    const rec = this.d.repo.get(venue);
    if (!rec) throw new TradeportError('unknown_venue', `Unknown venue "${venue}".`);
    const f = this.d.factories.get(rec.kind)!;
    if (!f.info.secrets.some((s) => s.field === field)) {
      const allowed = f.info.secrets.map((s) => s.field);
      throw new TradeportError('invalid_input', allowed.length ? `${f.info.label} has no secret "${field}". Its secrets: ${allowed.join(', ')}.` : `${f.info.label} needs no secrets.`);
    }
    try {
      await this.d.secrets.set(secretAccount(venue, field), value);
    } catch (err) {
      // A store that explains itself (no keychain here, keystore passphrase wrong) is passed on as is.
      if (err instanceof TradeportError) throw err;
      // The keychain's own message may name the service but never the value.
      throw new TradeportError('secret_missing', `Could not store the secret in the OS keychain: ${(err as Error).message}. On Linux, install and unlock a Secret Service (GNOME Keyring or KWallet).`);
    }
    await this.restart(venue);
    return { venue, field, set: true };
  }

  async secretStatus(venue: string) {
    const rec = this.d.repo.get(venue);
    if (!rec) throw new TradeportError('unknown_venue', `Unknown venue "${venue}".`);
    const f = this.d.factories.get(rec.kind)!;
    const fields = [];
    // "Not set" would mislead when the store itself cannot answer (no keychain, keystore locked): say why instead.
    const has = (account: string) => this.d.secrets.has(account).catch((err: unknown) => (err instanceof TradeportError ? Promise.reject(err) : false));
    for (const s of f.info.secrets) fields.push({ field: s.field, label: s.label, set: await has(secretAccount(venue, s.field)) });
    return { venue, fields };
  }

  private freeName(kind: string): string {
    if (!this.d.repo.get(kind)) return kind;
    for (let i = 2; ; i++) if (!this.d.repo.get(`${kind}-${i}`)) return `${kind}-${i}`;
  }

  private checkSettings(info: VenueKindInfo, settings: Record<string, string>, requireAll: boolean): Record<string, string> {
    const known = new Map(info.settings.map((s) => [s.key, s]));
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(settings)) {
      if (!known.has(k)) {
        const keys = info.settings.map((s) => s.key);
        const secretHint = info.secrets.some((s) => s.field === k) ? ` "${k}" is a secret: set it with \`tradeport secret set <venue> ${k}\` (read from stdin).` : '';
        throw new TradeportError('invalid_input', `${info.label} has no setting "${k}".${secretHint} Settings: ${keys.join(', ') || 'none'}.`);
      }
      out[k] = v;
    }
    for (const s of info.settings) {
      if (out[s.key] === undefined && s.default !== undefined) out[s.key] = s.default;
      if (requireAll && s.required && !out[s.key]) throw new TradeportError('invalid_input', `${info.label} needs the setting "${s.key}" (${s.label}).`);
    }
    // The declared types and bounds, the same check the settings form runs; venue rules follow in `f.checkSettings`.
    const problem = settingProblems(info.settings, out)[0];
    if (problem) throw new TradeportError('invalid_input', settingMessage(info.label, problem));
    return out;
  }

  /** The settings a connector is built with: the record's, plus the engine's Paper test overrides. */
  private effectiveSettings(rec: VenueRecord): Record<string, string> {
    const settings = { ...rec.settings };
    if (rec.kind === 'paper') {
      if (this.d.paperSeed !== undefined && settings.seed === undefined) settings.seed = String(this.d.paperSeed);
      if (this.d.paperTickMs !== undefined && settings.tickMs === undefined) settings.tickMs = String(this.d.paperTickMs);
    }
    return settings;
  }

  private construct(f: VenueFactory, rec: VenueRecord): VenueConnector {
    this.releaseAccounts(rec.name);
    return f.create({
      name: rec.name,
      settings: this.effectiveSettings(rec),
      clock: this.d.clock,
      secrets: this.d.secrets,
      db: this.d.db,
      claimAccount: (account) => this.claimAccount(rec.name, rec.kind, account),
    });
  }

  /**
   * Builds and starts a stored venue. Stored settings its connector refuses (written by an older
   * build, or edited by hand) do not stop the engine: the venue shows the reason as its state, and
   * `venue set` or `venue remove` fixes it while every other venue and the kill switch keep working.
   */
  private async start(rec: VenueRecord): Promise<void> {
    const f = this.d.factories.get(rec.kind);
    if (!f) return;
    let conn: VenueConnector;
    try {
      conn = this.construct(f, rec);
    } catch (err) {
      const why = (err as Error).message ?? String(err);
      this.broken.set(rec.name, why);
      this.d.emit({ type: 'notice', level: 'error', ts: this.d.clock.now(), message: `${rec.name} cannot start: ${why} ${fixHint(rec.name)}` });
      this.d.emit({ type: 'venue', venue: this.toInfo(rec) });
      return;
    }
    this.broken.delete(rec.name);
    await this.launch(rec, conn);
  }

  private async launch(rec: VenueRecord, conn: VenueConnector): Promise<void> {
    this.running.set(rec.name, conn);
    this.started.delete(rec.name);
    this.down.delete(rec.name);
    const inner = this.d.listener(rec.name);
    const listener: VenueListener = {
      ...inner,
      state: (state, detail) => {
        inner.state(state, detail);
        if (this.running.get(rec.name) !== conn) return;
        if (state === 'disconnected' || state === 'degraded' || state === 'error') this.down.add(rec.name);
        else if (state === 'connected' && this.down.delete(rec.name) && this.started.has(rec.name)) this.onReconnected(rec.name);
      },
    };
    try {
      await conn.start(listener);
      await this.onStarted(rec.name);
      this.started.add(rec.name);
    } catch (err) {
      this.d.emit({ type: 'notice', level: 'error', ts: this.d.clock.now(), message: `${rec.name} failed to start: ${(err as Error).message}` });
    }
    const v = this.toInfo(rec);
    this.d.emit({ type: 'venue', venue: v });
  }

  private async restart(name: string): Promise<void> {
    const conn = this.running.get(name);
    this.running.delete(name);
    await conn?.stop().catch(() => undefined);
    const rec = this.d.repo.get(name);
    if (rec) await this.start(rec);
  }
}
