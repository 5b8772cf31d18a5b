/**
 * The portfolio's part of the API contract: schemas of the lot-ledger commands and the views they
 * return. Money is canonical decimal strings; times are UTC epoch ms. Shared with the renderer.
 */
import { z } from 'zod';
import { BAR_INTERVALS, type BarInterval } from '../domain/bar';

const name = z.string().trim().min(1).max(64);
const symbol = z.string().trim().min(1).max(64);
const decimalInput = z.union([z.string().max(64), z.number()]);
export const RELIEF_METHOD = z.enum(['fifo', 'lifo', 'hifo', 'specific']);
export const PNL_GROUPS = ['venue', 'symbol', 'assetClass', 'strategy'] as const;

export const portfolioSchemas = {
  /** `pnl [--by venue|symbol|assetClass|strategy] [--since T]`: realized, unrealized and today, in the reporting currency. */
  'pnl.get': z.object({ by: z.enum(PNL_GROUPS).default('venue'), sinceTs: z.number().int().nonnegative().optional() }).strict(),
  /** The P&L curve: realized per day, cumulative, with today's open P&L on the last point. */
  'pnl.curve': z.object({ sinceTs: z.number().int().nonnegative().optional() }).strict(),
  /** The account's equity over time (cash plus marked positions), from the snapshots the engine takes; at most `maxPoints` points. */
  'equity.curve': z.object({ sinceTs: z.number().int().nonnegative().optional(), maxPoints: z.number().int().min(2).max(5000).default(1000) }).strict(),
  /** A venue's price bars for the chart (venues whose port has `bars`): oldest first, the open bar last. */
  'market.bars': z
    .object({
      venue: name,
      symbol,
      interval: z.enum(Object.keys(BAR_INTERVALS) as [BarInterval, ...BarInterval[]]).default('1m'),
      sinceTs: z.number().int().nonnegative().optional(),
      limit: z.number().int().min(1).max(1000).default(500),
    })
    .strict(),
  /** `lots [symbol] [--venue V]`: open tax lots with cost basis (wash-sale adjusted) and their marks. */
  'lots.list': z.object({ symbol: symbol.optional(), venue: name.optional() }).strict(),
  /** Closed lots: realized P&L per close. */
  'lots.closes': z.object({ symbol: symbol.optional(), venue: name.optional(), sinceTs: z.number().int().nonnegative().optional() }).strict(),
  /** `tax-report --year Y [--method M]` and the lots / realized CSV exports. */
  'ledger.export': z
    .object({
      kind: z.enum(['form8949', 'lots', 'realized']).default('form8949'),
      year: z.number().int().min(1970).max(9999).optional(),
      method: RELIEF_METHOD.optional(),
    })
    .strict(),
  /** A position held before Tradeport: the trader enters its date and cost. */
  'ledger.openingLot.add': z
    .object({
      venue: name,
      symbol,
      direction: z.enum(['long', 'short']).default('long'),
      qty: decimalInput,
      /** Total cost basis in the instrument's currency (fees included). */
      cost: decimalInput,
      /** When it was acquired: UTC epoch ms or an ISO date (2025-03-10). */
      openedAt: z.union([z.number().int().nonnegative(), z.string().trim().min(4).max(40)]),
    })
    .strict(),
  /** The relief method of an account (venue): fifo (default), lifo, hifo or specific. */
  'ledger.method.set': z.object({ venue: name, method: RELIEF_METHOD }).strict(),
  /** Specific-lot relief: which lots a closing fill sold, in order. */
  'ledger.lots.choose': z.object({ fillId: z.string().trim().min(1).max(128), lotIds: z.array(z.string().trim().min(1).max(128)).min(1).max(1000) }).strict(),
} as const;

