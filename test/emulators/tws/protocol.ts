/**
 * TWS API socket framing, message ids and the server-version gates the emulator honours.
 * Facts from ../shared/venues/tws.md and @stoqey/ib 1.6.x (core/io/socket.js, enum/in-msg-id.js,
 * api/data/enum/min-server-version.js). No code is taken from either; this is our own framing.
 */

/** TWS's "unset" double (Java Double.MAX_VALUE as Double.toString prints it). */
export const UNSET_DOUBLE = '1.7976931348623157E308';
/** TWS's "unset" int (Java Integer.MAX_VALUE). */
export const UNSET_INT = '2147483647';

/** Oldest server version whose layouts this emulator encodes (openOrder without a message version). */
export const MIN_EMULATED_SERVER_VERSION = 145;
export const DEFAULT_SERVER_VERSION = 193;
export const MAX_SERVER_VERSION = 193;

/** Minimum server versions that change a layout the emulator reads or writes. */
export const SV = {
  MODELS_SUPPORT: 103,
  WHAT_IF_EXT_FIELDS: 142,
  ORDER_CONTAINER: 145,
  MARKET_CAP_PRICE: 131,
  LAST_LIQUIDITY: 136,
  PRICE_MGMT_ALGO: 151,
  MANUAL_ORDER_TIME: 169,
  PEGBEST_PEGMID_OFFSETS: 170,
  BOND_ISSUERID: 176,
  FA_PROFILE_DESUPPORT: 177,
  PENDING_PRICE_REVISION: 178,
  FUND_DATA_FIELDS: 179,
  LAST_TRADE_DATE: 182,
  CUSTOMER_ACCOUNT: 183,
  PROFESSIONAL_CUSTOMER: 184,
  BOND_ACCRUED_INTEREST: 185,
  INELIGIBILITY_REASONS: 186,
  RFQ_FIELDS: 187,
  INCLUDE_OVERNIGHT: 189,
  UNDO_RFQ_FIELDS: 190,
  CME_TAGGING_FIELDS: 192,
  CME_TAGGING_FIELDS_IN_OPEN_ORDER: 193,
  SIZE_RULES: 164,
  ADVANCED_ORDER_REJECT: 166,
  AUTO_CANCEL_PARENT: 162,
  D_PEG_ORDERS: 148,
  DURATION: 158,
  POST_TO_ATS: 160,
  MD_SIZE_MULTIPLIER: 110,
  FRACTIONAL_SIZE_SUPPORT: 163,
} as const;

/** Client → TWS message ids. */
export const IN = {
  REQ_MKT_DATA: 1,
  CANCEL_MKT_DATA: 2,
  PLACE_ORDER: 3,
  CANCEL_ORDER: 4,
  REQ_OPEN_ORDERS: 5,
  REQ_ACCOUNT_DATA: 6,
  REQ_EXECUTIONS: 7,
  REQ_IDS: 8,
  REQ_CONTRACT_DATA: 9,
  SET_SERVER_LOGLEVEL: 14,
  REQ_AUTO_OPEN_ORDERS: 15,
  REQ_ALL_OPEN_ORDERS: 16,
  REQ_MANAGED_ACCTS: 17,
  REQ_CURRENT_TIME: 49,
  REQ_GLOBAL_CANCEL: 58,
  REQ_MARKET_DATA_TYPE: 59,
  REQ_POSITIONS: 61,
  REQ_ACCOUNT_SUMMARY: 62,
  CANCEL_ACCOUNT_SUMMARY: 63,
  CANCEL_POSITIONS: 64,
  START_API: 71,
  REQ_COMPLETED_ORDERS: 99,
} as const;

/** TWS → client message ids. */
export const OUT = {
  TICK_PRICE: 1,
  TICK_SIZE: 2,
  ORDER_STATUS: 3,
  ERR_MSG: 4,
  OPEN_ORDER: 5,
  ACCT_VALUE: 6,
  PORTFOLIO_VALUE: 7,
  ACCT_UPDATE_TIME: 8,
  NEXT_VALID_ID: 9,
  CONTRACT_DATA: 10,
  EXECUTION_DATA: 11,
  MANAGED_ACCTS: 15,
  TICK_STRING: 46,
  CURRENT_TIME: 49,
  CONTRACT_DATA_END: 52,
  OPEN_ORDER_END: 53,
  ACCT_DOWNLOAD_END: 54,
  EXECUTION_DATA_END: 55,
  TICK_SNAPSHOT_END: 57,
  MARKET_DATA_TYPE: 58,
  COMMISSION_REPORT: 59,
  POSITION: 61,
  POSITION_END: 62,
  ACCOUNT_SUMMARY: 63,
  ACCOUNT_SUMMARY_END: 64,
  TICK_REQ_PARAMS: 81,
  COMPLETED_ORDER: 101,
  COMPLETED_ORDERS_END: 102,
} as const;

/** One outgoing message: the message id first, then every field as the string TWS would put on the wire. */
export type Fields = string[];

