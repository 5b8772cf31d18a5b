/**
 * The `tradeport` command line: a small table of commands and a parser with no dependencies.
 * Each command maps to exactly one API command; the CLI adds no behaviour of its own.
 */

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

interface FlagSpec {
  readonly name: string;
  /** 'bool' takes no value; 'value' takes one; 'multi' may repeat. */
  readonly kind: 'bool' | 'value' | 'multi';
  readonly help: string;
}

interface PositionalSpec {
  readonly name: string;
  readonly optional?: boolean;
  /** Collects every remaining argument. */
  readonly rest?: boolean;
}

export interface CommandSpec {
  readonly name: string;
  readonly positionals: readonly PositionalSpec[];
  readonly flags: readonly FlagSpec[];
  readonly summary: string;
  /** Arguments are never echoed in errors (they could be a pasted secret). */
  readonly sensitive?: boolean;
}

const GLOBAL_FLAGS: readonly FlagSpec[] = [
  { name: 'json', kind: 'bool', help: 'print the API result as JSON' },
  { name: 'data-dir', kind: 'value', help: 'data directory (default: TRADEPORT_DATA_DIR or the OS app-data folder)' },
  { name: 'help', kind: 'bool', help: 'show help' },
  { name: 'keystore', kind: 'bool', help: 'keep secrets in the encrypted keystore file in the data dir, not the OS keychain' },
  { name: 'passphrase-fd', kind: 'value', help: 'read the keystore passphrase from this open file descriptor (e.g. 3 with `3<file`)' },
  { name: 'passphrase-file', kind: 'value', help: 'read the keystore passphrase from this file (mode 0600)' },
];

/** Where secrets are kept for an engine this process runs (ignored when a running engine answers). */
export interface SecretOptions {
  readonly keystore: boolean;
  readonly passphraseFd?: number;
  readonly passphraseFile?: string;
}

const ORDER_FLAGS: readonly FlagSpec[] = [
  { name: 'type', kind: 'value', help: 'market|limit|stop|stop-limit|trailing-stop (default market)' },
  { name: 'limit', kind: 'value', help: 'limit price' },
  { name: 'stop', kind: 'value', help: 'stop price' },
  { name: 'trail', kind: 'value', help: 'trailing stop: trail amount in price units' },
  { name: 'trail-pct', kind: 'value', help: 'trailing stop: trail in percent (instead of --trail)' },
  { name: 'tif', kind: 'value', help: 'day|gtc|ioc|fok|opg|cls|gtd (default day; opg/cls = opening/closing auction; gtd needs --expire-at)' },
  { name: 'expire-at', kind: 'value', help: 'GTD expiry: ISO date-time with offset (2026-12-31T21:00:00Z) or epoch ms' },
  { name: 'post-only', kind: 'bool', help: 'limit orders: rejected rather than taking liquidity' },
  { name: 'reduce-only', kind: 'bool', help: 'derivatives: may only reduce the position' },
  { name: 'notional', kind: 'value', help: 'market orders: a quote-currency amount instead of a quantity (give qty 0 or leave it out)' },
  { name: 'outside-rth', kind: 'bool', help: 'may work outside regular trading hours (limit orders, stocks/ETFs)' },
  { name: 'take-profit', kind: 'value', help: 'bracket: take-profit limit price (a child order)' },
  { name: 'stop-loss', kind: 'value', help: 'bracket: stop-loss stop price (a child order)' },
  { name: 'stop-loss-limit', kind: 'value', help: 'bracket: makes the stop-loss a stop-limit at this price' },
  { name: 'oca', kind: 'value', help: 'one-cancels-other group name (orders sharing it cancel each other on a fill)' },
  { name: 'oco', kind: 'bool', help: 'exits only: this limit order is the take-profit and --stop-loss its stop; the first to fill cancels the other' },
  { name: 'client-id', kind: 'value', help: 'your own client order id (idempotency key)' },
];

/** `place` only: the CLI has no preview on screen, so the caller may pin where the order goes. */
const PLACE_FLAGS: readonly FlagSpec[] = [...ORDER_FLAGS, { name: 'expect-route', kind: 'value', help: 'paper|shadow|live: refuse (nothing sent) unless the order goes this route' }];

const VENUE_FLAG: FlagSpec = { name: 'venue', kind: 'value', help: 'venue name' };
const SYMBOL_FLAG: FlagSpec = { name: 'symbol', kind: 'value', help: 'symbol (needs --venue)' };

const ORDER_POSITIONALS: readonly PositionalSpec[] = [{ name: 'venue' }, { name: 'symbol' }, { name: 'side' }, { name: 'qty', optional: true }];

