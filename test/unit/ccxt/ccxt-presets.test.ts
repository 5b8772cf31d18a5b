/**
 * The presets without their exchanges: OKX, KuCoin and Hyperliquid built as the connector builds
 * them (buildExchange), their markets loaded from recorded payloads (shaped as each exchange's
 * docs show them), our symbols and capabilities from those, and the request each submit produces
 * compared with the exchange's documented order request. Nothing leaves the process: ccxt's
 * fetch is answered here.
 */
import { describe, expect, it } from 'vitest';
import type { Order } from '../../../src-main/engine/domain/order';
import { ccxtCapabilities } from '../../../src-main/engine/venues/ccxt/ccxt-capabilities';
import { venueClientId } from '../../../src-main/engine/venues/ccxt/ccxt-client-ids';
import { readCcxtSettings } from '../../../src-main/engine/venues/ccxt/ccxt-config';
import { buildExchange, type CcxtCredentials } from '../../../src-main/engine/venues/ccxt/ccxt-exchange';
import type { CcxtFetchInit, CcxtHttp } from '../../../src-main/engine/venues/ccxt/ccxt-http';
import { CcxtInstruments, type CcxtMarketLike } from '../../../src-main/engine/venues/ccxt/ccxt-instruments';
import { createOrderArgs } from '../../../src-main/engine/venues/ccxt/ccxt-mapping';

interface Seen {
  readonly path: string;
  readonly query: string;
  readonly body: string;
}

/** ccxt's fetch answered from `answer(path, query, body)` (undefined: `fallback`), every request recorded. */
function recorded(answer: (path: string, query: URLSearchParams, body: unknown) => unknown, fallback: unknown): { http: CcxtHttp; seen: Seen[] } {
  const seen: Seen[] = [];
  const fetch = async (url: string, init: CcxtFetchInit = {}) => {
    const u = new URL(url);
    const body = init.body ?? '';
    seen.push({ path: u.pathname, query: u.search, body });
    const a = answer(u.pathname, u.searchParams, body ? (JSON.parse(body) as unknown) : undefined) ?? fallback;
    return { status: 200, statusText: '', headers: {}, text: async () => JSON.stringify(a) };
  };
  return { http: { fetch, withCost: (_c: number, f: () => Promise<unknown>) => f() } as unknown as CcxtHttp, seen };
}

async function build(exchange: string, creds: CcxtCredentials, answer: Parameters<typeof recorded>[0], fallback: unknown) {
  const { http, seen } = recorded(answer, fallback);
  const { exchange: ex } = await buildExchange(readCcxtSettings({ exchange }), creds, http, 5000);
  await ex.loadMarkets();
  const insts = new CcxtInstruments();
  insts.load(exchange, Object.values(ex.markets as Record<string, unknown>) as CcxtMarketLike[], Number(ex.precisionMode));
  return { ex, seen, insts, caps: ccxtCapabilities(ex.has as Record<string, unknown>, ex.features as Record<string, unknown>) };
}

const order = (o: Partial<Order>): Order => ({
  id: 'o1',
  clientOrderId: 'tp-1a',
  venue: 'x',
  instrumentId: 'x',
  symbol: 'x',
  side: 'buy',
  type: 'limit',
  qty: '0.015',
  limitPrice: '90000.1',
  tif: 'gtc',
  status: 'pending_submit',
  filledQty: '0',
  avgFillPrice: '0',
  fees: '0',
  source: 'user',
  createdAt: 0,
  updatedAt: 0,
  ...o,
});

async function submit(ex: Awaited<ReturnType<typeof build>>['ex'], exchange: string, o: Order, symbol: string, contract: boolean): Promise<void> {
  const a = createOrderArgs(o, symbol, contract, venueClientId(exchange, o.clientOrderId));
  await ex.createOrder(a.symbol, a.type, a.side, a.amount, a.price, a.params);
}

