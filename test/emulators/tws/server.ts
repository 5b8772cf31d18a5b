/**
 * The emulated TWS / IB Gateway: a plain `net` server speaking the TWS API socket protocol, one
 * `Broker` behind it, and a control API for tests (faults, restarts, prices, fills, manual orders).
 */
import { EventEmitter } from 'node:events';
import { readFileSync, writeFileSync, renameSync, existsSync } from 'node:fs';
import net from 'node:net';
import { Decimal } from '../../../src-main/engine/domain/money';
import { Broker, isDone, type BrokerSink, type BrokerState, type ManualOrderSpec, type Session } from './broker';
import { buildCatalog, type Catalog } from './catalog';
import { parseRequest, type ClientRequest, type ExecutionFilterQuery } from './decode';
import * as enc from './encode';
import { DEFAULT_SERVER_VERSION, FrameReader, MAX_SERVER_VERSION, MIN_EMULATED_SERVER_VERSION, frame, type Fields } from './protocol';
import { connectionTime, executionTime, hhmm, parseFilterTime } from './time';
import type { ContractSpec, EmuExecution, EmuOrder, EmuPosition, Quote } from './types';

export interface TwsEmulatorOptions {
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  host?: string;
  /** Highest server version to announce: 193 (default) or e.g. 176. Must be 145..193. */
  serverVersion?: number;
  /** Managed accounts; the first one holds the positions. Default ["DU123456"]. */
  accounts?: string[];
  initialCash?: string;
  /** A cash account (no margin; sale proceeds settle T+1 in SettledCash). Default false. */
  cashAccount?: boolean;
  /** First nextValidId. Default 1. */
  nextValidId?: number;
  /** Clock (epoch ms). */
  now?: () => number;
  /** TWS login time zone used in time texts. Default "US/Eastern". */
  timeZone?: string;
  /** Fill marketable orders at the touch as soon as they can trade. Default true. */
  autoFill?: boolean;
  /** Messages per second per client before error 100; false disables pacing. Default 50. */
  maxMessagesPerSecond?: number | false;
  /** Drop the client socket when it exceeds the pacing limit (TWS may). Default false. */
  disconnectOnPacingViolation?: boolean;
  /** Send the 2104/2106/2158 farm-status infos after connect. Default true. */
  farmStatusMessages?: boolean;
  /** A client id that also receives every order's updates (TWS "Master API client ID"). */
  masterClientId?: number;
  /** Persist orders, executions, positions and ids to this JSON file, and load them at start. */
  stateFile?: string;
  log?: (line: string) => void;
}

export type OrderRef = { clientId: number; orderId: number } | { permId: number };

export interface QuoteUpdate {
  bid?: string;
  ask?: string;
  last?: string;
  bidSize?: string;
  askSize?: string;
  lastSize?: string;
  volume?: string;
  high?: string;
  low?: string;
  close?: string;
}

export interface RestartOptions {
  /** How long TWS stays down (connections refused). Default 500 ms. */
  downMs?: number;
  /** nextValidId announced after the restart (a rollback when below the current one). */
  nextValidId?: number;
}

const CONNECTIVITY_TEXT: Record<number, string> = {
  1100: 'Connectivity between IB and Trader Workstation has been lost.',
  1101: 'Connectivity between IB and Trader Workstation has been restored - data lost.',
  1102: 'Connectivity between IB and Trader Workstation has been restored - data maintained.',
  1300: 'TWS socket port has been reset and this connection is being dropped. Please reconnect on the new port',
  2110: 'Connectivity between Trader Workstation and server is broken. It will be restored automatically.',
};

class ClientConn {
  readonly reader = new FrameReader();
  serverVersion = 0;
  clientId: number | undefined;
  started = false;
  closed = false;
  readonly mktData = new Map<number, number>(); // reqId -> conId
  marketDataType = 1;
  accountUpdates = false;
  positions = false;
  readonly accountSummaries = new Map<number, string>();
  autoOpenOrders = false;
  private window: number[] = [];
  private pacingReportedAt = -Infinity;