/** `--param k=v`, repeated: the parameters `strategy add` and `strategy simulate` take. */
const STRATEGY_PARAM: FlagSpec = {
  name: 'param',
  kind: 'multi',
  help: 'a parameter as k=v, repeated (dca: qty|notional, every, below, maxTotal, orderType, stop; grid: low, high, levels, qty, spacing, stopAtBounds, stop (% below the lowest level, one stop per filled buy); twap: qty, duration, slices, side, maxDeviation; dip: qty, drop, window, takeProfit, stop; all: sessions=regular|extended)',
};
export const COMMANDS: readonly CommandSpec[] = [
  { name: 'venues', positionals: [], flags: [], summary: 'list configured venues and their state' },
  { name: 'instruments', positionals: [{ name: 'venue' }, { name: 'query', optional: true }], flags: [], summary: 'search a venue’s instruments' },
  { name: 'quote', positionals: [{ name: 'venue' }, { name: 'symbol' }], flags: [], summary: 'best bid/ask/last' },
  { name: 'chain', positionals: [{ name: 'venue' }, { name: 'underlying' }], flags: [], summary: 'the option chain a venue lists for an underlying (expiry, strike, call and put ids)' },
  { name: 'preview', positionals: ORDER_POSITIONALS, flags: ORDER_FLAGS, summary: 'preview an order (cost, fees, buying power, violations)' },
  { name: 'place', positionals: ORDER_POSITIONALS, flags: PLACE_FLAGS, summary: 'place an order (previewed again by the engine; --expect-route pins the route)' },
  { name: 'cancel', positionals: [{ name: 'venue' }, { name: 'id' }], flags: [], summary: 'cancel one order (local or client order id)' },
  {
    name: 'replace',
    positionals: [{ name: 'id' }],
    flags: [
      { name: 'qty', kind: 'value', help: 'new total quantity (above what has filled)' },
      { name: 'limit', kind: 'value', help: 'new limit price' },
      { name: 'stop', kind: 'value', help: 'new stop price' },
      VENUE_FLAG,
    ],
    summary: 'modify a working order in place (local, client or venue order id)',
  },
  { name: 'cancel-all', positionals: [{ name: 'venue', optional: true }], flags: [], summary: 'cancel every working order (on one venue)' },
  {
    name: 'close',
    positionals: [{ name: 'venue' }, { name: 'symbol' }],
    flags: [
      { name: 'reverse', kind: 'bool', help: 'go to the same size on the other side (twice the position)' },
      { name: 'flatten', kind: 'bool', help: "cancel the instrument's working orders first" },
      { name: 'preview', kind: 'bool', help: 'only preview the closing order' },
    ],
    summary: 'close a position with a market order sized from it (risk and the kill switch apply)',
  },
  {
    name: 'alert add',
    positionals: [{ name: 'venue' }, { name: 'symbol' }, { name: 'condition' }, { name: 'level' }],
    flags: [{ name: 'note', kind: 'value', help: 'shown with the alert' }],
    summary: 'price alert: above <price> | below <price> | move <pct> (fires once)',
  },
  { name: 'alert remove', positionals: [{ name: 'id' }], flags: [], summary: 'remove a price alert' },
  { name: 'alerts', positionals: [], flags: [{ name: 'all', kind: 'bool', help: 'include alerts that fired' }], summary: 'price alerts' },
  {
    name: 'flatten',
    positionals: [],
    flags: [VENUE_FLAG, { name: 'expect', kind: 'value', help: 'refuse unless exactly this many positions are open' }, { name: 'confirm', kind: 'bool', help: 'required: closes every open position' }],
    summary: 'cancel working orders and close every open position (on one venue)',
  },
  {
    name: 'orders',
    positionals: [],
    flags: [
      { name: 'all', kind: 'bool', help: 'include finished orders' },
      { name: 'limit', kind: 'value', help: 'orders per page (1–5000, default 500)' },
      { name: 'offset', kind: 'value', help: 'skip this many (newest first) for the next page' },
    ],
    summary: 'working orders, a page at a time',
  },
  { name: 'fills', positionals: [], flags: [], summary: 'recent fills' },
  { name: 'positions', positionals: [], flags: [], summary: 'positions' },
  { name: 'balances', positionals: [], flags: [], summary: 'cash balances' },
  { name: 'account', positionals: [], flags: [], summary: 'net liquidation, buying power and P&L today, per venue and in total' },
  // ── the lot ledger (issue 17): engine/api/portfolio.ts ──
  {
    name: 'pnl',
    positionals: [],
    flags: [
      { name: 'by', kind: 'value', help: 'venue (default) | symbol | asset-class | strategy' },
      { name: 'since', kind: 'value', help: 'realized since this ISO time or epoch ms (default: all)' },
    ],
    summary: 'realized and unrealized P&L from the tax lots, in the reporting currency',
  },
  {
    name: 'lots',
    positionals: [{ name: 'symbol', optional: true }],
    flags: [VENUE_FLAG, { name: 'closed', kind: 'bool', help: 'closed lots (realized P&L per close) instead of open ones' }],
    summary: 'tax lots: cost basis, holding period, wash-sale adjustments',
  },
  {
    name: 'tax-report',
    positionals: [],
    flags: [
      { name: 'year', kind: 'value', help: 'tax year (default: this year)' },
      { name: 'method', kind: 'value', help: 'fifo | lifo | hifo for every account (default: each account’s own)' },
      { name: 'kind', kind: 'value', help: 'form8949 (default) | lots | realized' },
    ],
    summary: 'CSV in the columns of IRS Form 8949 (an aid, not tax advice): tax-report --year 2026 > 8949.csv',
  },
  {
    name: 'equity',
    positionals: [],
    flags: [
      { name: 'since', kind: 'value', help: 'from this ISO time or epoch ms (default: all kept, two years)' },
      { name: 'points', kind: 'value', help: 'at most this many points (2–5000, default 1000)' },
    ],
    summary: 'the equity curve: net liquidation sampled every minute, in the reporting currency',
  },
  { name: 'lot-method', positionals: [{ name: 'venue' }, { name: 'method' }], flags: [], summary: 'how a venue’s lots are relieved: fifo | lifo | hifo | specific' },
  {
    name: 'opening-lot',
    positionals: [{ name: 'venue' }, { name: 'symbol' }, { name: 'qty' }, { name: 'cost' }, { name: 'acquired' }],
    flags: [{ name: 'short', kind: 'bool', help: 'a short position' }],
    summary: 'enter a position held before Tradeport: quantity, total cost and date acquired',
  },
  { name: 'lot-choose', positionals: [{ name: 'fill' }, { name: 'lots', rest: true }], flags: [], summary: 'specific-lot relief: the lots a closing fill sold, in order' },
  {
    name: 'serve',
    positionals: [],
    flags: [
      { name: 'port', kind: 'value', help: 'port (default 7420; 0 = any free port)' },
      { name: 'host', kind: 'value', help: 'address to bind (default 127.0.0.1)' },
      { name: 'allow-remote', kind: 'bool', help: 'allow binding a non-loopback address' },
    ],
    summary: 'run the engine and serve the UI + bridge to a browser',
  },
  { name: 'venue list', positionals: [], flags: [], summary: 'list configured venues' },
  {
    name: 'venue add',
    positionals: [{ name: 'kind' }],
    flags: [
      { name: 'name', kind: 'value', help: 'name for this venue (default: the kind)' },
      { name: 'set', kind: 'multi', help: 'key=value setting (repeatable)' },
    ],
    summary: 'add a venue',
  },
  { name: 'venue set', positionals: [{ name: 'name' }, { name: 'settings', rest: true }], flags: [], summary: 'change settings: key=value…' },
  { name: 'venue remove', positionals: [{ name: 'name' }], flags: [], summary: 'remove a venue' },
  { name: 'secret set', positionals: [{ name: 'venue' }, { name: 'field' }], flags: [], summary: 'store a secret read from stdin', sensitive: true },
  { name: 'secret status', positionals: [{ name: 'venue' }], flags: [], summary: 'which secrets are set', sensitive: true },
  // ── order safety (issue 3): each line is one engine command, see engine/api/commands.ts ──
  {
    name: 'mode',
    positionals: [{ name: 'venue' }, { name: 'mode' }],
    flags: [
      { name: 'canary-pct', kind: 'value', help: 'share of orders sent live in CANARY mode, in percent' },
      { name: 'arm', kind: 'bool', help: 'confirm a change that sends real orders (CANARY or LIVE)' },
    ],
    summary: 'route a venue’s orders: shadow | canary | live',
  },
  { name: 'risk show', positionals: [], flags: [VENUE_FLAG, SYMBOL_FLAG], summary: 'risk limits in force, and where each is set' },
  { name: 'risk set', positionals: [{ name: 'key' }, { name: 'value' }], flags: [VENUE_FLAG, SYMBOL_FLAG], summary: 'set a risk limit: a number, "off" or "inherit"' },
  {
    name: 'kill-switch',
    positionals: [],
    flags: [
      { name: 'reducing', kind: 'bool', help: 'allow orders that reduce a position (default: halt every new order)' },
      { name: 'flatten', kind: 'bool', help: 'also close positions with marketable orders' },
      { name: 'reason', kind: 'value', help: 'why, for the audit log' },
    ],
    summary: 'cancel every working order and stop new ones',
  },
  { name: 'kill-switch status', positionals: [], flags: [], summary: 'kill switch state and working orders' },
  {
    name: 'kill-switch reset',
    positionals: [],
    flags: [
      { name: 'confirm', kind: 'bool', help: 'required: resetting resumes trading' },
      { name: 'note', kind: 'value', help: 'note for the audit log' },
    ],
    summary: 'resume trading after a kill switch',
  },
  {
    name: 'reconcile',
    positionals: [{ name: 'venue', optional: true }],
    flags: [{ name: 'reports', kind: 'bool', help: 'list stored reports instead of running one' }, VENUE_FLAG, { name: 'limit', kind: 'value', help: 'with --reports: how many (default 20)' }],
    summary: 'compare venue and local state now (every venue, or one) and print the changes',
  },
  {
    name: 'audit',
    positionals: [],
    flags: [
      { name: 'csv', kind: 'bool', help: 'print CSV only (redirect it to a file)' },
      { name: 'action', kind: 'value', help: 'action prefix, e.g. killSwitch or mode' },
      VENUE_FLAG,
      { name: 'actor', kind: 'value', help: 'user, cli, strategy, system…' },
      { name: 'since', kind: 'value', help: 'ISO time (2025-01-31T09:00Z) or epoch milliseconds' },
      { name: 'limit', kind: 'value', help: 'most entries (default 1000)' },
    ],
    summary: 'the audit log',
  },
  {
    name: 'strategy add',
    positionals: [{ name: 'kind' }, { name: 'venue' }, { name: 'symbol' }],
    flags: [STRATEGY_PARAM],
    summary: 'start a strategy loop: dca | grid | twap | dip',
  },
  {
    name: 'strategy simulate',
    positionals: [{ name: 'kind' }, { name: 'venue' }, { name: 'symbol' }],
    flags: [
      STRATEGY_PARAM,
      { name: 'hours', kind: 'value', help: 'simulated hours from now (default 24)' },
      { name: 'seed', kind: 'value', help: 'another deterministic price walk (default: the request itself)' },
    ],
    summary: 'the orders a strategy would place over simulated time from the current quote; places nothing',
  },
  { name: 'strategy list', positionals: [], flags: [], summary: 'strategies with their state, orders, fills and P&L' },
  { name: 'strategy show', positionals: [{ name: 'id' }], flags: [], summary: 'one strategy: its progress and every step it planned' },
  { name: 'strategy pause', positionals: [{ name: 'id' }], flags: [], summary: 'pause a strategy (its resting orders stay)' },
  { name: 'strategy resume', positionals: [{ name: 'id' }], flags: [], summary: 'resume a strategy you or the kill switch stopped' },
  { name: 'strategy stop', positionals: [{ name: 'id' }], flags: [{ name: 'cancel-orders', kind: 'bool', help: 'also cancel its working orders' }], summary: 'stop a strategy for good' },
  {
    name: 'quality',
    positionals: [],
    flags: [
      VENUE_FLAG,
      { name: 'since', kind: 'value', help: 'orders placed since: ISO time (2025-01-31T09:00Z) or epoch milliseconds (default: the last 24 h)' },
      { name: 'by', kind: 'value', help: 'venue (default) or origin (user, cli, strategy)' },
      { name: 'limit', kind: 'value', help: 'most recent orders read (default 10000)' },
    ],
    summary: 'execution quality: fill and reject rates, slippage vs the arrival mid (bp), ack and fill latency percentiles',
  },
];