// https://www.okx.com/docs-v5/en/#public-data-rest-api-get-instruments
const OKX_SPOT = {
  instType: 'SPOT',
  instId: 'BTC-USDT',
  uly: '',
  instFamily: '',
  baseCcy: 'BTC',
  quoteCcy: 'USDT',
  settleCcy: '',
  ctValCcy: '',
  optType: '',
  stk: '',
  listTime: '1606468572000',
  expTime: '',
  lever: '10',
  tickSz: '0.1',
  lotSz: '0.00000001',
  minSz: '0.00001',
  ctVal: '',
  ctMult: '',
  ctType: '',
  alias: '',
  state: 'live',
  maxLmtSz: '9999999999',
  maxMktSz: '1000000',
};
const OKX_SWAP = {
  ...OKX_SPOT,
  instType: 'SWAP',
  instId: 'BTC-USDT-SWAP',
  uly: 'BTC-USDT',
  instFamily: 'BTC-USDT',
  baseCcy: '',
  quoteCcy: '',
  settleCcy: 'USDT',
  ctValCcy: 'BTC',
  lever: '100',
  lotSz: '0.01',
  minSz: '0.01',
  ctVal: '0.01',
  ctMult: '1',
  ctType: 'linear',
};

describe('OKX preset', () => {
  const okx = () =>
    build(
      'okx',
      { apiKey: 'k', secret: 's', password: 'p' },
      (path, q) => {
        if (path === '/api/v5/public/instruments') return { code: '0', msg: '', data: q.get('instType') === 'SPOT' ? [OKX_SPOT] : q.get('instType') === 'SWAP' ? [OKX_SWAP] : [] };
        if (path.startsWith('/api/v5/trade/')) return { code: '0', msg: '', data: [{ clOrdId: 'tp1a', ordId: '312269865356374016', tag: '', sCode: '0', sMsg: '' }] };
        return undefined;
      },
      { code: '0', msg: '', data: [] },
    );

  it('markets → BTC/USDT and BTC/USDT:PERP (0.01 BTC contracts), capabilities from ccxt', async () => {
    const { insts, caps } = await okx();
    expect(insts.find('BTC/USDT')).toMatchObject({ venueSymbol: 'BTC/USDT', tickSize: '0.1', lotSize: '0.00000001', minQty: '0.00001', multiplier: '1' });
    expect(insts.find('BTC/USDT:PERP')).toMatchObject({ venueSymbol: 'BTC/USDT:USDT', assetClass: 'perpetual', lotSize: '0.01', multiplier: '0.01' });
    expect(caps).toMatchObject({ orderTypes: ['market', 'limit', 'stop', 'stop_limit'], postOnly: true, reduceOnly: true });
  });

  it('a spot limit and a post-only reduce-only perpetual: the documented order fields, clOrdId letters and digits only', async () => {
    const { ex, seen } = await okx();
    await submit(ex, 'okx', order({}), 'BTC/USDT', false);
    const spot = JSON.parse(seen.at(-1)!.body) as Record<string, unknown>[];
    expect(seen.at(-1)!.path).toMatch(/^\/api\/v5\/trade\/(order|batch-orders)$/);
    expect([spot].flat()[0]).toMatchObject({ instId: 'BTC-USDT', tdMode: 'cash', side: 'buy', ordType: 'limit', sz: '0.015', px: '90000.1', clOrdId: 'tp1a' });
    await submit(ex, 'okx', order({ side: 'sell', qty: '2', postOnly: true, reduceOnly: true }), 'BTC/USDT:USDT', true);
    expect([JSON.parse(seen.at(-1)!.body) as unknown].flat()[0]).toMatchObject({ instId: 'BTC-USDT-SWAP', side: 'sell', ordType: 'post_only', sz: '2', reduceOnly: true, clOrdId: 'tp1a' });
  });
});

// https://www.kucoin.com/docs-new/rest/spot-trading/market-data/get-all-symbols
const KUCOIN_SYMBOL = {
  symbol: 'BTC-USDT',
  name: 'BTC-USDT',
  baseCurrency: 'BTC',
  quoteCurrency: 'USDT',
  feeCurrency: 'USDT',
  market: 'USDS',
  baseMinSize: '0.00001',
  quoteMinSize: '0.1',
  baseMaxSize: '10000000000',
  quoteMaxSize: '99999999',
  baseIncrement: '0.00000001',
  quoteIncrement: '0.000001',
  priceIncrement: '0.1',
  priceLimitRate: '0.1',
  minFunds: '0.1',
  isMarginEnabled: true,
  enableTrading: true,
};