/** Frames one message: 4-byte big-endian length, then each field followed by NUL. */
export function frame(fields: readonly string[]): Buffer {
  const body = Buffer.from(fields.map((f) => `${f}\0`).join(''), 'utf8');
  const out = Buffer.allocUnsafe(4 + body.length);
  out.writeUInt32BE(body.length, 0);
  body.copy(out, 4);
  return out;
}

/** Splits a frame body into its fields (every field is NUL-terminated, so the last split piece is empty). */
export function splitFields(body: Buffer): string[] {
  const parts = body.toString('utf8').split('\0');
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

export interface Handshake {
  minVersion: number;
  maxVersion: number;
  /** Anything after the version range, e.g. "+PACEAPI" or connect options. */
  options: string;
}

/** Parses the "v100..193" (or "v176") text that follows "API\0" and its length. */
export function parseVersionRange(text: string): Handshake | undefined {
  const m = /^v(\d+)(?:\.\.(\d+))?(?:\s+(.*))?$/.exec(text.trim());
  if (!m || m[1] === undefined) return undefined;
  const min = Number(m[1]);
  const max = m[2] !== undefined ? Number(m[2]) : min;
  if (!Number.isInteger(min) || !Number.isInteger(max) || min > max) return undefined;
  return { minVersion: min, maxVersion: max, options: m[3] ?? '' };
}

const API_PREFIX = Buffer.from('API\0', 'latin1');
/** Java client's MAX_MSG_LEN; anything bigger is a broken stream. */
const MAX_FRAME = 0xffffff;

export type ReaderEvent = { kind: 'handshake'; handshake: Handshake } | { kind: 'message'; fields: string[] } | { kind: 'invalid'; reason: string };

/**
 * Incremental reader for the client side of the stream: first the "API\0" prelude with its
 * length-prefixed version range, then length-prefixed messages.
 */
export class FrameReader {
  private buf: Buffer = Buffer.alloc(0);
  private gotPrelude = false;
  private broken = false;

  feed(chunk: Buffer): ReaderEvent[] {
    if (this.broken) return [];
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const events: ReaderEvent[] = [];
    if (!this.gotPrelude) {
      if (this.buf.length < API_PREFIX.length + 4) return events;
      if (!this.buf.subarray(0, API_PREFIX.length).equals(API_PREFIX)) {
        this.broken = true;
        return [{ kind: 'invalid', reason: 'stream does not start with API\\0' }];
      }
      const len = this.buf.readUInt32BE(API_PREFIX.length);
      if (len > MAX_FRAME) {
        this.broken = true;
        return [{ kind: 'invalid', reason: `handshake length ${len} too large` }];
      }
      const start = API_PREFIX.length + 4;
      if (this.buf.length < start + len) return events;
      const text = this.buf
        .subarray(start, start + len)
        .toString('utf8')
        .replace(/\0+$/, '');
      this.buf = this.buf.subarray(start + len);
      this.gotPrelude = true;
      const hs = parseVersionRange(text);
      if (!hs) {
        this.broken = true;
        return [{ kind: 'invalid', reason: `bad version range "${text}"` }];
      }
      events.push({ kind: 'handshake', handshake: hs });
    }
    while (this.buf.length >= 4) {
      const len = this.buf.readUInt32BE(0);
      if (len > MAX_FRAME) {
        this.broken = true;
        events.push({ kind: 'invalid', reason: `frame length ${len} too large` });
        return events;
      }
      if (this.buf.length < 4 + len) break;
      const body = this.buf.subarray(4, 4 + len);
      this.buf = this.buf.subarray(4 + len);
      events.push({ kind: 'message', fields: splitFields(body) });
    }
    return events;
  }
}

/** Reads the fields of one incoming message in order; empty and "unset" values are `undefined`. */
export class FieldReader {
  private i = 0;
  constructor(private readonly fields: readonly string[]) {}

  get consumed(): number {
    return this.i;
  }
  get remaining(): number {
    return this.fields.length - this.i;
  }
  str(): string {
    const v = this.fields[this.i];
    this.i++;
    return v ?? '';
  }
  int(): number {
    const s = this.str();
    if (s === '') return 0;
    const n = Number.parseInt(s, 10);
    return Number.isFinite(n) ? n : 0;
  }
  intOrUndef(): number | undefined {
    const s = this.str();
    if (s === '' || s === UNSET_INT) return undefined;
    const n = Number.parseInt(s, 10);
    return Number.isFinite(n) ? n : undefined;
  }
  bool(): boolean {
    const s = this.str();
    return s === '1' || s.toLowerCase() === 'true';
  }
  /** A decimal number as its text, or undefined when empty / unset / not a number. */
  num(): string | undefined {
    const s = this.str().trim();
    if (s === '' || s === UNSET_DOUBLE || s === 'Infinity' || s === '1.7976931348623157e+308') return undefined;
    return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s) ? s : undefined;
  }
  skip(n = 1): void {
    this.i += n;
  }
}