/**
 * First words that name a group of subcommands. 'kill-switch' is also a command on its own, so a
 * group word only takes the next word when that forms a known command.
 */
const GROUPS = new Set(['venue', 'secret', 'risk', 'kill-switch', 'strategy', 'alert']);

export interface ParsedArgs {
  readonly spec: CommandSpec;
  readonly positionals: Record<string, string | string[] | undefined>;
  readonly flags: Record<string, string | string[] | true | undefined>;
}

export interface ParsedCommandLine {
  readonly json: boolean;
  readonly dataDir?: string;
  readonly help: boolean;
  readonly secretOptions: SecretOptions;
  /** Undefined when only global flags were given (e.g. `tradeport --help`). */
  readonly command?: ParsedArgs;
}

export function parseArgv(argv: readonly string[]): ParsedCommandLine {
  const words: string[] = [];
  const raw: Array<{ name: string; value?: string; token: string }> = [];
  let json = false;
  let help = false;
  let onlyPositionals = false;

  // Flags are looked up against the command only after it is known, so collect first.
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (onlyPositionals || !isFlag(a)) {
      words.push(a);
      continue;
    }
    if (a === '--') {
      onlyPositionals = true;
      continue;
    }
    if (!a.startsWith('--')) throw new UsageError(`Unknown flag ${a}. Flags are spelled --name (see tradeport --help).`);
    const eq = a.indexOf('=');
    const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
    const inline = eq >= 0 ? a.slice(eq + 1) : undefined;
    raw.push({ name, value: inline, token: a });
    // A value-taking flag consumes the next word; which flags take values is decided below.
    const next = argv[i + 1];
    if (inline === undefined && flagTakesValue(name) && next !== undefined && next !== '--') {
      raw[raw.length - 1] = { name, value: next, token: a };
      i++;
    }
  }

  const spec = findCommand(words);
  const consumed = spec ? spec.name.split(' ').length : 0;
  const allowed = new Map<string, FlagSpec>([...GLOBAL_FLAGS, ...(spec?.flags ?? [])].map((f) => [f.name, f]));
  const flags: Record<string, string | string[] | true | undefined> = {};

  for (const f of raw) {
    const fs = allowed.get(f.name);
    if (!fs) {
      const list = [...allowed.keys()].map((n) => `--${n}`).join(', ');
      throw new UsageError(`Unknown flag --${f.name}${spec ? ` for '${spec.name}'` : ''}. Allowed: ${list}.`);
    }
    if (fs.kind === 'bool') {
      if (f.value !== undefined) throw new UsageError(`--${f.name} takes no value.`);
      flags[f.name] = true;
      continue;
    }
    if (f.value === undefined || f.value === '') throw new UsageError(`--${f.name} needs a value.`);
    if (fs.kind === 'multi') {
      const prev = flags[f.name];
      flags[f.name] = [...(Array.isArray(prev) ? prev : []), f.value];
    } else {
      if (flags[f.name] !== undefined) throw new UsageError(`--${f.name} was given twice.`);
      flags[f.name] = f.value;
    }
  }
  json = flags.json === true;
  help = flags.help === true;
  const dataDir = typeof flags['data-dir'] === 'string' ? flags['data-dir'] : undefined;
  delete flags.json;
  delete flags.help;
  delete flags['data-dir'];
  const secretOptions = takeSecretOptions(flags);

  if (!spec) {
    if (words.length === 0) return { json, help: true, dataDir, secretOptions };
    const guess = GROUPS.has(words[0]!) ? `${words[0]} ${words[1] ?? ''}`.trim() : words[0]!;
    const subs = COMMANDS.filter((c) => c.name.startsWith(`${words[0]} `)).map((c) => c.name);
    const hint = GROUPS.has(words[0]!) && subs.length ? ` Did you mean: ${subs.join(', ')}?` : '';
    throw new UsageError(`Unknown command '${guess}'.${hint} Run tradeport --help for the list.`);
  }
  if (help) return { json, help, dataDir, secretOptions, command: { spec, positionals: {}, flags } };

  const rest = words.slice(consumed);
  const positionals: Record<string, string | string[] | undefined> = {};
  let k = 0;
  for (const p of spec.positionals) {
    if (p.rest) {
      positionals[p.name] = rest.slice(k);
      k = rest.length;
      break;
    }
    const v = rest[k];
    if (v === undefined) {
      if (p.optional) continue;
      throw new UsageError(`'${spec.name}' needs <${p.name}>. Usage: tradeport ${usage(spec)}`);
    }
    positionals[p.name] = v;
    k++;
  }
  if (k < rest.length) {
    const extra = spec.sensitive ? '' : ` '${rest[k]}'`;
    const hint = spec.name === 'secret set' ? ' Secret values are read from stdin, never from the command line.' : '';
    throw new UsageError(`Unexpected argument${extra} for '${spec.name}'.${hint} Usage: tradeport ${usage(spec)}`);
  }
  return { json, help, dataDir, secretOptions, command: { spec, positionals, flags } };
}