describe('KuCoin preset', () => {
  it('markets → BTC/USDT; a limit goes to POST /api/v1/orders with our id as clientOid', async () => {
    const { ex, seen, insts } = await build(
      'kucoin',
      { apiKey: 'k', secret: 's', password: 'p' },
      (path) => {
        if (path === '/api/v2/symbols') return { code: '200000', data: [KUCOIN_SYMBOL] };
        if (path === '/api/v1/orders') return { code: '200000', data: { orderId: '5bd6e9286d99522a52e458de', clientOid: 'tp-1a' } };
        return undefined;
      },
      { code: '200000', data: [] },
    );
    expect(insts.find('BTC/USDT')).toMatchObject({ tickSize: '0.1', lotSize: '0.00000001', minQty: '0.00001', minNotional: '0.1' });
    await submit(ex, 'kucoin', order({}), 'BTC/USDT', false);
    expect(seen.at(-1)!.path).toBe('/api/v1/orders');
    expect(JSON.parse(seen.at(-1)!.body)).toMatchObject({ clientOid: 'tp-1a', side: 'buy', symbol: 'BTC-USDT', type: 'limit', size: '0.015', price: '90000.1' });
  });
});

// https://hyperliquid.gitbook.io/hyperliquid-docs/for-developers/api/info-endpoint/perpetuals
const HL_UNIVERSE = [{ name: 'BTC', szDecimals: 5, maxLeverage: 40 }];
const HL_CTX = { funding: '0.0000125', openInterest: '1', prevDayPx: '90000', dayNtlVlm: '1', premium: '0', oraclePx: '90000', markPx: '90000', midPx: '90000', impactPxs: ['89999', '90001'] };

describe('Hyperliquid preset', () => {
  it('markets → BTC/USDC:PERP; an order action with a 128-bit hex cloid, no referrer set and no builder fee charged', async () => {
    const { ex, seen, insts } = await build(
      'hyperliquid',
      { walletAddress: `0x${'1'.repeat(40)}`, privateKey: `0x${'2'.repeat(64)}` },
      (path, _q, body) => {
        const type = (body as { type?: string; action?: { type?: string } } | undefined)?.type;
        if (path === '/info' && type === 'meta') return { universe: HL_UNIVERSE };
        if (path === '/info' && type === 'metaAndAssetCtxs') return [{ universe: HL_UNIVERSE }, [HL_CTX]];
        if (path === '/info' && type === 'spotMetaAndAssetCtxs') return [{ tokens: [], universe: [] }, []];
        if (path === '/info' && type === 'spotMeta') return { tokens: [], universe: [] };
        if (path === '/info' && type === 'perpDexs') return [null];
        if (path === '/exchange') return { status: 'ok', response: { type: 'order', data: { statuses: [{ resting: { oid: 77738308 } }] } } };
        return undefined;
      },
      {},
    );
    expect(insts.find('BTC/USDC:PERP')).toMatchObject({ venueSymbol: 'BTC/USDC:USDC', assetClass: 'perpetual', lotSize: '0.00001' });
    await submit(ex, 'hyperliquid', order({ limitPrice: '90000' }), 'BTC/USDC:USDC', true);
    const actions = seen.filter((s) => s.path === '/exchange').map((s) => (JSON.parse(s.body) as { action: Record<string, unknown> }).action);
    expect(actions.map((a) => a['type'])).not.toContain('setReferrer');
    const placed = actions.find((a) => a['type'] === 'order')!;
    expect((placed['orders'] as unknown[])[0]).toEqual({ a: 0, b: true, p: '90000', s: '0.015', r: false, t: { limit: { tif: 'Gtc' } }, c: venueClientId('hyperliquid', 'tp-1a') });
    expect(venueClientId('hyperliquid', 'tp-1a')).toMatch(/^0x[0-9a-f]{32}$/);
    expect((placed['builder'] as { f?: number } | undefined)?.f ?? 0).toBe(0);
  });
});