  constructor(
    readonly seq: number,
    readonly socket: net.Socket,
  ) {}

  /** Records a message; returns the count within the last second. */
  tick(now: number): number {
    this.window.push(now);
    while (this.window.length > 0 && (this.window[0] ?? 0) <= now - 1000) this.window.shift();
    return this.window.length;
  }
  shouldReportPacing(now: number): boolean {
    if (now - this.pacingReportedAt < 1000) return false;
    this.pacingReportedAt = now;
    return true;
  }
}

export class TwsEmulator extends EventEmitter {
  readonly catalog: Catalog;
  readonly broker: Broker;
  readonly accounts: string[];
  private readonly maxServerVersion: number;
  private readonly host: string;
  private readonly now: () => number;
  private readonly timeZone: string;
  private server: net.Server | undefined;
  private boundPort: number;
  private readonly conns = new Set<ClientConn>();
  private connSeq = 0;
  private readonly heldClientIds = new Set<number>();
  private up = false;
  private restarting: Promise<void> | undefined;
  maxMessagesPerSecond: number | false;
  disconnectOnPacingViolation: boolean;
  private readonly farmStatus: boolean;
  private readonly masterClientId: number | undefined;
  private readonly stateFile: string | undefined;
  private readonly log: (line: string) => void;

  constructor(opts: TwsEmulatorOptions = {}) {
    super();
    this.maxServerVersion = opts.serverVersion ?? DEFAULT_SERVER_VERSION;
    if (this.maxServerVersion < MIN_EMULATED_SERVER_VERSION || this.maxServerVersion > MAX_SERVER_VERSION) {
      throw new Error(`server version ${this.maxServerVersion} outside ${MIN_EMULATED_SERVER_VERSION}..${MAX_SERVER_VERSION}`);
    }
    this.host = opts.host ?? '127.0.0.1';
    this.boundPort = opts.port ?? 0;
    this.now = opts.now ?? Date.now;
    this.timeZone = opts.timeZone ?? 'US/Eastern';
    this.accounts = opts.accounts ?? ['DU123456'];
    this.maxMessagesPerSecond = opts.maxMessagesPerSecond ?? 50;
    this.disconnectOnPacingViolation = opts.disconnectOnPacingViolation ?? false;
    this.farmStatus = opts.farmStatusMessages ?? true;
    this.masterClientId = opts.masterClientId;
    this.stateFile = opts.stateFile;
    this.log = opts.log ?? (() => undefined);
    this.catalog = buildCatalog(new Date(this.now()));
    const account = this.accounts[0];
    if (account === undefined) throw new Error('at least one account is required');
    this.broker = new Broker(this.catalog, {
      account,
      initialCash: opts.initialCash ?? '1000000',
      now: this.now,
      autoFill: opts.autoFill ?? true,
      cashAccount: opts.cashAccount ?? false,
    });
    this.broker.nextOrderId = opts.nextValidId ?? 1;
    if (this.stateFile && existsSync(this.stateFile)) {
      this.broker.loadState(JSON.parse(readFileSync(this.stateFile, 'utf8')) as BrokerState);
    }
    this.broker.sink = this.makeSink();
  }

  // =============================================================================================
  // lifecycle

  get port(): number {
    return this.boundPort;
  }
  get serverVersion(): number {
    return this.maxServerVersion;
  }
  get isUp(): boolean {
    return this.up;
  }

  async start(): Promise<void> {
    await this.listen();
    this.up = true;
    this.log(`TWS emulator listening on ${this.host}:${this.boundPort} (server version ${this.maxServerVersion})`);
  }

  async stop(): Promise<void> {
    this.up = false;
    for (const c of this.conns) c.socket.destroy();
    this.conns.clear();
    await this.closeListener();
    this.saveState();
  }