function takeSecretOptions(flags: Record<string, string | string[] | true | undefined>): SecretOptions {
  const fdFlag = flags['passphrase-fd'];
  const file = flags['passphrase-file'];
  const keystore = flags.keystore === true;
  delete flags.keystore;
  delete flags['passphrase-fd'];
  delete flags['passphrase-file'];
  if (fdFlag !== undefined && file !== undefined) throw new UsageError('Give the keystore passphrase one way: --passphrase-fd or --passphrase-file, not both.');
  let passphraseFd: number | undefined;
  if (typeof fdFlag === 'string') {
    if (!/^\d{1,6}$/.test(fdFlag)) throw new UsageError(`--passphrase-fd must be an open file descriptor number such as 3; got '${fdFlag}'.`);
    passphraseFd = Number(fdFlag);
  }
  return { keystore, ...(passphraseFd !== undefined ? { passphraseFd } : {}), ...(typeof file === 'string' ? { passphraseFile: file } : {}) };
}

// A leading "-" followed by a digit is a (negative) number for the engine to reject, not a flag.
function isFlag(a: string): boolean {
  return a.startsWith('-') && a.length > 1 && !/^-[0-9.]/.test(a);
}

function flagTakesValue(name: string): boolean {
  for (const f of GLOBAL_FLAGS) if (f.name === name) return f.kind !== 'bool';
  for (const c of COMMANDS) for (const f of c.flags) if (f.name === name) return f.kind !== 'bool';
  return false;
}

