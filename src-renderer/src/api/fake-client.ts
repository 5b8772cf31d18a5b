/**
 * DEV ONLY. An in-page imitation of the engine so the UI can be worked on (and screenshotted)
 * without one. Loaded only with `?fake=1` in a dev build (electron-vite dev / vite dev) or a build
 * made with VITE_TRADEPORT_FAKE=1; production builds drop the import. It implements just enough
 * behaviour to exercise every panel; the real rules live in the engine.
 */
import type {
  AuditEntryView,
  CommandName,
  CommandOutput,
  KillSwitchStatus,
  Preview,
  QuoteView,
  ReconcileReportView,
  RiskLimitView,
  Snapshot,
  VenueInfo,
  VenueKindInfo,
} from '../../../src-main/engine/api/commands';
import type { ApiError, Result } from '../../../src-main/engine/api/errors';
import type { EngineEvent } from '../../../src-main/engine/api/events';
import type { TradeportClient } from '../../../src-main/engine/api/transport';
import type { Instrument } from '../../../src-main/engine/domain/instrument';
import type { Balance, Fill, Order, Position } from '../../../src-main/engine/domain/order';
import { isWorking } from '../../../src-main/engine/domain/order';
import { Decimal } from '../../../src-main/engine/domain/money';

function inst(venue: string, symbol: string, assetClass: Instrument['assetClass'], description: string, tick: string, lot: string, extra: Partial<Instrument> = {}): Instrument {
  const [base, quote] = symbol.includes('/') ? symbol.split('/') : [symbol.split(':')[0]!, 'USD'];
  return {
    id: `${venue}:${symbol.replace('/', '-')}`,
    venue,
    venueSymbol: symbol.replace('/', '-'),
    symbol,
    assetClass,
    description,
    base: base!,
    quote: quote!,
    tickSize: tick,
    lotSize: lot,
    minQty: lot,
    minNotional: '1',
    multiplier: '1',
    fractional: lot !== '1',
    session: assetClass === 'crypto_spot' ? 'always' : 'us_equity',
    ...extra,
  };
}

const INSTRUMENTS: Instrument[] = [
  inst('paper', 'AAPL', 'equity', 'Apple Inc.', '0.01', '1'),
  inst('paper', 'MSFT', 'equity', 'Microsoft Corp.', '0.01', '1'),
  inst('paper', 'NVDA', 'equity', 'NVIDIA Corp.', '0.01', '1'),
  inst('paper', 'TSLA', 'equity', 'Tesla Inc.', '0.01', '1'),
  inst('paper', 'SPY', 'etf', 'SPDR S&P 500 ETF', '0.01', '1'),
  inst('paper', 'QQQ', 'etf', 'Invesco QQQ Trust', '0.01', '1'),
  inst('paper', 'BTC/USD', 'crypto_spot', 'Bitcoin', '0.01', '0.00001'),
  inst('paper', 'ETH/USD', 'crypto_spot', 'Ether', '0.01', '0.0001'),
  inst('paper', 'SOL/USD', 'crypto_spot', 'Solana', '0.001', '0.001'),
  inst('exchange', 'BTC/USD', 'crypto_spot', 'Bitcoin (demo exchange)', '0.01', '0.00000001'),
  inst('paper', 'ES:FUT:20260320', 'future', 'E-mini S&P 500 Mar 2026', '0.25', '1', { multiplier: '50', session: 'cme_equity_futures', expiry: '20260320' }),
];
const START: Record<string, string> = {
  AAPL: '229.87',
  MSFT: '417.32',
  NVDA: '181.46',
  TSLA: '342.10',
  SPY: '662.18',
  QQQ: '598.40',
  'BTC/USD': '96412.50',
  'ETH/USD': '3581.20',
  'SOL/USD': '187.415',
  'ES:FUT:20260320': '6642.25',
};

