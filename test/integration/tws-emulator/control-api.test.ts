/**
 * The TWS emulator's side HTTP port speaks the emulator kit's control API (`/__control/…`), so a
 * person drives TWS and the REST emulators the same way; faults a socket cannot express are
 * refused with the TWS equivalent, never silently accepted.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { TwsEmulator, startControlServer, type ControlServer } from '../../emulators/tws';

let emu: TwsEmulator;
let ctl: ControlServer;
afterEach(async () => {
  await ctl?.close();
  await emu?.stop();
});

const post = async (path: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> => {
  const r = await fetch(`http://127.0.0.1:${ctl.port}${path}`, { method: 'POST', body: JSON.stringify(body), headers: { connection: 'close' } });
  return { status: r.status, json: (await r.json()) as Record<string, unknown> };
};

describe('TWS emulator control API (kit paths)', () => {
  it('lists commands, shows state, and answers the old bare paths too', async () => {
    emu = new TwsEmulator({ port: 0, nextValidId: 1000 });
    await emu.start();
    ctl = await startControlServer(emu, 0);
    const help = (await (await fetch(`http://127.0.0.1:${ctl.port}/__control`)).json()) as Record<string, unknown>;
    expect(help['commands']).toEqual(expect.arrayContaining(['state', 'fault', 'fill', 'restart', 'reject-next']));
    expect(help['faultKinds']).toEqual(['drop-sockets', 'refuse', 'lose-response']);
    const state = (await (await fetch(`http://127.0.0.1:${ctl.port}/__control/state`)).json()) as Record<string, unknown>;
    expect(state).toMatchObject({ emulator: 'tws', nextValidId: 1000, orders: [] });
    expect((await (await fetch(`http://127.0.0.1:${ctl.port}/state`)).json()) as Record<string, unknown>).toMatchObject({ nextValidId: 1000 });
    expect((await post('/__control/reject-next', { reason: 'x' })).status).toBe(200);
  });

  it('refuse drops client sockets (a TWS restart); HTTP-only faults are refused with the TWS equivalent', async () => {
    emu = new TwsEmulator({ port: 0 });
    await emu.start();
    ctl = await startControlServer(emu, 0);
    const sock = net.connect(emu.port, '127.0.0.1');
    await new Promise((r) => sock.once('connect', r));
    const closed = new Promise((r) => sock.once('close', r));
    expect((await post('/__control/fault', { kind: 'refuse', ms: 100 })).json).toEqual({ refusingForMs: 100 });
    await closed;
    const r429 = await post('/__control/fault', { kind: '429' });
    expect(r429.status).toBe(400);
    expect(String(r429.json['error'])).toMatch(/error 100/);
  });
});