function findCommand(words: readonly string[]): CommandSpec | undefined {
  if (words.length === 0) return undefined;
  const first = words[0]!;
  // `kill-switch <typo>` is an unknown command, never a trip with a stray argument.
  if (GROUPS.has(first) && words[1] !== undefined) return COMMANDS.find((c) => c.name === `${first} ${words[1]}`);
  return COMMANDS.find((c) => c.name === first);
}

export function usage(spec: CommandSpec): string {
  const pos = spec.positionals.map((p) => (p.rest ? `<${p.name}…>` : p.optional ? `[${p.name}]` : `<${p.name}>`));
  const flags = spec.flags.map((f) => (f.kind === 'bool' ? `[--${f.name}]` : `[--${f.name} ${f.name.toUpperCase()}]${f.kind === 'multi' ? '…' : ''}`));
  return [spec.name, ...pos, ...flags].join(' ');
}

export function helpText(spec?: CommandSpec): string {
  if (spec) {
    const lines = [`tradeport ${usage(spec)}`, '', `  ${spec.summary}`];
    if (spec.flags.length) {
      lines.push('', 'Flags:');
      for (const f of spec.flags) lines.push(`  --${f.name.padEnd(14)} ${f.help}`);
    }
    return lines.join('\n') + '\n';
  }
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const lines = ['Usage: tradeport <command> [args] [--json] [--data-dir DIR]', '', 'Commands:'];
  for (const c of COMMANDS) lines.push(`  ${c.name.padEnd(width)}  ${c.summary}`);
  lines.push('', 'Global flags:');
  for (const f of GLOBAL_FLAGS) lines.push(`  --${f.name.padEnd(14)} ${f.help}`);
  lines.push(
    '',
    'Talks to the engine already running on the data dir (desktop app or `tradeport serve`),',
    'else runs one for the command. Exit codes: 0 ok, 2 invalid input, 1 any other error',
    '(e.g. an order refused while the kill switch holds the engine: code halted).',
    '',
    'Going CANARY or LIVE sends real orders and needs --arm; resetting the kill switch needs --confirm.',
    'Advanced orders: --type trailing-stop --trail 1.5 | --trail-pct 2, --tif opg, --outside-rth,',
    '--take-profit P --stop-loss P [--stop-loss-limit P] (a bracket), --oca NAME,',
    '--type limit --limit TP --stop-loss SL --oco (an exit pair for a position held; see `tradeport place --help`).',
    '`tradeport replace <id> [--qty Q] [--limit P] [--stop P]` modifies a working order; the venue keeps its fills.',
    '`tradeport audit --csv > audit.csv` exports the audit log (the CSV is all it prints).',
    '`tradeport tax-report --year 2026 > 8949.csv` exports Form 8949 rows from the tax lots: an aid, not tax advice.',
  );
  return lines.join('\n') + '\n';
}