export function createFakeClient(): TradeportClient {
  const listeners = new Set<(e: EngineEvent[]) => void>();
  const now = () => Date.now();
  const t0 = now();
  const mids = new Map(INSTRUMENTS.map((i) => [i.id, new Decimal(START[i.symbol]!)]));
  const quotes = new Map<string, QuoteView>();
  const orders = new Map<string, Order>();
  const fills: Fill[] = [];
  const positions = new Map<string, Position>();
  let cash = new Decimal('1000000');
  let seq = 1;
  let seed = 42;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;

  let venues: VenueInfo[] = [
    { name: 'paper', kind: 'paper', label: 'Paper', state: 'connected', mode: 'paper', detail: 'US equities open · crypto 24/7', settings: {}, since: t0 },
    {
      name: 'exchange',
      kind: 'demo-exchange',
      label: 'Demo exchange',
      state: 'connected',
      mode: 'shadow',
      detail: 'ws ok · 41 ms',
      settings: { portfolio: 'default', products: 'BTC-USD,ETH-USD' },
      since: t0,
    },
    {
      name: 'broker',
      kind: 'demo-gateway',
      label: 'Demo broker (local gateway)',
      state: 'disconnected',
      mode: 'shadow',
      detail: 'gateway · client 7 · cannot reach the gateway at 127.0.0.1:5001 (connect ECONNREFUSED) — is the gateway running with its API enabled?; reconnecting in 8 s',
      settings: { host: '127.0.0.1', port: '5001', clientId: '7' },
      since: t0,
    },
  ];

  // ── venue settings (dev only): kinds shaped like the engine's, a toy connect, write-only secrets ──
  const KINDS: VenueKindInfo[] = [
    {
      kind: 'paper',
      label: 'Paper (simulated)',
      settings: [
        { key: 'startingCash', type: 'decimal', label: 'Starting cash (USD)', required: false, default: '100000' },
        { key: 'tickMs', type: 'integer', min: '0', max: '60000', label: 'Price update interval (ms)', required: false, default: '250' },
      ],
      secrets: [],
    },
    {
      kind: 'demo-gateway',
      label: 'Demo broker (local gateway)',
      settings: [
        { key: 'host', type: 'host', label: 'Gateway host', required: false, default: '127.0.0.1' },
        {
          key: 'port',
          type: 'port',
          label: 'Socket port',
          required: false,
          default: '5001',
          presets: [
            { label: 'Gateway paper', value: '5001' },
            { label: 'Gateway live', value: '5000', live: true, note: 'Port 5000 is a live account port.' },
          ],
          help: 'The demo gateway: 5001 paper / 5000 live',
        },
        { key: 'clientId', type: 'integer', label: 'API client id', required: false, default: '7', help: 'Unique per program connected to this gateway' },
        {
          key: 'fallbackClientId',
          type: 'integer',
          label: 'Fallback client id',
          required: false,
          help: 'Used when the gateway says the client id is still held by a dead session. Default: client id + 100',
        },
        { key: 'account', type: 'string', label: 'Account (DU… / U…)', required: false, help: 'Empty: the first account the gateway manages' },
        { key: 'watchlist', type: 'list', label: 'Symbols to load at start', required: false, default: 'SPY,QQQ,AAPL,MSFT', help: 'Comma separated: AAPL, ES:FUT:20261218, EUR/USD' },
        {
          key: 'maxMessagesPerSecond',
          type: 'integer',
          label: 'Pacing: messages per second',
          min: '1',
          max: '49',
          advanced: true,
          required: false,
          default: '40',
          help: 'The gateway allows 50; Tradeport stays below with margin',
        },
        { key: 'reconnectMinMs', type: 'integer', label: 'Reconnect backoff start, ms', min: '10', max: '600000', advanced: true, required: false, default: '1000' },
      ],
      secrets: [],
    },
    {
      kind: 'demo-exchange',
      label: 'Demo exchange (API key)',
      settings: [
        { key: 'portfolio', type: 'string', label: 'Portfolio', required: true, help: 'The portfolio name as the exchange shows it' },
        { key: 'products', type: 'list', label: 'Products to load', required: false, default: 'BTC-USD,ETH-USD' },
      ],
      secrets: [
        { field: 'apiKey', label: 'API key name' },
        { field: 'apiSecret', label: 'API private key' },
      ],
    },
  ];
  /** Which secrets are set; never their values (the fake drops them on arrival). */
  const secretsSet = new Set<string>(['exchange|apiKey']);
  /** A toy of a socket venue's status line: port 5000/5001 "connects", anything else is refused. */
  function fakeConnect(name: string, kind: string, settings: Record<string, string>): Pick<VenueInfo, 'state' | 'detail'> {
    if (kind === 'paper') return { state: 'connected', detail: 'US equities open · crypto 24/7' };
    if (kind === 'demo-exchange') {
      const missing = KINDS.find((k) => k.kind === kind)!.secrets.filter((x) => !secretsSet.has(`${name}|${x.field}`));
      return missing.length ? { state: 'error', detail: `missing secret ${missing.map((m) => m.field).join(', ')}` } : { state: 'connected', detail: 'ws ok · 41 ms' };
    }
    const port = settings.port ?? '5001';
    const id = settings.clientId ?? '7';
    if (['5000', '5001'].includes(port)) return { state: 'connected', detail: ['gateway 1.0', settings.account || 'DU123456', `client ${id}`].join(' · ') };
    return {
      state: 'disconnected',
      detail: `gateway · client ${id} · cannot reach the gateway at ${settings.host ?? '127.0.0.1'}:${port} (connect ECONNREFUSED) — is the gateway running with its API enabled?; reconnecting in 1 s`,
    };
  }
  function kindSettings(kind: VenueKindInfo, given: Record<string, string>): Result<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(given)) {
      if (!kind.settings.some((x) => x.key === k)) return err('invalid_input', `${kind.label} has no setting "${k}". Settings: ${kind.settings.map((x) => x.key).join(', ')}.`);
      out[k] = v;
    }
    for (const x of kind.settings) {
      if (out[x.key] === undefined && x.default !== undefined) out[x.key] = x.default;
      if (x.required && !out[x.key]) return err('invalid_input', `${kind.label} needs the setting "${x.key}" (${x.label}).`);
    }
    const port = out.port;
    if (port !== undefined && port !== '' && !(/^\d+$/.test(port) && Number(port) >= 1 && Number(port) <= 65535))
      return err('invalid_input', `Demo broker setting port="${port}" must be a whole number from 1 to 65535.`);
    return { ok: true, value: out };
  }
  function startVenue(v: VenueInfo): VenueInfo {
    const connecting: VenueInfo = {
      ...v,
      state: 'connecting',
      detail: v.kind === 'demo-gateway' ? `gateway · client ${v.settings.clientId ?? '7'} · connecting to ${v.settings.host ?? '127.0.0.1'}:${v.settings.port ?? '5001'}` : 'connecting',
    };
    venues = [...venues.filter((x) => x.name !== v.name), connecting];
    setTimeout(() => {
      if (!venues.some((x) => x.name === v.name)) return;
      const done: VenueInfo = { ...connecting, ...fakeConnect(v.name, v.kind, v.settings), since: now() };
      venues = venues.map((x) => (x.name === v.name ? done : x));
      emit([{ type: 'venue', venue: done }]);
    }, 600);
    return connecting;
  }

  const emit = (events: EngineEvent[]) => {
    for (const l of listeners) l(events);
  };
  const byInput = (venue: string, symbol: string) => INSTRUMENTS.find((i) => i.venue === venue && (i.symbol.toUpperCase() === symbol.toUpperCase() || i.id === symbol));

  function quoteOf(i: Instrument): QuoteView {
    const tick = new Decimal(i.tickSize);
    const mid = mids.get(i.id)!;
    const half = tick.mul(1 + Math.floor(rnd() * 3));
    const bid = mid.minus(half).div(tick).floor().mul(tick);
    const ask = mid.plus(half).div(tick).ceil().mul(tick);
    return {
      instrumentId: i.id,
      venue: i.venue,
      symbol: i.symbol,
      bid: bid.toFixed(),
      ask: ask.toFixed(),
      last: mid.div(tick).round().mul(tick).toFixed(),
      bidSize: String(100 * (1 + Math.floor(rnd() * 9))),
      askSize: String(100 * (1 + Math.floor(rnd() * 9))),
      ts: now(),
    };
  }
  for (const i of INSTRUMENTS) quotes.set(i.id, quoteOf(i));

  const balance = (): Balance => ({ venue: 'paper', asset: 'USD', total: cash.toFixed(2), available: cash.minus(reserved()).toFixed(2) });
  function reserved(): Decimal {
    let r = new Decimal(0);
    for (const o of orders.values()) if (isWorking(o.status) && o.side === 'buy' && o.limitPrice) r = r.plus(new Decimal(o.qty).minus(o.filledQty).mul(o.limitPrice));
    return r;
  }

  function fill(o: Order, price: Decimal, liquidity: 'maker' | 'taker'): EngineEvent[] {
    const i = byInput(o.venue, o.symbol)!;
    const qty = new Decimal(o.qty).minus(o.filledQty);
    const notional = qty.mul(price).mul(i.multiplier);
    const fee = notional.mul(liquidity === 'maker' ? '0.001' : '0.002').toDecimalPlaces(2);
    const f: Fill = {
      id: `f${seq++}`,
      orderId: o.id,
      clientOrderId: o.clientOrderId,
      venue: o.venue,
      venueFillId: `vf${seq}`,
      instrumentId: i.id,
      symbol: i.symbol,
      side: o.side,
      qty: qty.toFixed(),
      price: price.toFixed(),
      fee: fee.toFixed(),
      feeCurrency: 'USD',
      liquidity,
      ts: now(),
    };
    fills.unshift(f);
    const signed = o.side === 'buy' ? qty : qty.neg();
    cash = cash.minus(signed.mul(price).mul(i.multiplier)).minus(fee);
    const key = i.id;
    const prev = positions.get(key);
    const prevQty = new Decimal(prev?.qty ?? '0');
    const newQty = prevQty.plus(signed);
    const avg =
      prev && !prevQty.isZero() && prevQty.isPositive() === signed.isPositive()
        ? new Decimal(prev.avgPrice).mul(prevQty).plus(price.mul(signed)).div(newQty)
        : newQty.isZero()
          ? new Decimal(0)
          : prev && prevQty.abs().gt(signed.abs())
            ? new Decimal(prev.avgPrice)
            : price;
    const pos: Position = { venue: o.venue, instrumentId: i.id, symbol: i.symbol, qty: newQty.toFixed(), avgPrice: avg.toDecimalPlaces(4).toFixed(), realizedPnl: prev?.realizedPnl ?? '0' };
    positions.set(key, pos);
    const done: Order = { ...o, status: 'filled', filledQty: o.qty, avgFillPrice: price.toFixed(), fees: fee.toFixed(), updatedAt: now() };
    orders.set(o.id, done);
    return [
      { type: 'order', order: done },
      { type: 'fill', fill: f },
      { type: 'position', position: pos },
      { type: 'balance', balance: balance() },
    ];
  }

  function crossPrice(o: Order, q: QuoteView): Decimal | undefined {
    const bid = new Decimal(q.bid!);
    const ask = new Decimal(q.ask!);
    if (o.type === 'market') return o.side === 'buy' ? ask : bid;
    if (o.type === 'limit' && o.limitPrice) {
      const lp = new Decimal(o.limitPrice);
      if (o.side === 'buy' && ask.lte(lp)) return ask;
      if (o.side === 'sell' && bid.gte(lp)) return bid;
    }
    return undefined;
  }

  // Random walk at ~25 updates/s across instruments, enough to see the UI breathe.
  setInterval(() => {
    const events: EngineEvent[] = [];
    for (let n = 0; n < 2; n++) {
      const i = INSTRUMENTS[Math.floor(rnd() * INSTRUMENTS.length)]!;
      const mid = mids.get(i.id)!;
      mids.set(i.id, mid.mul(1 + (rnd() - 0.5) * 0.0006));
      const q = quoteOf(i);
      quotes.set(i.id, q);
      events.push({ type: 'quote', quote: q });
      for (const o of orders.values()) {
        if (o.instrumentId !== i.id || !isWorking(o.status)) continue;
        const px = crossPrice(o, q);
        if (px) events.push(...fill(o, px, 'maker'));
      }
    }
    emit(events);
  }, 80);

  function preview(input: Record<string, string>, reserve = true): Result<Preview> {
    const i = byInput(input.venue ?? '', input.symbol ?? '');
    if (!i) return err('unknown_instrument', `No instrument “${input.symbol}” on ${input.venue}. Search for it in the symbol box.`);
    const q = quotes.get(i.id)!;
    const qty = new Decimal(String(input.qty));
    const side = input.side as 'buy' | 'sell';
    const est = input.type === 'market' || !input.limitPrice ? new Decimal(side === 'buy' ? q.ask! : q.bid!) : new Decimal(String(input.limitPrice));
    const notional = est.mul(qty).mul(i.multiplier);
    const fee = notional.mul('0.002').toDecimalPlaces(2);
    const total = side === 'buy' ? notional.plus(fee) : notional.minus(fee);
    const bp = cash.minus(reserved());
    const after = side === 'buy' ? bp.minus(total) : bp.plus(total);
    const violations = after.isNegative() ? [{ code: 'insufficient_funds', message: `Needs ${total.toFixed(2)} USD; ${bp.toFixed(2)} available.` }] : [];
    const warnings = [];
    if (input.type === 'limit' && side === 'buy' && est.gt(new Decimal(q.ask!).mul('1.02')))
      warnings.push({ code: 'price_collar', message: 'Limit is more than 2 % through the ask; it will fill immediately as a taker.' });
    if (i.session === 'us_equity') warnings.push({ code: 'session', message: 'Regular session only; TIF day expires at 16:00 ET.' });
    if (ks.state === 'halted') violations.push({ code: 'risk.halted', message: `Trading is halted by the kill switch (${ks.reason ?? 'no reason'}). No new orders are accepted until it is reset.` });
    const v = venues.find((x) => x.name === i.venue)!;
    const maxNotional = effectiveLimit('max_order_notional', i.venue);
    if (maxNotional.value !== null && notional.gt(maxNotional.value))
      violations.push({ code: 'risk.max_order_notional', message: `Order notional ${notional.toFixed(2)} is above your max order notional ${maxNotional.value} (${maxNotional.scope}).` });
    const coid = input.clientOrderId ?? (reserve ? `tpf${(seq++).toString(16).padStart(15, '0')}` : '');
    const route: Preview['route'] = v.mode === 'paper' ? 'paper' : v.mode === 'live' ? 'live' : v.mode === 'canary' && bucket(coid) < (v.canaryPct ?? 0) ? 'live' : 'shadow';
    return {
      ok: true,
      value: {
        allowed: violations.length === 0,
        route,
        clientOrderId: coid,
        mode: v.mode,
        ...(v.mode === 'canary' ? { canaryPct: v.canaryPct } : {}),
        venue: i.venue,
        instrumentId: i.id,
        symbol: i.symbol,
        side,
        type: input.type as Order['type'],
        qty: qty.toFixed(),
        currency: 'USD',
        estPrice: est.toFixed(),
        estNotional: notional.toFixed(2),
        estFee: fee.toFixed(),
        estTotal: total.toFixed(2),
        buyingPowerBefore: bp.toFixed(2),
        buyingPowerAfter: after.toFixed(2),
        bid: q.bid ?? null,
        ask: q.ask ?? null,
        warnings,
        violations,
        ts: now(),
      },
    };
  }

  // ── safety (issue 3): a toy kill switch, modes, risk limits, reconcile reports and audit log ──
  const bucket = (id: string) => {
    let h = 0;
    for (const c of id) h = (h * 31 + c.charCodeAt(0)) >>> 0;
    return h % 100;
  };
  let ks: KillSwitchStatus = { version: 1, state: 'running', reason: null, actor: null, trippedAt: null, flatten: false, flattenPending: false, lastReset: null, workingOrders: 0 };
  const ksStatus = (): KillSwitchStatus => ({ ...ks, workingOrders: [...orders.values()].filter((o) => isWorking(o.status)).length });
  const DEFAULTS: Record<string, string | null> = {
    max_order_qty: null,
    max_order_notional: '25000',
    max_position_qty: null,
    max_position_notional: '50000',
    max_concentration_pct: '50',
    daily_loss_limit: '1000',
    price_collar_pct: '5',
    max_quote_age_ms: '10000',
    max_open_orders: '50',
    max_orders_per_minute: '60',
  };
  /** scope ('' = global, venue, venue|SYMBOL) → key → value ('off' or a number string). */
  const riskOverrides = new Map<string, Map<string, string>>();
  function effectiveLimit(key: string, venue?: string, symbol?: string): RiskLimitView {
    const scopes: Array<[string, string]> = [];
    if (venue && symbol) scopes.push([`${venue}|${symbol.toUpperCase()}`, `limit for ${symbol.toUpperCase()} on ${venue}`]);
    if (venue) scopes.push([venue, `limit for ${venue}`]);
    scopes.push(['', 'global limit']);
    for (const [k, label] of scopes) {
      const v = riskOverrides.get(k)?.get(key);
      if (v !== undefined) return { key: key as RiskLimitView['key'], value: v === 'off' ? null : v, scope: label };
    }
    return { key: key as RiskLimitView['key'], value: DEFAULTS[key] ?? null, scope: 'default limit' };
  }
  const reports: ReconcileReportView[] = [];
  const audit: AuditEntryView[] = [];
  const auditAdd = (action: string, venue: string | null, ok: boolean, detail: Record<string, unknown>, actor = 'ui') =>
    audit.push({ seq: audit.length + 1, ts: now(), actor, transport: 'bridge', action, venue, ok, detail });
  function reconcileVenue(venue: string, trigger: string): ReconcileReportView {
    const changes: ReconcileReportView['changes'] =
      trigger === 'start' && venue === 'exchange'
        ? [
            { kind: 'fill', message: 'while disconnected: order o7 filled 0.01 @ 96,210.00' },
            { kind: 'order', message: 'order o9 cancelled by venue' },
            { kind: 'adopted', message: 'unknown order 7f3a… (BTC/USD sell 0.02 @ 99,000) adopted, marked external' },
          ]
        : [];
    const r: ReconcileReportView = {
      seq: reports.length + 1,
      venue,
      ts: now(),
      trigger,
      ok: venue !== 'broker',
      error: venue === 'broker' ? 'venue is disconnected (gateway 127.0.0.1:5001 refused)' : null,
      changes: venue === 'broker' ? [] : changes,
    };
    reports.unshift(r);
    auditAdd('reconcile.report', venue, r.ok, { trigger, changes: r.changes.length, ...(r.error ? { error: { code: 'venue_unavailable', message: r.error } } : {}) }, 'system');
    return r;
  }
  reconcileVenue('paper', 'start');
  reconcileVenue('exchange', 'start');
  function auditFilter(input: Record<string, unknown>): AuditEntryView[] {
    const a = input.action as string | undefined,
      v = input.venue as string | undefined,
      who = input.actor as string | undefined,
      since = input.sinceTs as number | undefined;
    const limit = Number(input.limit ?? 1000);
    return audit
      .filter((e) => (!a || e.action.startsWith(a)) && (!v || e.venue === v) && (!who || e.actor === who) && (since === undefined || e.ts >= since))
      .slice(-limit)
      .reverse();
  }
  const csvField = (x: string) => (/[",\r\n]/.test(x) ? `"${x.replace(/"/g, '""')}"` : x);
  function tripKs(mode: 'halted' | 'reducing', flatten: boolean, reason: string): CommandOutput<'killSwitch.trip'> {
    const changed = ks.state !== mode && !(ks.state === 'halted' && mode === 'reducing');
    if (changed) ks = { ...ks, state: mode, reason, actor: 'ui', trippedAt: ks.trippedAt ?? now(), flatten };
    const working = [...orders.values()].filter((o) => isWorking(o.status));
    const cancelled = working.map((o): Order => ({ ...o, status: 'cancelled', updatedAt: now() }));
    for (const o of cancelled) orders.set(o.id, o);
    auditAdd(`killSwitch.trip`, null, true, { from: 'running', to: mode, reason, flatten });
    auditAdd('killSwitch.sweep', null, true, { requested: working.length, cancelled: cancelled.length });
    const status = ksStatus();
    setTimeout(() => emit([...cancelled.map((order): EngineEvent => ({ type: 'order', order })), { type: 'balance', balance: balance() }, { type: 'killSwitch', state: status }]), 5);
    return { status, changed, ...(changed ? {} : { note: `already ${ks.state}` }), sweep: { requested: working.length, cancelled: cancelled.length, failed: [] }, flatten: [] };
  }

  function err(code: ApiError['code'], message: string): Result<never> {
    return { ok: false, error: { code, message } };
  }

  function snapshot(): Snapshot {
    return {
      info: { version: '0.1.0-fake', dataDir: '(fake)', pid: 0, startedAt: t0 },
      venues,
      orders: [...orders.values()],
      fills: [...fills],
      positions: [...positions.values()],
      balances: [balance(), { venue: 'exchange', asset: 'USDC', total: '2500.00', available: '2500.00' }, { venue: 'exchange', asset: 'BTC', total: '0.04210000', available: '0.04210000' }],
      quotes: [...quotes.values()],
    };
  }

  // Some history so every panel has rows on first paint.
  const seedOrder = (symbol: string, side: 'buy' | 'sell', type: Order['type'], qty: string, limitPrice?: string, stopPrice?: string): Order => {
    const i = byInput('paper', symbol)!;
    const o: Order = {
      id: `o${seq++}`,
      clientOrderId: `seed-${seq}`,
      venue: 'paper',
      instrumentId: i.id,
      symbol: i.symbol,
      side,
      type,
      qty,
      ...(limitPrice ? { limitPrice } : {}),
      ...(stopPrice ? { stopPrice } : {}),
      tif: 'gtc',
      status: 'accepted',
      filledQty: '0',
      avgFillPrice: '0',
      fees: '0',
      source: 'user',
      createdAt: t0 - 3_600_000 + seq * 60_000,
      updatedAt: t0 - 3_600_000 + seq * 60_000,
    };
    orders.set(o.id, o);
    return o;
  };
  fill(seedOrder('AAPL', 'buy', 'market', '150'), new Decimal('227.41'), 'taker');
  fill(seedOrder('NVDA', 'buy', 'limit', '200', '183.20'), new Decimal('183.20'), 'maker');
  fill(seedOrder('BTC/USD', 'buy', 'limit', '0.25', '95880.00'), new Decimal('95880.00'), 'maker');
  fill(seedOrder('TSLA', 'sell', 'market', '40'), new Decimal('345.92'), 'taker');
  fill(seedOrder('ES:FUT:20260320', 'buy', 'market', '1'), new Decimal('6650.75'), 'taker');
  seedOrder('MSFT', 'buy', 'limit', '50', '409.50');
  seedOrder('ETH/USD', 'sell', 'limit', '1.5', '3720.00');
  seedOrder('SPY', 'sell', 'stop', '20', undefined, '648.00');
  const rejected = seedOrder('QQQ', 'buy', 'limit', '500', '590.00');
  orders.set(rejected.id, { ...rejected, status: 'rejected', rejectReason: 'insufficient_funds', updatedAt: rejected.updatedAt + 10 });

  async function handle(command: CommandName, input: Record<string, unknown>): Promise<Result<unknown>> {
    await new Promise((r) => setTimeout(r, 30));
    const s = (k: string) => (input[k] === undefined ? undefined : String(input[k]));
    switch (command) {
      case 'snapshot.get':
        return { ok: true, value: snapshot() };
      case 'engine.info':
        return { ok: true, value: snapshot().info };
      case 'venues.list':
        return { ok: true, value: venues };
      case 'venue.kinds':
        return { ok: true, value: KINDS };
      case 'venue.add': {
        const kind = KINDS.find((k) => k.kind === s('kind'));
        if (!kind) return err('unknown_venue', `Unknown venue kind "${s('kind')}". Available: ${KINDS.map((k) => k.kind).join(', ')}.`);
        let name = s('name');
        if (!name) {
          name = kind.kind;
          for (let i = 2; venues.some((v) => v.name === name); i++) name = `${kind.kind}-${i}`;
        }
        if (!/^[a-z0-9][a-z0-9_-]{0,31}$/.test(name)) return err('invalid_input', `Venue name "${name}" must be 1–32 lowercase letters, digits, "-" or "_".`);
        if (venues.some((v) => v.name === name)) return err('venue_exists', `A venue named "${name}" already exists. Pick another --name.`);
        const settings = kindSettings(kind, (input.settings ?? {}) as Record<string, string>);
        if (!settings.ok) return settings;
        const v = startVenue({ name, kind: kind.kind, label: kind.label, state: 'connecting', mode: kind.kind === 'paper' ? 'paper' : 'shadow', detail: '', settings: settings.value, since: now() });
        auditAdd('venue.add', name, true, { kind: kind.kind, settings: settings.value });
        setTimeout(() => emit([{ type: 'venue', venue: v }]), 5);
        return { ok: true, value: v };
      }
      case 'venue.set': {
        const cur = venues.find((v) => v.name === s('name'));
        if (!cur) return err('unknown_venue', `Unknown venue "${s('name')}".`);
        const kind = KINDS.find((k) => k.kind === cur.kind)!;
        const settings = kindSettings(kind, { ...cur.settings, ...((input.settings ?? {}) as Record<string, string>) });
        if (!settings.ok) return settings;
        const v = startVenue({ ...cur, settings: settings.value, since: now() });
        auditAdd('venue.set', cur.name, true, { settings: input.settings });
        setTimeout(() => emit([{ type: 'venue', venue: v }]), 5);
        return { ok: true, value: v };
      }
      case 'venue.remove': {
        const name = s('name') ?? '';
        if (!venues.some((v) => v.name === name)) return err('unknown_venue', `Unknown venue "${name}".`);
        if ([...orders.values()].some((o) => o.venue === name && isWorking(o.status)))
          return err('invalid_input', `Venue "${name}" still has working orders. Cancel them first (tradeport cancel-all ${name}).`);
        venues = venues.filter((v) => v.name !== name);
        for (const k of [...secretsSet]) if (k.startsWith(`${name}|`)) secretsSet.delete(k);
        auditAdd('venue.remove', name, true, {});
        return { ok: true, value: { name, removed: true as const } };
      }
      case 'secret.set': {
        const v = venues.find((x) => x.name === s('venue'));
        if (!v) return err('unknown_venue', `Unknown venue "${s('venue')}".`);
        const kind = KINDS.find((k) => k.kind === v.kind)!;
        const field = s('field') ?? '';
        if (!kind.secrets.some((x) => x.field === field))
          return err('invalid_input', kind.secrets.length ? `${kind.label} has no secret "${field}". Its secrets: ${kind.secrets.map((x) => x.field).join(', ')}.` : `${kind.label} needs no secrets.`);
        // The value is not kept, not even here: only that it was set.
        secretsSet.add(`${v.name}|${field}`);
        auditAdd('secret.set', v.name, true, { field, value: '[redacted]' });
        startVenue(v);
        return { ok: true, value: { venue: v.name, field, set: true as const } };
      }
      case 'secret.status': {
        const v = venues.find((x) => x.name === s('venue'));
        if (!v) return err('unknown_venue', `Unknown venue "${s('venue')}".`);
        const kind = KINDS.find((k) => k.kind === v.kind)!;
        return { ok: true, value: { venue: v.name, fields: kind.secrets.map((x) => ({ field: x.field, label: x.label, set: secretsSet.has(`${v.name}|${x.field}`) })) } };
      }
      case 'instruments.search': {
        const q = (s('query') ?? '').toUpperCase();
        const list = INSTRUMENTS.filter((i) => i.venue === s('venue') && (i.symbol.includes(q) || i.description.toUpperCase().includes(q)));
        return { ok: true, value: list.slice(0, Number(input.limit ?? 50)) };
      }
      case 'quote.get': {
        const i = byInput(s('venue') ?? '', s('symbol') ?? '');
        return i ? { ok: true, value: quotes.get(i.id)! } : err('unknown_instrument', 'Unknown instrument.');
      }
      case 'book.get': {
        const i = byInput(s('venue') ?? '', s('symbol') ?? '');
        if (!i) return err('unknown_instrument', 'Unknown instrument.');
        const q = quotes.get(i.id)!;
        const tick = new Decimal(i.tickSize);
        const depth = Number(input.depth ?? 10);
        const lvl = (from: string, dir: number) =>
          Array.from({ length: depth }, (_, k) => ({ price: new Decimal(from).plus(tick.mul(dir * (k + Math.floor(k / 2)))).toFixed(), qty: String(100 * (1 + ((k * 7 + seq) % 9))) }));
        return { ok: true, value: { instrumentId: i.id, venue: i.venue, symbol: i.symbol, bids: lvl(q.bid!, -1), asks: lvl(q.ask!, 1), ts: now() } };
      }
      case 'order.preview':
        return preview(input as Record<string, string>);
      case 'order.place': {
        const p = preview(input as Record<string, string>);
        if (!p.ok) return p;
        if (!p.value.allowed) {
          const halted = p.value.violations.some((x) => x.code === 'risk.halted');
          auditAdd('risk.breach', s('venue') ?? null, false, { violations: p.value.violations });
          return err(halted ? 'halted' : p.value.violations[0]!.code === 'insufficient_funds' ? 'insufficient_funds' : 'risk_violation', p.value.violations.map((x) => x.message).join(' '));
        }
        const coid = p.value.clientOrderId!;
        auditAdd('order.place', s('venue') ?? null, true, { clientOrderId: coid, route: p.value.route, symbol: s('symbol'), side: s('side'), qty: s('qty') });
        const dup = [...orders.values()].find((o) => o.clientOrderId === coid);
        if (dup) return err('duplicate_client_order_id', `Order ${dup.id} already uses client id ${coid}.`);
        const i = byInput(s('venue')!, s('symbol')!)!;
        const o: Order = {
          id: `o${seq++}`,
          clientOrderId: coid,
          venue: i.venue,
          instrumentId: i.id,
          symbol: i.symbol,
          side: input.side as Order['side'],
          type: input.type as Order['type'],
          qty: new Decimal(s('qty')!).toFixed(),
          ...(s('limitPrice') ? { limitPrice: s('limitPrice')! } : {}),
          ...(s('stopPrice') ? { stopPrice: s('stopPrice')! } : {}),
          tif: (s('tif') ?? 'day') as Order['tif'],
          status: 'accepted',
          filledQty: '0',
          avgFillPrice: '0',
          fees: '0',
          source: 'user',
          createdAt: now(),
          updatedAt: now(),
        };
        (o as Order & { route?: string }).route = p.value.route;
        orders.set(o.id, o);
        const events: EngineEvent[] = [{ type: 'order', order: o }];
        const px = crossPrice(o, quotes.get(i.id)!);
        if (px) events.push(...fill(o, px, 'taker'));
        else events.push({ type: 'balance', balance: balance() });
        setTimeout(() => emit(events), 5);
        return { ok: true, value: o };
      }
      case 'order.cancel': {
        const o = orders.get(s('id') ?? '');
        if (!o) return err('order_not_found', `No order ${s('id')}.`);
        if (!isWorking(o.status)) return err('order_not_cancellable', `Order ${o.id} is ${o.status}.`);
        const c: Order = { ...o, status: 'cancelled', updatedAt: now() };
        orders.set(o.id, c);
        setTimeout(
          () =>
            emit([
              { type: 'order', order: c },
              { type: 'balance', balance: balance() },
            ]),
          5,
        );
        return { ok: true, value: c };
      }
      case 'order.cancelAll': {
        const list: Order[] = [];
        for (const o of orders.values()) if (isWorking(o.status)) list.push({ ...o, status: 'cancelled', updatedAt: now() });
        for (const o of list) orders.set(o.id, o);
        setTimeout(() => emit([...list.map((order): EngineEvent => ({ type: 'order', order })), { type: 'balance', balance: balance() }]), 5);
        return { ok: true, value: { requested: list.length, orders: list } };
      }
      case 'killSwitch.status':
        return { ok: true, value: ksStatus() };
      case 'killSwitch.trip':
        return { ok: true, value: tripKs((s('mode') ?? 'halted') as 'halted' | 'reducing', input.flatten === true, s('reason') ?? 'Tripped by ui') };
      case 'killSwitch.reset': {
        if (input.confirm !== true) return err('invalid_input', 'Resetting the kill switch resumes trading: pass confirm: true.');
        const changed = ks.state !== 'running';
        ks = { ...ks, state: 'running', reason: null, actor: null, trippedAt: null, flatten: false, flattenPending: false, lastReset: { actor: 'ui', at: now(), note: s('note') ?? null } };
        auditAdd('killSwitch.reset', null, true, { note: s('note') ?? null });
        const status = ksStatus();
        setTimeout(() => emit([{ type: 'killSwitch', state: status }]), 5);
        return { ok: true, value: { status, changed } };
      }
      case 'mode.set': {
        const v = venues.find((x) => x.name === s('venue'));
        if (!v) return err('unknown_venue', `Unknown venue "${s('venue')}".`);
        if (v.mode === 'paper') return err('invalid_input', `${v.name} is the simulated Paper venue: it has no SHADOW/CANARY/LIVE modes.`);
        const to = s('mode') as 'shadow' | 'canary' | 'live';
        const pct = input.canaryPct as number | undefined;
        if (to === 'canary' && !(pct !== undefined && pct > 0 && pct < 100)) return err('invalid_input', 'Canary percentage must be above 0 and below 100.');
        if (to !== 'shadow' && (s('typedVenueName') ?? '').trim() !== v.name) return err('invalid_input', `To switch ${v.name} to ${to.toUpperCase()}, type the venue name "${v.name}" exactly.`);
        const from = v.mode;
        const next: VenueInfo = { ...v, mode: to, ...(to === 'canary' ? { canaryPct: pct } : { canaryPct: undefined }) };
        venues = venues.map((x) => (x.name === v.name ? next : x));
        const armed = to !== 'shadow';
        const summary = `${v.name}: ${from.toUpperCase()} → ${to === 'canary' ? `CANARY ${pct} %` : to.toUpperCase()}${armed ? ' (armed)' : ''}`;
        auditAdd(armed ? 'mode.arm' : 'mode.disarm', v.name, true, { from, to, canaryPct: pct ?? null, summary });
        setTimeout(
          () =>
            emit([
              { type: 'venue', venue: next },
              { type: 'notice', level: armed ? 'warn' : 'info', message: summary, ts: now() },
            ]),
          5,
        );
        return { ok: true, value: { venue: next, from, to, canaryPct: pct ?? null, changed: true, armed, summary } };
      }
      case 'risk.get': {
        const venue = s('venue');
        const symbol = s('symbol');
        return {
          ok: true,
          value: {
            venue: venue ?? null,
            symbol: symbol ?? null,
            instrumentId: null,
            effective: Object.keys(DEFAULTS).map((k) => effectiveLimit(k, venue, symbol)),
            configured: { version: 1, global: {}, venues: {}, instruments: {} },
            killSwitch: ks.state,
          },
        };
      }
      case 'risk.set': {
        const key = s('key') ?? '';
        if (!(key in DEFAULTS)) return err('invalid_input', `key must be one of: ${Object.keys(DEFAULTS).join(', ')}`);
        const raw = (s('value') ?? '').trim().toLowerCase();
        if (raw !== 'off' && raw !== 'inherit' && !/^\d+(\.\d+)?$/.test(raw)) return err('invalid_input', `value: ${key} must be a positive number, "off" or "inherit" (got "${s('value')}").`);
        if (raw !== 'off' && raw !== 'inherit' && Number(raw) <= 0) return err('invalid_input', `value: ${key} must be above 0.`);
        const venue = s('venue');
        const symbol = s('symbol');
        const scope = venue && symbol ? `${venue}|${symbol.toUpperCase()}` : (venue ?? '');
        const m = riskOverrides.get(scope) ?? new Map<string, string>();
        if (raw === 'inherit') m.delete(key);
        else m.set(key, raw);
        riskOverrides.set(scope, m);
        auditAdd('risk.set', venue ?? null, true, { key, value: raw, symbol: symbol ?? null });
        return { ok: true, value: { key: key as RiskLimitView['key'], value: raw, venue: venue ?? null, symbol: symbol ?? null, instrumentId: null, effective: effectiveLimit(key, venue, symbol) } };
      }
      case 'reconcile.run': {
        const list = s('venue') ? venues.filter((v) => v.name === s('venue')) : venues;
        const out = list.map((v) => reconcileVenue(v.name, 'manual'));
        setTimeout(() => emit(out.map((report): EngineEvent => ({ type: 'reconcile', report }))), 5);
        return { ok: true, value: out };
      }
      case 'reconcile.reports':
        return { ok: true, value: reports.filter((r) => !s('venue') || r.venue === s('venue')).slice(0, Number(input.limit ?? 20)) };
      case 'audit.list':
        return { ok: true, value: auditFilter(input) };
      case 'strategy.list':
        return { ok: true, value: [] };
      case 'audit.csv': {
        const rows = auditFilter(input);
        const lines = [
          'seq,time_utc,ts,actor,transport,action,venue,ok,detail',
          ...rows.map((e) =>
            [String(e.seq), new Date(e.ts).toISOString(), String(e.ts), e.actor, e.transport, e.action, e.venue ?? '', String(e.ok), JSON.stringify(e.detail)].map(csvField).join(','),
          ),
        ];
        return { ok: true, value: { csv: lines.join('\r\n') + '\r\n', rows: rows.length } };
      }
      case 'account.summary': {
        let posValue = new Decimal(0);
        for (const p of positions.values()) {
          const q = quotes.get(p.instrumentId);
          if (q?.bid && q.ask) posValue = posValue.plus(new Decimal(q.bid).plus(q.ask).div(2).mul(p.qty));
        }
        const b = balance();
        const net = new Decimal(b.total).plus(posValue).toFixed(2);
        const venue = { venue: 'paper', cash: b.total, positionsValue: posValue.toFixed(2), netLiquidation: net, buyingPower: b.available, source: 'computed' as const, unconverted: [] };
        return {
          ok: true,
          value: {
            currency: 'USD',
            netLiquidation: net,
            cash: b.total,
            positionsValue: venue.positionsValue,
            buyingPower: b.available,
            pnlToday: { realized: '0', unrealized: '0', total: '0' },
            venues: [venue],
            unconverted: ['0.04210000 BTC on exchange (no BTC/USD rate)'],
            ts: now(),
          },
        };
      }
      default:
        return err('unknown_command', `The fake engine does not implement ${command}.`);
    }
  }

  return {
    transport: 'bridge',
    invoke<C extends CommandName>(command: C, input?: unknown): Promise<Result<CommandOutput<C>>> {
      return handle(command, (input ?? {}) as Record<string, unknown>) as Promise<Result<CommandOutput<C>>>;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
