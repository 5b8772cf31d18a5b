/**
 * Kraken's dead-man switch: refreshed while connected, disarmed on a deliberate stop, and left to
 * fire when the Tradeport process is killed (a child engine, SIGKILLed).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { until } from '../../support/until';
import { RecordingListener } from '../../support/venue-contract';
import type { KrakenEmulator } from '../../emulators/kraken';
import { connectorRig, control, startEmulator } from './kraken-rig';

const root = path.resolve(__dirname, '../../..');
let emu: KrakenEmulator | undefined;
let dir: string | undefined;

afterEach(async () => {
  await emu?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  emu = undefined;
  dir = undefined;
});

it('refreshed while connected, disarmed by a deliberate stop, and shown in the status detail', async () => {
  emu = await startEmulator();
  const rig = await connectorRig(emu, { settings: { deadManSeconds: '5' } });
  const c = rig.connector;
  const l = new RecordingListener();
  await c.start(l);
  await until(() => emu!.orders.deadMan().armed && /dead-man switch armed \(5 s\)/.test(c.state().detail), { timeoutMs: 10_000, what: 'armed' });
  const first = emu.orders.deadMan().triggerAt;
  // Refreshed every quarter of the timeout: the trigger moves on while we stay connected.
  await until(() => emu!.orders.deadMan().triggerAt > first, { timeoutMs: 10_000, what: 'refreshed' });
  await c.stop();
  expect(emu.orders.deadMan()).toMatchObject({ armed: false, cancelledByTimer: 0 });
  rig.close();
}, 30_000);

it('left to fire when Tradeport is killed: Kraken cancels the open orders', async () => {
  emu = await startEmulator();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-kr-dm-'));
  await control(emu, 'external-order', { type: 'buy', volume: '0.5', price: '90' });
  const env = { DATA_DIR: dir, REST_URL: emu.url, WS_URL: emu.wsUrl, API_KEY: emu.apiKey, API_SECRET: emu.apiSecret, DEAD_MAN_S: '5' };
  // node itself (tsx as a loader, not the tsx launcher): SIGKILL must reach the process holding the sockets.
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'kraken-dead-man-child.ts')], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<NodeJS.Signals | null>((res) => child.on('exit', (_c, signal) => res(signal)));
  try {
    await until(() => out.includes('ARMED') || child.exitCode !== null, { timeoutMs: 25_000, what: 'the child engine armed the switch' });
    expect(out, err).toContain('ARMED');
    expect(emu.orders.deadMan().armed).toBe(true);
  } finally {
    child.kill('SIGKILL');
  }
  expect(await exited).toBe('SIGKILL');
  await until(() => emu!.orders.deadMan().cancelledByTimer === 1, { timeoutMs: 20_000, what: "Kraken's timer fired" });
  expect(emu.orders.all().every((o) => o.status === 'canceled')).toBe(true);
}, 60_000);