export interface ApiCall {
  readonly command: string;
  readonly input: Record<string, unknown>;
}

/**
 * The CLI command → API command mapping. Values stay strings: the engine parses decimals exactly and
 * owns every meaning check, so the CLI gives the same errors as the UI and the bridge.
 */
export function toApiCall(args: ParsedArgs): ApiCall {
  const p = args.positionals;
  const f = args.flags;
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  switch (args.spec.name) {
    case 'venues':
    case 'venue list':
      return { command: 'venues.list', input: {} };
    case 'instruments':
      return { command: 'instruments.search', input: compact({ venue: p.venue, query: p.query }) };
    case 'quote':
      return { command: 'quote.get', input: { venue: p.venue, symbol: p.symbol } };
    case 'chain':
      return { command: 'instrument.optionChain', input: { venue: p.venue, underlying: p.underlying } };
    case 'preview':
    case 'place': {
      const type = str(f.type);
      return {
        command: args.spec.name === 'place' ? 'order.place' : 'order.preview',
        input: compact({
          venue: p.venue,
          symbol: p.symbol,
          side: str(p.side)?.toLowerCase(),
          type: type === undefined ? 'market' : type.toLowerCase().replace('-', '_'),
          qty: p.qty,
          limitPrice: str(f.limit),
          stopPrice: str(f.stop),
          trailAmount: str(f.trail),
          trailPercent: str(f['trail-pct']),
          tif: str(f.tif)?.toLowerCase(),
          extendedHours: f['outside-rth'] === true ? true : undefined,
          ocaGroup: str(f.oca),
          expireAt: expireAt(f['expire-at']),
          postOnly: f['post-only'] === true ? true : undefined,
          reduceOnly: f['reduce-only'] === true ? true : undefined,
          notional: str(f.notional),
          takeProfit: str(f['take-profit']) !== undefined ? { limitPrice: str(f['take-profit']) } : undefined,
          stopLoss: bracketStop(str(f['stop-loss']), str(f['stop-loss-limit'])),
          oco: f.oco === true ? true : undefined,
          clientOrderId: str(f['client-id']),
          expectRoute: args.spec.name === 'place' ? str(f['expect-route'])?.toLowerCase() : undefined,
        }),
      };
    }
    case 'cancel':
      return { command: 'order.cancel', input: { venue: p.venue, id: p.id } };
    case 'replace':
      return { command: 'order.replace', input: compact({ id: p.id, venue: str(f.venue), qty: str(f.qty), limitPrice: str(f.limit), stopPrice: str(f.stop) }) };
    case 'cancel-all':
      return { command: 'order.cancelAll', input: compact({ venue: p.venue }) };
    case 'close': {
      if (f.reverse === true && f.flatten === true) throw new UsageError('Give --reverse or --flatten, not both.');
      const action = f.reverse === true ? 'reverse' : f.flatten === true ? 'flatten' : 'close';
      return { command: f.preview === true ? 'position.preview' : 'position.close', input: { venue: p.venue, symbol: p.symbol, action } };
    }
    case 'alert add': {
      const c = str(p.condition)?.toLowerCase();
      if (c !== 'above' && c !== 'below' && c !== 'move') throw new UsageError(`An alert is 'above <price>', 'below <price>' or 'move <pct>'; got '${String(p.condition)}'.`);
      return {
        command: 'alert.add',
        input: compact({ venue: p.venue, symbol: p.symbol, condition: c === 'move' ? 'move_pct' : c, ...(c === 'move' ? { pct: p.level } : { price: p.level }), note: str(f.note) }),
      };
    }
    case 'alert remove':
      return { command: 'alert.remove', input: { id: p.id } };
    case 'alerts':
      return { command: 'alert.list', input: { all: f.all === true } };
    case 'flatten':
      if (f.confirm !== true) throw new UsageError('Flattening cancels working orders and closes every open position. To confirm, add --confirm: tradeport flatten [--venue V] --confirm');
      return { command: 'positions.flatten', input: compact({ venue: str(f.venue), expectCount: num(f.expect, 'expect'), confirm: true }) };
    case 'orders':
      return { command: 'orders.page', input: compact({ all: f.all === true, limit: num(f.limit, 'limit'), offset: num(f.offset, 'offset') }) };
    case 'fills':
      return { command: 'fills.list', input: {} };
    case 'positions':
      return { command: 'positions.list', input: {} };
    case 'balances':
      return { command: 'balances.list', input: {} };
    case 'account':
      return { command: 'account.summary', input: {} };
    case 'pnl':
      return { command: 'pnl.get', input: compact({ by: pnlGroup(str(f.by)), sinceTs: sinceMs(f.since) }) };
    case 'lots':
      return { command: f.closed === true ? 'lots.closes' : 'lots.list', input: compact({ symbol: p.symbol, venue: str(f.venue) }) };
    case 'tax-report':
      return { command: 'ledger.export', input: compact({ kind: str(f.kind)?.toLowerCase(), year: num(f.year, 'year'), method: str(f.method)?.toLowerCase() }) };
    case 'equity':
      return { command: 'equity.curve', input: compact({ sinceTs: sinceMs(f.since), maxPoints: num(f.points, 'points') }) };
    case 'lot-method':
      return { command: 'ledger.method.set', input: { venue: p.venue, method: str(p.method)?.toLowerCase() } };
    case 'opening-lot':
      return {
        command: 'ledger.openingLot.add',
        input: {
          venue: p.venue,
          symbol: p.symbol,
          qty: p.qty,
          cost: p.cost,
          openedAt: /^\d+$/.test(str(p.acquired) ?? '') ? Number(p.acquired) : p.acquired,
          direction: f.short === true ? 'short' : 'long',
        },
      };
    case 'lot-choose': {
      const lots = Array.isArray(p.lots) ? p.lots : [];
      if (lots.length === 0) throw new UsageError(`'lot-choose' needs at least one lot id. Usage: tradeport ${usage(args.spec)}`);
      return { command: 'ledger.lots.choose', input: { fillId: p.fill, lotIds: lots } };
    }
    case 'venue add':
      return { command: 'venue.add', input: compact({ kind: p.kind, name: str(f.name), settings: parseSettings(f.set) }) };
    case 'venue set': {
      const pairs = Array.isArray(p.settings) ? p.settings : [];
      if (pairs.length === 0) throw new UsageError(`'venue set' needs at least one key=value. Usage: tradeport ${usage(args.spec)}`);
      return { command: 'venue.set', input: { name: p.name, settings: parseSettings(pairs) } };
    }
    case 'venue remove':
      return { command: 'venue.remove', input: { name: p.name } };
    case 'secret status':
      return { command: 'secret.status', input: { venue: p.venue } };
    case 'secret set':
      // The value is added by the caller after reading stdin.
      return { command: 'secret.set', input: { venue: p.venue, field: p.field } };
    case 'mode':
      return {
        command: 'mode.set',
        input: compact({ venue: p.venue, mode: str(p.mode)?.toLowerCase(), canaryPct: num(f['canary-pct'], 'canary-pct'), arm: f.arm === true }),
      };
    case 'risk show':
      return { command: 'risk.get', input: compact({ venue: str(f.venue), symbol: str(f.symbol) }) };
    case 'risk set':
      // The value stays a string: the engine parses it exactly and also accepts "off" / "inherit".
      return { command: 'risk.set', input: compact({ key: p.key, value: p.value, venue: str(f.venue), symbol: str(f.symbol) }) };
    case 'kill-switch':
      return { command: 'killSwitch.trip', input: compact({ mode: f.reducing === true ? 'reducing' : 'halted', flatten: f.flatten === true, reason: str(f.reason) }) };
    case 'kill-switch status':
      return { command: 'killSwitch.status', input: {} };
    case 'kill-switch reset':
      // A missing flag is a usage error like any other: the engine would refuse it too, but its
      // message names the API field ("confirm"), not the flag the trader has to add.
      if (f.confirm !== true) throw new UsageError('Resetting the kill switch resumes trading. To confirm, add --confirm: tradeport kill-switch reset --confirm');
      return { command: 'killSwitch.reset', input: compact({ confirm: true, note: str(f.note) }) };
    case 'reconcile': {
      if (p.venue !== undefined && f.venue !== undefined) throw new UsageError(`Name the venue once: 'reconcile ${String(p.venue)}' or --venue.`);
      const venue = str(p.venue) ?? str(f.venue);
      if (f.reports === true) return { command: 'reconcile.reports', input: compact({ venue, limit: num(f.limit, 'limit') }) };
      if (f.limit !== undefined) throw new UsageError(`--limit applies to stored reports: add --reports.`);
      return { command: 'reconcile.run', input: compact({ venue }) };
    }
    case 'audit':
      return {
        command: f.csv === true ? 'audit.csv' : 'audit.list',
        input: compact({ action: str(f.action), venue: str(f.venue), actor: str(f.actor), sinceTs: sinceMs(f.since), limit: num(f.limit, 'limit') }),
      };
    case 'strategy add':
      return { command: 'strategy.add', input: { kind: p.kind, venue: p.venue, symbol: p.symbol, params: parseSettings(f.param, 'Parameters') } };
    case 'strategy simulate':
      return {
        command: 'strategy.simulate',
        input: { kind: p.kind, venue: p.venue, symbol: p.symbol, params: parseSettings(f.param, 'Parameters'), ...compact({ hours: num(f.hours, 'hours'), seed: str(f.seed) }) },
      };
    case 'strategy list':
      return { command: 'strategy.list', input: {} };
    case 'strategy show':
    case 'strategy pause':
    case 'strategy resume':
      return { command: `strategy.${args.spec.name.split(' ')[1]!}`, input: { id: p.id } };
    case 'strategy stop':
      return { command: 'strategy.stop', input: { id: p.id, cancelOrders: f['cancel-orders'] === true } };
    case 'quality': {
      const by = str(f.by);
      if (by !== undefined && by !== 'venue' && by !== 'origin') throw new UsageError(`--by takes venue or origin; got '${by}'.`);
      return { command: 'quality.report', input: compact({ venue: str(f.venue), sinceTs: sinceMs(f.since), by, limit: num(f.limit, 'limit') }) };
    }
    default:
      throw new UsageError(`'${args.spec.name}' is not an API command.`);
  }
}