  private listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      const server = net.createServer((socket) => this.onSocket(socket));
      server.once('error', reject);
      server.listen(this.boundPort, this.host, () => {
        server.off('error', reject);
        const addr = server.address();
        if (addr && typeof addr === 'object') this.boundPort = addr.port;
        this.server = server;
        resolve();
      });
    });
  }

  private closeListener(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (!s) return Promise.resolve();
    return new Promise((resolve) => s.close(() => resolve()));
  }

  // =============================================================================================
  // control API

  /** Sends a connectivity code (1100, 1101, 1102, 2110, 1300) to every connected client, with TWS's side effects. */
  injectConnectivity(code: 1100 | 1101 | 1102 | 1300 | 2110): void {
    const text = CONNECTIVITY_TEXT[code] ?? `Connectivity event ${code}`;
    if (code === 1100 || code === 2110) this.broker.setExchangeReachable(false);
    if (code === 1101) {
      for (const c of this.conns) c.mktData.clear(); // data lost: clients must resubscribe
    }
    for (const c of this.started()) this.send(c, enc.error(c.serverVersion, -1, code, text));
    if (code === 1101 || code === 1102) this.broker.setExchangeReachable(true);
    if (code === 1300) for (const c of [...this.conns]) c.socket.end();
  }

  /** Sends any error / info message (id -1 = not tied to a request) to one client or all. */
  sendError(code: number, message: string, opts: { clientId?: number; id?: number } = {}): void {
    for (const c of this.started()) {
      if (opts.clientId !== undefined && c.clientId !== opts.clientId) continue;
      this.send(c, enc.error(c.serverVersion, opts.id ?? -1, code, message));
    }
  }

  /**
   * TWS restart: drops every client, refuses connections for `downMs`, then listens again on the
   * same port, optionally announcing a rolled-back nextValidId. Orders, executions and positions survive.
   * Resolves when TWS is back.
   */
  restart(opts: RestartOptions = {}): Promise<void> {
    if (this.restarting) return this.restarting;
    const run = async (): Promise<void> => {
      this.up = false;
      this.log('TWS restarting');
      for (const c of this.conns) c.socket.destroy();
      this.conns.clear();
      await this.closeListener();
      this.saveState();
      await new Promise((r) => setTimeout(r, opts.downMs ?? 500));
      if (opts.nextValidId !== undefined) this.broker.nextOrderId = opts.nextValidId;
      await this.listen();
      this.up = true;
      this.log('TWS back up');
      this.emit('restarted');
    };
    this.restarting = run().finally(() => {
      this.restarting = undefined;
    });
    return this.restarting;
  }

  /** A dead session holds this client id: connecting with it gets error 326 and the socket closed. */
  holdClientId(clientId: number): void {
    this.heldClientIds.add(clientId);
  }
  releaseClientId(clientId: number): void {
    this.heldClientIds.delete(clientId);
  }

  /** Drops one client's socket (as TWS does on some errors). */
  disconnectClient(clientId: number): void {
    for (const c of this.conns) if (c.clientId === clientId) c.socket.destroy();
  }

  /** An order typed into TWS by hand: orderId 0 / clientId 0 unless given. */
  placeManualOrder(spec: ManualOrderSpec): EmuOrder {
    const o = this.broker.placeManual(spec);
    this.saveState();
    return o;
  }

  /** Drives a quote by conId or stock symbol; working orders on it are re-evaluated. */
  setQuote(target: number | string, update: QuoteUpdate): void {
    this.broker.setQuote(this.conIdOf(target), update);
    this.saveState();
  }

  quote(target: number | string): Quote {
    const q = this.broker.quotes.get(this.conIdOf(target));
    if (!q) throw new Error(`no quote for ${String(target)}`);
    return q;
  }

  /** Fills a working order (all of what remains, or `quantity`) at `price` or the touch. */
  fillOrder(ref: OrderRef, opts: { quantity?: string; price?: string } = {}): EmuExecution {
    const e = this.broker.fill(this.order(ref), opts.quantity, opts.price);
    this.saveState();
    return e;
  }

  /** Cancels an order from the TWS side. */
  cancelOrderInTws(ref: OrderRef): void {
    const o = this.order(ref);
    this.broker.cancel(o.clientId, o.orderId);
  }

  rejectNextOrder(reason: string): void {
    this.broker.rejectNextOrder(reason);
  }
  setAutoFill(on: boolean): void {
    this.broker.autoFill = on;
    if (on) this.broker.evaluateAll();
  }
  setSession(s: Session): void {
    this.broker.setSession(s);
  }
  openingAuction(): void {
    this.broker.openingAuction();
  }
  endOfDay(): void {
    this.broker.endOfDay();
  }

  get nextValidId(): number {
    return this.broker.nextOrderId;
  }
  set nextValidId(id: number) {
    this.broker.nextOrderId = id;
  }

  order(ref: OrderRef): EmuOrder {
    const o = 'permId' in ref ? this.broker.findByPerm(ref.permId) : this.broker.find(ref.clientId, ref.orderId);
    if (!o) throw new Error(`no order ${JSON.stringify(ref)}`);
    return o;
  }
  orders(): readonly EmuOrder[] {
    return this.broker.orders;
  }
  openOrders(): EmuOrder[] {
    return this.broker.working();
  }
  executions(): readonly EmuExecution[] {
    return this.broker.executions;
  }
  positions(): EmuPosition[] {
    return [...this.broker.positions.values()];
  }
  connectedClientIds(): number[] {
    return [...this.conns].filter((c) => c.started && c.clientId !== undefined).map((c) => c.clientId as number);
  }

  /** conId of a catalog instrument: a stock symbol, or symbol + secType (+ expiry / strike / right). */
  conIdOf(target: number | string, secType = 'STK', expiry = '', strike?: string, right = ''): number {
    if (typeof target === 'number') return target;
    const matches = this.broker.resolve({
      conId: 0,
      symbol: target,
      secType,
      lastTradeDateOrContractMonth: expiry,
      strike,
      right,
      multiplier: '',
      exchange: '',
      primaryExch: '',
      currency: '',
      localSymbol: '',
      tradingClass: '',
    });
    const first = matches[0];
    if (!first) throw new Error(`no contract ${target} ${secType} ${expiry}`);
    return first.conId;
  }

  contracts(): readonly ContractSpec[] {
    return this.catalog.contracts;
  }

  // =============================================================================================
  // sockets

  private started(): ClientConn[] {
    return [...this.conns].filter((c) => c.started && !c.closed);
  }

  private onSocket(socket: net.Socket): void {
    if (!this.up) {
      socket.destroy();
      return;
    }
    socket.setNoDelay(true);
    const conn = new ClientConn(++this.connSeq, socket);
    this.conns.add(conn);
    socket.on('data', (chunk: Buffer) => this.onData(conn, chunk));
    const done = (): void => {
      if (conn.closed) return;
      conn.closed = true;
      this.conns.delete(conn);
      this.emit('clientDisconnected', conn.clientId);
    };
    socket.on('close', done);
    socket.on('error', done);
  }

  private send(c: ClientConn, fields: Fields): void {
    if (c.closed || c.socket.destroyed) return;
    c.socket.write(frame(fields));
  }

  private onData(c: ClientConn, chunk: Buffer): void {
    for (const ev of c.reader.feed(chunk)) {
      if (c.closed) return;
      if (ev.kind === 'invalid') {
        this.log(`client #${c.seq}: ${ev.reason}; closing`);
        c.socket.destroy();
        return;
      }
      if (ev.kind === 'handshake') {
        const v = Math.min(ev.handshake.maxVersion, this.maxServerVersion);
        if (v < ev.handshake.minVersion || v < MIN_EMULATED_SERVER_VERSION) {
          this.log(`client #${c.seq} offers v${ev.handshake.minVersion}..${ev.handshake.maxVersion}; emulator speaks ${MIN_EMULATED_SERVER_VERSION}..${this.maxServerVersion}`);
          c.socket.destroy();
          return;
        }
        c.serverVersion = v;
        this.send(c, [String(v), connectionTime(this.now(), this.timeZone)]);
        continue;
      }
      const now = this.now();
      if (this.maxMessagesPerSecond !== false && c.tick(now) > this.maxMessagesPerSecond) {
        if (c.shouldReportPacing(now)) {
          this.send(c, enc.error(c.serverVersion, -1, 100, `Max rate of messages per second has been exceeded:max=${this.maxMessagesPerSecond} rec=${this.maxMessagesPerSecond + 1} (1)`));
          this.emit('pacingViolation', c.clientId);
          if (this.disconnectOnPacingViolation) {
            c.socket.end();
            return;
          }
        }
        continue; // over the limit: TWS drops the message
      }
      let req: ClientRequest;
      try {
        req = parseRequest(c.serverVersion, ev.fields);
      } catch (e) {
        this.log(`client #${c.seq}: cannot parse ${ev.fields[0] ?? '?'}: ${String(e)}`);
        continue;
      }
      this.emit('request', c.clientId, req);
      try {
        this.handle(c, req);
      } catch (e) {
        this.log(`client #${c.seq}: error handling ${req.type}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      }
    }
  }

  private handle(c: ClientConn, req: ClientRequest): void {
    if (!c.started && req.type !== 'startApi') return; // TWS ignores everything before START_API
    const sv = c.serverVersion;
    const account = this.broker.account;
    switch (req.type) {
      case 'startApi': {
        if (c.started) return;
        const taken = this.heldClientIds.has(req.clientId) || this.started().some((x) => x.clientId === req.clientId);
        if (taken) {
          this.send(c, enc.error(sv, -1, 326, 'Unable to connect as the client id is already in use. Retry with a unique client id.'));
          this.emit('clientIdRejected', req.clientId);
          c.socket.end();
          c.closed = true;
          this.conns.delete(c);
          return;
        }
        c.clientId = req.clientId;
        c.started = true;
        this.send(c, enc.managedAccounts(this.accounts));
        this.send(c, enc.nextValidId(this.broker.nextOrderId));
        if (this.farmStatus) {
          this.send(c, enc.error(sv, -1, 2104, 'Market data farm connection is OK:usfarm'));
          this.send(c, enc.error(sv, -1, 2106, 'HMDS data farm connection is OK:ushmds'));
          this.send(c, enc.error(sv, -1, 2158, 'Sec-def data farm connection is OK:secdefnj'));
        }
        this.emit('clientConnected', req.clientId);
        return;
      }
      case 'reqIds':
        this.send(c, enc.nextValidId(this.broker.nextOrderId));
        return;
      case 'reqManagedAccts':
        this.send(c, enc.managedAccounts(this.accounts));
        return;
      case 'reqCurrentTime':
        this.send(c, enc.currentTime(Math.floor(this.now() / 1000)));
        return;
      case 'reqContractDetails': {
        const matches = this.broker.resolve(req.contract);
        if (matches.length === 0) {
          this.send(c, enc.error(sv, req.reqId, 200, 'No security definition has been found for the request'));
          return;
        }
        for (const m of matches) this.send(c, enc.contractData(sv, req.reqId, m));
        this.send(c, enc.contractDataEnd(req.reqId));
        return;
      }
      case 'reqMktData':
        this.startMarketData(c, req.reqId, req.contract, req.snapshot || req.regulatorySnapshot);
        return;
      case 'cancelMktData':
        c.mktData.delete(req.reqId);
        return;
      case 'reqMarketDataType':
        c.marketDataType = req.marketDataType;
        for (const reqId of c.mktData.keys()) this.send(c, enc.marketDataType(reqId, 1));
        return;
      case 'placeOrder': {
        const o = req.order;
        if (o.fieldsRead !== o.fieldsTotal) {
          const msg = `placeOrder ${o.orderId}: layout mismatch, read ${o.fieldsRead} of ${o.fieldsTotal} fields at server version ${sv}`;
          this.log(msg);
          this.emit('layoutMismatch', msg);
        }
        this.broker.place(c.clientId ?? 0, o);
        this.saveState();
        return;
      }
      case 'cancelOrder':
        this.broker.cancel(c.clientId ?? 0, req.orderId);
        this.saveState();
        return;
      case 'reqGlobalCancel':
        this.broker.globalCancel();
        this.saveState();
        return;
      case 'reqOpenOrders': {
        if (c.clientId === 0) this.broker.bindManualOrders();
        for (const o of this.broker.working().filter((x) => this.owns(c, x))) this.sendOpenOrder(c, o);
        this.send(c, enc.openOrderEnd());
        return;
      }
      case 'reqAllOpenOrders':
        for (const o of this.broker.working()) this.sendOpenOrder(c, o);
        this.send(c, enc.openOrderEnd());
        return;
      case 'reqAutoOpenOrders':
        if (c.clientId !== 0) {
          this.send(c, enc.error(sv, -1, 321, "Error validating request.-'bK' : cause - Unable to use reqAutoOpenOrders with clientId other than 0"));
          return;
        }
        c.autoOpenOrders = req.autoBind;
        if (req.autoBind) this.broker.bindManualOrders();
        return;
      case 'reqCompletedOrders':
        for (const o of this.broker.orders.filter((x) => isDone(x) && x.transmit && !(req.apiOnly && x.manual))) {
          this.send(c, enc.completedOrder(sv, o, this.completedTimeText(o)));
        }
        this.send(c, enc.completedOrdersEnd());
        return;
      case 'reqExecutions':
        for (const e of this.filterExecutions(req.filter)) {
          this.send(c, enc.execDetails(sv, req.reqId, e, executionTime(e.time, this.timeZone)));
          this.send(c, enc.commissionReport(e));
        }
        this.send(c, enc.execDetailsEnd(req.reqId));
        return;
      case 'reqPositions':
        c.positions = true;
        for (const p of this.broker.positions.values()) this.send(c, enc.position(account, p));
        this.send(c, enc.positionEnd());
        return;
      case 'cancelPositions':
        c.positions = false;
        return;
      case 'reqAccountSummary':
        c.accountSummaries.set(req.reqId, req.tags);
        this.sendAccountSummary(c, req.reqId, req.tags);
        return;
      case 'cancelAccountSummary':
        c.accountSummaries.delete(req.reqId);
        return;
      case 'reqAccountUpdates':
        c.accountUpdates = req.subscribe;
        if (req.subscribe) this.sendAccountUpdates(c, undefined, true);
        return;
      case 'setServerLogLevel':
      case 'unsupported':
        return;
    }
  }

  // =============================================================================================
  // helpers for requests

  private owns(c: ClientConn, o: EmuOrder): boolean {
    if (c.clientId === undefined) return false;
    if (this.masterClientId !== undefined && c.clientId === this.masterClientId) return true;
    if (o.manual && o.orderId === 0) return c.clientId === 0 && c.autoOpenOrders;
    return o.clientId === c.clientId;
  }

  private sendOpenOrder(c: ClientConn, o: EmuOrder): void {
    this.send(c, enc.openOrder(c.serverVersion, o));
    this.send(c, enc.orderStatus(o));
  }

  private completedTimeText(o: EmuOrder): string {
    return executionTime(o.completedAt ?? o.createdAt, this.timeZone);
  }

  private filterExecutions(f: ExecutionFilterQuery): EmuExecution[] {
    const since = f.time.trim() === '' ? undefined : parseFilterTime(f.time, this.timeZone);
    const side = f.side.trim().toUpperCase();
    return this.broker.executions.filter((e) => {
      if (f.clientId !== 0 && e.clientId !== f.clientId) return false;
      if (f.account.trim() !== '' && e.account !== f.account.trim()) return false;
      if (since !== undefined && e.time < since) return false;
      if (f.symbol.trim() !== '' && e.contract.symbol.toUpperCase() !== f.symbol.trim().toUpperCase()) return false;
      if (f.secType.trim() !== '' && e.contract.secType !== f.secType.trim().toUpperCase()) return false;
      if (f.exchange.trim() !== '' && e.exchange !== f.exchange.trim().toUpperCase()) return false;
      if (side !== '' && !(side === 'BUY' || side === 'BOT' ? e.side === 'BOT' : e.side === 'SLD')) return false;
      return true;
    });
  }

  private startMarketData(c: ClientConn, reqId: number, q: Parameters<Broker['resolve']>[0], snapshot: boolean): void {
    const sv = c.serverVersion;
    const matches = this.broker.resolve(q);
    const spec = matches[0];
    if (matches.length !== 1 || spec === undefined) {
      this.send(c, enc.error(sv, reqId, 200, 'No security definition has been found for the request'));
      return;
    }
    this.send(c, enc.tickReqParams(reqId, spec.minTick, spec.secType === 'STK' ? '9c0001' : '', 3));
    if (c.marketDataType !== 1) this.send(c, enc.marketDataType(reqId, 1));
    if (!snapshot) c.mktData.set(reqId, spec.conId);
    if (this.broker.exchangeReachable) this.sendTicks(c, reqId, spec.conId, [1, 2, 4, 8, 6, 7, 9, 45]);
    if (snapshot) this.send(c, enc.tickSnapshotEnd(reqId));
  }

  /** Sends the given tick types for a quote; a bid / ask / last price brings its size as a separate tickSize too. */
  private sendTicks(c: ClientConn, reqId: number, conId: number, ticks: number[]): void {
    const q = this.broker.quotes.get(conId);
    if (!q) return;
    const has = new Set(ticks);
    const T = enc.TICK;
    if (has.has(T.BID)) {
      this.send(c, enc.tickPrice(reqId, T.BID, q.bid, q.bidSize, 1));
      this.send(c, enc.tickSize(reqId, T.BID_SIZE, q.bidSize));
    } else if (has.has(T.BID_SIZE)) this.send(c, enc.tickSize(reqId, T.BID_SIZE, q.bidSize));
    if (has.has(T.ASK)) {
      this.send(c, enc.tickPrice(reqId, T.ASK, q.ask, q.askSize, 1));
      this.send(c, enc.tickSize(reqId, T.ASK_SIZE, q.askSize));
    } else if (has.has(T.ASK_SIZE)) this.send(c, enc.tickSize(reqId, T.ASK_SIZE, q.askSize));
    if (has.has(T.LAST)) {
      this.send(c, enc.tickPrice(reqId, T.LAST, q.last, q.lastSize, 0));
      this.send(c, enc.tickSize(reqId, T.LAST_SIZE, q.lastSize));
      this.send(c, enc.tickString(reqId, T.LAST_TIMESTAMP, String(Math.floor(this.now() / 1000))));
    } else if (has.has(T.LAST_SIZE)) this.send(c, enc.tickSize(reqId, T.LAST_SIZE, q.lastSize));
    if (has.has(T.VOLUME)) this.send(c, enc.tickSize(reqId, T.VOLUME, q.volume));
    if (has.has(T.HIGH)) this.send(c, enc.tickPrice(reqId, T.HIGH, q.high, new Decimal(0), 0));
    if (has.has(T.LOW)) this.send(c, enc.tickPrice(reqId, T.LOW, q.low, new Decimal(0), 0));
    if (has.has(T.CLOSE)) this.send(c, enc.tickPrice(reqId, T.CLOSE, q.close, new Decimal(0), 0));
  }

  private sendAccountSummary(c: ClientConn, reqId: number, tags: string): void {
    const account = this.broker.account;
    const values = this.broker.summaryValues();
    const wanted = tags
      .split(',')
      .map((t) => t.trim())
      .filter((t) => t !== '');
    const all = wanted.includes('All');
    for (const [tag, v] of values) {
      if (all || wanted.includes(tag)) this.send(c, enc.accountSummary(reqId, account, tag, v.value, v.currency));
    }
    if (wanted.some((t) => t.startsWith('$LEDGER'))) {
      const m = this.broker.metrics();
      const ledger: Array<[string, Decimal]> = [
        ['Currency', new Decimal(0)],
        ['CashBalance', m.totalCash],
        ['TotalCashBalance', m.totalCash],
        ['NetLiquidationByCurrency', m.netLiquidation],
        ['UnrealizedPnL', m.unrealizedPnl],
        ['RealizedPnL', m.realizedPnl],
        ['ExchangeRate', new Decimal(1)],
      ];
      for (const [tag, v] of ledger) {
        this.send(c, enc.accountSummary(reqId, account, tag, tag === 'Currency' ? 'USD' : v.toDecimalPlaces(2).toFixed(2), 'USD'));
      }
    }
    this.send(c, enc.accountSummaryEnd(reqId));
  }

  /** Account values, portfolio lines (all, or those of `conIds`), update time, and download end on the first send. */
  private sendAccountUpdates(c: ClientConn, conIds: number[] | undefined, initial: boolean): void {
    const account = this.broker.account;
    for (const v of this.broker.accountValues()) this.send(c, enc.accountValue(v.key, v.value, v.currency, account));
    for (const p of this.broker.positions.values()) {
      if (conIds && !conIds.includes(p.contract.conId)) continue;
      if (initial && p.quantity.isZero()) continue;
      const px = this.broker.mark(p.contract.conId);
      const mult = p.contract.multiplier === '' ? new Decimal(1) : new Decimal(p.contract.multiplier);
      const mv = p.quantity.times(px).times(mult);
      this.send(c, enc.portfolioValue(p, px, mv, mv.minus(p.quantity.times(p.avgCost)), account));
    }
    this.send(c, enc.accountUpdateTime(hhmm(this.now(), this.timeZone)));
    if (initial) this.send(c, enc.accountDownloadEnd(account));
  }

  // =============================================================================================
  // broker → clients

  private makeSink(): BrokerSink {
    return {
      orderUpdated: (o) => {
        this.autoBind(o);
        for (const c of this.started()) if (this.owns(c, o)) this.sendOpenOrder(c, o);
      },
      orderStatusOnly: (o) => {
        for (const c of this.started()) if (this.owns(c, o)) this.send(c, enc.orderStatus(o));
      },
      error: (clientId, id, code, message) => {
        for (const c of this.started()) if (c.clientId === clientId) this.send(c, enc.error(c.serverVersion, id, code, message));
      },
      executed: (o, e) => {
        for (const c of this.started()) if (this.owns(c, o)) this.send(c, enc.execDetails(c.serverVersion, -1, e, executionTime(e.time, this.timeZone)));
      },
      commission: (o, e) => {
        for (const c of this.started()) if (this.owns(c, o)) this.send(c, enc.commissionReport(e));
      },
      whatIf: (clientId, o, result) => {
        for (const c of this.started()) if (c.clientId === clientId) this.send(c, enc.openOrder(c.serverVersion, o, result));
      },
      accountChanged: (conIds) => {
        for (const c of this.started()) {
          if (c.accountUpdates) this.sendAccountUpdates(c, conIds, false);
          if (c.positions) {
            for (const id of conIds) {
              const p = this.broker.positions.get(id);
              if (p) this.send(c, enc.position(this.broker.account, p));
            }
          }
        }
      },
      quoteChanged: (conId, ticks) => {
        if (!this.broker.exchangeReachable) return;
        for (const c of this.started()) {
          for (const [reqId, id] of c.mktData) if (id === conId) this.sendTicks(c, reqId, conId, ticks);
        }
      },
    };
  }

  /** A new manual order is bound to client 0 when it asked for reqAutoOpenOrders(true). */
  private autoBind(o: EmuOrder): void {
    if (o.manual && o.orderId === 0 && this.started().some((c) => c.clientId === 0 && c.autoOpenOrders)) {
      this.broker.bindManualOrders();
    }
  }

  private saveState(): void {
    if (!this.stateFile) return;
    const tmp = `${this.stateFile}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.broker.toState(), null, 1));
    renameSync(tmp, this.stateFile);
  }
}