export interface LotView {
  readonly id: string;
  readonly venue: string;
  readonly symbol: string;
  readonly assetClass: string | null;
  readonly currency: string | null;
  readonly direction: 'long' | 'short';
  readonly qty: string;
  /** Remaining basis, wash-sale disallowed losses included. */
  readonly basis: string;
  readonly unitCost: string;
  /** Disallowed wash-sale loss added to this lot's basis ('0' when none). */
  readonly washAdjustment: string;
  readonly openedAt: number;
  /** Holding period as of now. */
  readonly term: 'short' | 'long';
  readonly opening: boolean;
  readonly mark: string | null;
  readonly unrealized: string | null;
}

export interface CloseView {
  readonly lotId: string;
  readonly venue: string;
  readonly symbol: string;
  readonly direction: 'long' | 'short';
  readonly qty: string;
  readonly openedAt: number;
  readonly closedAt: number;
  readonly proceeds: string;
  readonly cost: string;
  readonly realized: string;
  readonly currency: string | null;
  readonly term: 'short' | 'long';
  /** Disallowed loss when this close is a wash sale, else null. */
  readonly washDisallowed: string | null;
  readonly closeFillId: string;
}

export interface PnlRowView {
  readonly key: string;
  readonly realized: string;
  readonly unrealized: string;
  readonly today: string;
  readonly total: string;
}

export interface PnlView {
  /** Reporting currency of every figure. */
  readonly currency: string;
  readonly by: (typeof PNL_GROUPS)[number];
  readonly rows: PnlRowView[];
  readonly total: PnlRowView;
  /** The conversion rates used: one unit of `from` = `rate` reporting currency. */
  readonly rates: Array<{ readonly from: string; readonly rate: string }>;
  /** What could not be converted or marked, in words; left out of the figures. */
  readonly unconverted: string[];
  readonly dayBoundary: string;
  readonly ts: number;
}

export interface PnlCurvePoint {
  /** Start of the UTC day (ms). */
  readonly time: number;
  readonly realized: string;
  readonly cumulative: string;
}

export interface PnlCurveView {
  readonly currency: string;
  readonly points: PnlCurvePoint[];
  /** Cumulative realized plus today's open P&L at current marks. */
  readonly now: { readonly time: number; readonly total: string };
}

export interface EquityPointView {
  readonly ts: number;
  /** Net liquidation: cash plus positions at their marks, in the reporting currency. */
  readonly equity: string;
  readonly cash: string;
  readonly positions: string;
  /** False when something could not be converted or marked at that moment (left out of the figure). */
  readonly complete: boolean;
  /** The lot ledger's realized (all time) and unrealized P&L at that moment; absent in snapshots taken before they were kept. */
  readonly realized?: string;
  readonly unrealized?: string;
}

export interface EquityCurveView {
  readonly currency: string;
  /** How often the engine takes a snapshot while it runs (ms). */
  readonly everyMs: number;
  /** Oldest first; the last point is now. */
  readonly points: EquityPointView[];
}

/** One price bar: `ts` its start (UTC epoch ms); canonical decimal strings. */
export interface BarView {
  readonly ts: number;
  readonly open: string;
  readonly high: string;
  readonly low: string;
  readonly close: string;
  readonly volume: string;
}

export interface BarsView {
  readonly venue: string;
  readonly symbol: string;
  readonly instrumentId: string;
  readonly interval: BarInterval;
  readonly bars: BarView[];
}

export interface LedgerExportView {
  readonly csv: string;
  readonly rows: number;
  readonly filename: string;
  readonly disclaimer: string;
}

export const TAX_DISCLAIMER = 'An aid for you and your accountant, not tax advice. Check every figure against your brokers’ 1099-B.';

export interface PortfolioOutputs {
  'pnl.get': PnlView;
  'pnl.curve': PnlCurveView;
  'equity.curve': EquityCurveView;
  'market.bars': BarsView;
  'lots.list': LotView[];
  'lots.closes': CloseView[];
  'ledger.export': LedgerExportView;
  'ledger.openingLot.add': LotView;
  'ledger.method.set': { venue: string; method: string };
  'ledger.lots.choose': { fillId: string; lotIds: string[] };
}
