/**
 * The emulator kit's faults over real sockets, driven through its HTTP control API as a person
 * with curl would: each fault does what a venue outage does to a client, and only to venue
 * requests (the control API keeps answering).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { EmulatorServer } from '../../emulators/kit';

let emu: EmulatorServer;
let created = 0;

beforeEach(async () => {
  created = 0;
  emu = new EmulatorServer({ name: 'kit-test', auth: (r) => (r.headers['x-api-key'] === 'k' ? undefined : { status: 401, body: { message: 'bad key' } }) });
  emu.route('POST', '/v1/orders', () => ({ status: 201, body: { id: `R${++created}` } }));
  emu.route('GET', '/v1/orders/:id', (r) => ({ status: 200, body: { id: r.params['id'] } }));
  emu.command('echo', (b) => ({ echoed: b }));
  await emu.start();
});
afterEach(async () => {
  await emu.stop();
});

const call = (method: string, path: string, body?: unknown): Promise<Response> =>
  fetch(`${emu.url}${path}`, { method, headers: { 'x-api-key': 'k', 'content-type': 'application/json', connection: 'close' }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
const control = async (name: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> => {
  const r = await fetch(`${emu.url}/__control/${name}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { connection: 'close' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: r.status, json: (await r.json()) as Record<string, unknown> };
};

describe('emulator kit', () => {
  it('routes with params, refuses a bad key with the auth hook, and lists its control commands', async () => {
    expect(await (await call('GET', '/v1/orders/R7')).json()).toEqual({ id: 'R7' });
    const noKey = await fetch(`${emu.url}/v1/orders/R7`, { headers: { connection: 'close' } });
    expect(noKey.status).toBe(401);
    const help = await control('');
    expect(help.json['commands']).toEqual(expect.arrayContaining(['state', 'fault', 'reset', 'echo']));
    expect(help.json['faultKinds']).toEqual(['5xx', '429', 'latency', 'lose-response', 'drop-sockets', 'refuse', 'gap']);
    expect((await control('echo', { a: 1 })).json).toEqual({ echoed: { a: 1 } });
    expect((await control('nope', {})).status).toBe(404);
    expect((await control('fault', { kind: 'meteor' })).status).toBe(400);
  });

  it('5xx burst: the next N venue requests get the status, then the venue answers again; control is unaffected', async () => {
    await control('fault', { kind: '5xx', count: 2, status: 502 });
    expect((await call('POST', '/v1/orders', {})).status).toBe(502);
    expect((await control('state')).status).toBe(200);
    expect((await call('POST', '/v1/orders', {})).status).toBe(502);
    expect((await call('POST', '/v1/orders', {})).status).toBe(201);
    expect(created).toBe(1);
  });

  it('429 carries Retry-After and does not run the handler', async () => {
    await control('fault', { kind: '429', retryAfterS: 3 });
    const r = await call('POST', '/v1/orders', {});
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('3');
    expect(created).toBe(0);
  });

  it('lose-response: the order is created but the client gets no answer (the socket is reset)', async () => {
    await control('fault', { kind: 'lose-response', method: 'POST', path: '/v1/orders' });
    await expect(call('POST', '/v1/orders', {})).rejects.toThrow();
    expect(created).toBe(1);
    expect(emu.requests.at(-1)).toMatchObject({ method: 'POST', path: '/v1/orders', outcome: 'lost' });
    // GETs were out of scope and the fault was used up.
    expect((await call('GET', '/v1/orders/R1')).status).toBe(200);
  });

  it('latency delays every venue answer by at least the given time', async () => {
    await control('fault', { kind: 'latency', ms: 150 });
    const t0 = Date.now();
    expect((await call('GET', '/v1/orders/R1')).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    await control('reset', {});
    expect((await control('state')).json['faults']).toMatchObject({ latencyMs: 0 });
  });

  it('drop-sockets kills stream clients without a close frame; gap skips sequence numbers', async () => {
    const ws = new WebSocket(emu.streamUrl, { headers: { 'x-api-key': 'k' } });
    await new Promise((r) => ws.once('open', r));
    const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
    expect((await control('fault', { kind: 'drop-sockets' })).json).toEqual({ dropped: 1 });
    expect(await closed).toBe(1006);
    expect(emu.nextSeq()).toBe(1);
    await control('fault', { kind: 'gap', count: 3 });
    expect(emu.nextSeq()).toBe(5);
    expect(emu.nextSeq()).toBe(6);
  });

  it('the stream refuses a client without the key', async () => {
    const ws = new WebSocket(emu.streamUrl);
    const err = await new Promise<Error>((r) => ws.once('error', r));
    expect(err.message).toMatch(/401/);
  });

  it('refuse: connections are refused for N ms, then the same port listens again', async () => {
    const port = emu.port;
    const refusing = new Promise((r) => emu.once('refusing', r));
    const back = new Promise((r) => emu.once('listening', r));
    expect((await control('fault', { kind: 'refuse', ms: 800 })).json).toEqual({ refusingForMs: 800 });
    await refusing;
    await expect(call('GET', '/v1/orders/R1')).rejects.toThrow();
    await back;
    expect(emu.port).toBe(port);
    expect((await call('GET', '/v1/orders/R1')).status).toBe(200);
  });
});
