/** CDP key parsing and the JWT's claims; products → instruments and BTC-USD ↔ BTC/USD. */
import { describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { coinbaseJwt, parseCoinbaseKey } from '../../../src-main/engine/venues/coinbase/coinbase-auth';
import { CoinbaseInstruments, displaySymbol, productFlags, productId, tradingBlock } from '../../../src-main/engine/venues/coinbase/coinbase-instruments';
import { jwtProblem } from '../../emulators/coinbase/jwt-check';

const NAME = 'organizations/org/apiKeys/k1';
const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const pem = pair.privateKey.export({ type: 'sec1', format: 'pem' }).toString();

describe('CDP key', () => {
  it('accepts the PEM with real or escaped newlines', () => {
    expect(parseCoinbaseKey(NAME, pem).key.asymmetricKeyType).toBe('ec');
    expect(parseCoinbaseKey(NAME, JSON.stringify(pem).slice(1, -1)).key.asymmetricKeyType).toBe('ec');
  });
  it('refuses a key that is not P-256, and text that is not a key', () => {
    const ed = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(() => parseCoinbaseKey(NAME, ed)).toThrow(/ECDSA P-256/);
    const k1 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey.export({ type: 'sec1', format: 'pem' }).toString();
    expect(() => parseCoinbaseKey(NAME, k1)).toThrow(/secp256k1/);
    expect(() => parseCoinbaseKey(NAME, 'not a key')).toThrow(/not a PEM/);
  });
  it('a REST JWT: ES256, kid = sub = key name, iss cdp, 120 s, uri = METHOD host/path without query; the emulator verifies it', async () => {
    const now = Date.UTC(2026, 11, 4, 12);
    const jwt = await coinbaseJwt(parseCoinbaseKey(NAME, pem), now, 'GET', 'https://api.coinbase.com/api/v3/brokerage/accounts?limit=5');
    expect(decodeProtectedHeader(jwt)).toMatchObject({ alg: 'ES256', kid: NAME, typ: 'JWT' });
    expect(decodeJwt(jwt)).toMatchObject({ iss: 'cdp', sub: NAME, nbf: now / 1000, exp: now / 1000 + 120, uri: 'GET api.coinbase.com/api/v3/brokerage/accounts' });
    expect(jwtProblem(jwt, { keyName: NAME, publicKey: pair.publicKey, nowS: () => now / 1000 }, 'GET', '/api/v3/brokerage/accounts')).toBeUndefined();
    expect(jwtProblem(jwt, { keyName: NAME, publicKey: pair.publicKey, nowS: () => now / 1000 + 121 }, 'GET', '/api/v3/brokerage/accounts')).toBe('token expired');
  });
  it('a WebSocket JWT has no uri claim', async () => {
    expect(decodeJwt(await coinbaseJwt(parseCoinbaseKey(NAME, pem), Date.now()))['uri']).toBeUndefined();
  });
});

describe('products → instruments', () => {
  const p = { product_id: 'ETH-USD', base_increment: '0.0001', price_increment: '0.01', base_min_size: '0.001', quote_min_size: '1', product_type: 'SPOT', status: 'online' };
  it('BTC-USD ↔ BTC/USD', () => {
    expect(displaySymbol('BTC-USD')).toBe('BTC/USD');
    expect(productId('btc/usd')).toBe('BTC-USD');
    expect(productId(displaySymbol('ETH-USDC'))).toBe('ETH-USDC');
  });
  it('tick, lot and minimums from the product; futures left out; found by id, symbol or product id', () => {
    const insts = new CoinbaseInstruments();
    insts.load('cb', [p, { ...p, product_id: 'BIP-20DEC30-CDE', product_type: 'FUTURE' }]);
    expect(insts.all().map((i) => i.symbol)).toEqual(['ETH/USD']);
    expect(insts.find('ETH/USD')).toMatchObject({ id: 'cb:ETH-USD', tickSize: '0.01', lotSize: '0.0001', minQty: '0.001', minNotional: '1', base: 'ETH', quote: 'USD' });
    expect(insts.find('ETH-USD')).toBe(insts.find('cb:ETH-USD'));
  });
  it('trading disabled and cancel-only are stated', () => {
    expect(tradingBlock(productFlags({ ...p, trading_disabled: true }), 'ETH/USD')).toMatch(/disabled/);
    expect(tradingBlock(productFlags({ ...p, cancel_only: true }), 'ETH/USD')).toMatch(/cancel-only/);
    expect(tradingBlock(productFlags(p), 'ETH/USD')).toBeUndefined();
  });
});
