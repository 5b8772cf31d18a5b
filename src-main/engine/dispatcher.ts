/**
 * The one entry point every transport calls: look the command up, validate its input against the
 * contract's schema, run its handler, turn any error into `{ok:false, error}`, and append every
 * attempt to change state (refused ones too) to the audit log.
 */
import type { ZodError } from 'zod';
import { commandSchemas, type CommandName } from './api/commands';
import { fail, ok, TradeportError, type Result } from './api/errors';
import type { CallContext, CommandHandlers } from './api/engine-api';
import type { Clock } from './ports/clock';
import type { AuditRepo } from './store/audit-repo';
import { storageErrorOf } from './store/storage-errors';
import { MAX_INPUT_DEPTH, redactInput, tooDeep, type SettingsDeclared } from './input-guard';

type Handler = (input: never, ctx: CallContext) => Promise<unknown> | unknown;

/** Commands that change nothing: not audited (the log records what was done, not what was looked at). */
export const READ_ONLY_COMMANDS: ReadonlySet<CommandName> = new Set<CommandName>([
  'engine.info',
  'engine.stats',
  'snapshot.get',
  'venues.list',
  'venue.kinds',
  'secret.status',
  'instruments.search',
  'quote.get',
  'instrument.optionChain',
  'book.get',
  'book.watch',
  'book.unwatch',
  'order.preview',
  'position.preview',
  'alert.list',
  'orders.list',
  'orders.page',
  'fills.list',
  'positions.list',
  'balances.list',
  'account.summary',
  'killSwitch.status',
  'risk.get',
  'reconcile.reports',
  'audit.list',
  'audit.csv',
  'strategy.list',
  'strategy.show',
  'strategy.simulate',
  'pnl.get',
  'pnl.curve',
  'equity.curve',
  'market.bars',
  'lots.list',
  'lots.closes',
  'ledger.export',
  'quality.report',
  'prefs.get',
  'oneClick.status',
]);

export interface DispatcherDeps {
  readonly handlers: CommandHandlers;
  readonly audit: AuditRepo;
  readonly clock: Clock;
  /** True once the engine is closing: calls are refused rather than half-run. */
  readonly closed: () => boolean;
  /** The settings a venue kind declares (for redacting undeclared values before they are audited). */
  readonly declaredSettings?: SettingsDeclared;
  /** A write to the store failed (disk full, read-only): the engine's storage health hears of it. */
  readonly onStorageError?: (err: unknown) => void;
}

export type CallRaw = (command: string, input: unknown, ctx?: CallContext) => Promise<Result<unknown>>;

export function createDispatcher(d: DispatcherDeps): CallRaw {
  const declared: SettingsDeclared = d.declaredSettings ?? (() => undefined);
  const record = (name: CommandName, ctx: CallContext, venue: string | null, input: unknown, result: Result<unknown>) => {
    try {
      d.audit.append({
        ts: d.clock.now(),
        actor: ctx.actor,
        transport: ctx.transport,
        action: name,
        venue,
        ok: result.ok,
        detail: { input: redactInput(name, input, declared), ...(result.ok ? {} : { error: result.error }) },
      });
    } catch (err) {
      // The command's own result stands (it may have reached a venue); the storage problem is
      // reported on its own instead of turning this answer into `internal`.
      d.onStorageError?.(err);
    }
  };

  return async (command, input, ctx = { actor: 'system', transport: 'internal' }) => {
    if (d.closed()) return fail('engine_busy', 'The engine is shutting down.');
    if (!Object.prototype.hasOwnProperty.call(commandSchemas, command)) {
      return fail('unknown_command', `Unknown command "${String(command).slice(0, 64)}".`);
    }
    const name = command as CommandName;
    if (tooDeep(input)) {
      const refused = fail('invalid_input', `Input is nested more than ${MAX_INPUT_DEPTH} levels deep; no Tradeport command takes that. Send the fields the command documents.`);
      if (!READ_ONLY_COMMANDS.has(name)) record(name, ctx, null, { nestedDeeperThan: MAX_INPUT_DEPTH }, refused);
      return refused;
    }
    const parsed = commandSchemas[name].safeParse(input ?? {});
    if (!parsed.success) {
      const refused = fail('invalid_input', describeZodError(parsed.error), { issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) });
      // A refused attempt to change state is part of the trail too ("someone tried to reset the kill switch without confirming").
      if (!READ_ONLY_COMMANDS.has(name)) {
        const raw = input && typeof input === 'object' ? (input as Record<string, unknown>) : {};
        record(name, ctx, typeof raw.venue === 'string' ? raw.venue.slice(0, 64) : null, raw, refused);
      }
      return refused;
    }
    let result: Result<unknown>;
    try {
      const handler = d.handlers[name] as unknown as Handler;
      result = ok(await handler(parsed.data as never, ctx));
    } catch (err) {
      const storage = err instanceof TradeportError ? undefined : storageErrorOf(err);
      if (storage) d.onStorageError?.(err);
      result = storage
        ? { ok: false, error: storage.toApiError() }
        : err instanceof TradeportError
          ? { ok: false, error: err.toApiError() }
          : fail('internal', `Internal error in ${name}: ${(err as Error).message ?? String(err)}`);
    }
    if (!READ_ONLY_COMMANDS.has(name)) {
      const data = parsed.data as { venue?: string; name?: string };
      record(name, ctx, data.venue ?? data.name ?? null, parsed.data, result);
    }
    return result;
  };
}

function describeZodError(e: ZodError): string {
  const first = e.issues[0];
  if (!first) return 'Invalid input.';
  const where = first.path.length ? `"${first.path.join('.')}"` : 'input';
  if (first.code === 'unrecognized_keys') return `Unknown field(s): ${(first as { keys: string[] }).keys.join(', ')}.`;
  // A schema's own message (e.g. "pass confirm: true") says more than the generic list of values.
  if (first.code === 'invalid_value' && 'values' in first)
    return /^Invalid (input|option)/.test(first.message) ? `${where} must be one of: ${(first.values as unknown[]).join(', ')}.` : `${where}: ${first.message}`;
  return `${where}: ${first.message}`;
}