/** `--by asset-class` is the API's `assetClass`; anything else goes to the engine as given (its error lists the choices). */
function pnlGroup(v: string | undefined): string | undefined {
  return v?.toLowerCase() === 'asset-class' ? 'assetClass' : v?.toLowerCase();
}

function parseSettings(v: unknown, what = 'Settings'): Record<string, string> {
  const list = Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
  const out: Record<string, string> = {};
  for (const pair of list as string[]) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`${what} are key=value; got '${pair}'.`);
    out[pair.slice(0, eq).trim()] = pair.slice(eq + 1);
  }
  return out;
}

/**
 * These fields are JSON numbers in the API, so the CLI has to convert; only the syntax is checked
 * here, the engine checks the range (its message names the rule).
 */
function num(v: unknown, flag: string): number | undefined {
  if (typeof v !== 'string') return undefined;
  if (!/^-?\d+(\.\d+)?$/.test(v.trim())) throw new UsageError(`--${flag} must be a number; got '${v}'.`);
  return Number(v);
}

/** `--since` takes epoch milliseconds or an ISO time (JS rules: a date alone is UTC midnight, a date-time without an offset is local); the API takes ms. */
function sinceMs(v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined;
  if (/^\d+$/.test(v.trim())) return Number(v);
  const t = Date.parse(v);
  if (!/^\d{4}-\d{2}-\d{2}/.test(v.trim()) || Number.isNaN(t)) throw new UsageError(`--since takes an ISO time (2025-01-31 or 2025-01-31T09:00:00Z) or epoch milliseconds; got '${v}'.`);
  return t;
}

/** `--expire-at` takes epoch milliseconds or an ISO date-time with its offset (Z or ±hh:mm), so the expiry never depends on this machine's zone. */
function expireAt(v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined;
  if (/^\d+$/.test(v.trim())) return Number(v);
  const t = Date.parse(v);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i.test(v.trim()) || Number.isNaN(t)) {
    throw new UsageError(`--expire-at takes an ISO date-time with its offset (2026-12-31T21:00:00Z) or epoch milliseconds; got '${v}'.`);
  }
  return t;
}

function compact(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out;
}

/** `--stop-loss P [--stop-loss-limit L]`; a limit without its stop is a usage error, not a silent drop. */
function bracketStop(stop: string | undefined, limit: string | undefined): { stopPrice: string; limitPrice?: string } | undefined {
  if (stop === undefined) {
    if (limit !== undefined) throw new UsageError('--stop-loss-limit needs --stop-loss (the stop price that triggers it).');
    return undefined;
  }
  return { stopPrice: stop, ...(limit !== undefined ? { limitPrice: limit } : {}) };
}
