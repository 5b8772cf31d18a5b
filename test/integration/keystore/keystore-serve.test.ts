/**
 * `serve` on a server with no Secret Service (no D-Bus session, as next to IB Gateway): the real
 * CLI says there is no keychain, then keeps a venue's secret in the encrypted keystore with the
 * passphrase given on a file descriptor, and the venue reads it back after a restart. The secret
 * never appears in SQLite, the keystore file in clear, or any output.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keystorePath } from '../../../src-main/engine/ports/secrets-keystore';

const root = path.resolve(__dirname, '../../..');
const harness = path.join(__dirname, 'keystore-cli.ts');
const SECRET = `AK-${randomBytes(12).toString('hex')}`;
const PASS = `server passphrase ${randomBytes(4).toString('hex')}`;

let dataDir: string;
const outputs: string[] = [];
const env: NodeJS.ProcessEnv = { ...process.env, TRADEPORT_DATA_DIR: '', TP_KEYED_SHA256: createHash('sha256').update(SECRET).digest('hex') };
// No session bus and no X display: keytar cannot reach a Secret Service, as on a headless server.
delete env.DBUS_SESSION_BUS_ADDRESS;
delete env.DISPLAY;

interface Run {
  code: number;
  json: { ok: boolean; value?: any; error?: { code: string; message: string } };
  stderr: string;
}

/** stdio[3] carries the passphrase when given, like `3<<<"$PASS"` in a shell. */
function spawnCli(args: string[], passphrase?: string): ChildProcess {
  // `node --import tsx`, not the tsx launcher: the launcher keeps fd 3 for itself.
  const child = spawn(process.execPath, ['--import', 'tsx', harness, ...args, '--data-dir', dataDir], { cwd: root, env, stdio: ['pipe', 'pipe', 'pipe', 'pipe'] });
  const fd3 = child.stdio[3] as NodeJS.WritableStream;
  if (passphrase !== undefined) fd3.end(`${passphrase}\n`);
  else fd3.end();
  return child;
}

function cli(args: string[], opts: { stdin?: string; passphrase?: string } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawnCli(args, opts.passphrase);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdin!.end(opts.stdin ?? '');
    child.once('error', reject);
    child.once('close', (code) => {
      outputs.push(stdout, stderr);
      let json: Run['json'] = { ok: false };
      try {
        json = JSON.parse(stdout.trim().split('\n').pop() ?? '');
      } catch {
        // not JSON: left as a failed result for the assertion to show
      }
      resolve({ code: code ?? 1, json, stderr });
    });
  });
}

interface Serving {
  child: ChildProcess;
  stderr: () => string;
  stop: () => Promise<void>;
}

async function startServe(passphrase?: string): Promise<Serving> {
  const args = ['serve', '--port', '0', '--json', ...(passphrase !== undefined ? ['--passphrase-fd', '3'] : [])];
  const child = spawnCli(args, passphrase);
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (c: Buffer) => {
      stdout += c.toString();
      if (stdout.includes('\n')) resolve();
    });
    void closed.then(() => reject(new Error(`serve exited before it was ready: ${stdout} ${stderr}`)));
  });
  expect(JSON.parse(stdout.trim()).ok).toBe(true);
  return {
    child,
    stderr: () => stderr,
    stop: async () => {
      child.kill('SIGTERM');
      await closed;
      outputs.push(stdout, stderr);
    },
  };
}

const venueState = async (name: string): Promise<string | undefined> => ((await cli(['venues', '--json'])).json.value as Array<{ name: string; state: string }>).find((v) => v.name === name)?.state;

beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-keystore-int-'));
});
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe('serve without a Secret Service', () => {
  it('says there is no keychain and that --keystore is the way, and stores nothing', async () => {
    const s = await startServe();
    try {
      expect(s.stderr()).toMatch(/No OS keychain on this machine \(.+\)/);
      expect((await cli(['venue', 'add', 'keyed', '--name', 'k1', '--json'])).code).toBe(0);
      const set = await cli(['secret', 'set', 'k1', 'apiKey', '--json'], { stdin: SECRET });
      expect(set.code).toBe(1);
      expect(set.json.error).toMatchObject({ code: 'secret_missing', message: expect.stringMatching(/tradeport serve --keystore/) });
    } finally {
      await s.stop();
    }
    expect(fs.existsSync(keystorePath(dataDir))).toBe(false);
  }, 120_000);

  it('stores a secret in the encrypted keystore (passphrase on fd 3) and the venue uses it, also after a restart', async () => {
    const s = await startServe(PASS);
    try {
      expect(s.stderr()).toMatch(/Secrets: the encrypted keystore/);
      expect(await venueState('k1')).toBe('error');
      const set = await cli(['secret', 'set', 'k1', 'apiKey', '--json'], { stdin: `${SECRET}\n` });
      expect(set.code, set.stderr).toBe(0);
      expect(set.json.value).toEqual({ venue: 'k1', field: 'apiKey', set: true });
      expect(await venueState('k1')).toBe('connected');
      expect((await cli(['secret', 'status', 'k1', '--json'])).json.value.fields).toEqual([{ field: 'apiKey', label: 'API key', set: true }]);
    } finally {
      await s.stop();
    }

    const file = keystorePath(dataDir);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);

    const again = await startServe(PASS);
    try {
      expect(await venueState('k1')).toBe('connected');
    } finally {
      await again.stop();
    }
  }, 120_000);

  it('works in-process too, and a wrong passphrase is refused in plain words', async () => {
    const status = await cli(['secret', 'status', 'k1', '--json', '--passphrase-fd', '3'], { passphrase: PASS });
    expect(status.code, status.stderr).toBe(0);
    expect(status.json.value.fields[0].set).toBe(true);

    // The secret on stdin, the passphrase on fd 3; then a venue started by an in-process engine reads it.
    const set = await cli(['secret', 'set', 'k1', 'apiKey', '--json', '--passphrase-fd', '3'], { stdin: SECRET, passphrase: PASS });
    expect(set.code, set.stderr).toBe(0);
    const venues = await cli(['venues', '--json', '--passphrase-fd', '3'], { passphrase: PASS });
    expect(venues.json.value.find((v: { name: string }) => v.name === 'k1')?.state).toBe('connected');

    const wrong = await cli(['secret', 'status', 'k1', '--json', '--passphrase-fd', '3'], { passphrase: 'not the passphrase' });
    expect(wrong.code).toBe(1);
    expect(wrong.json.error).toMatchObject({ code: 'unauthorized', message: expect.stringMatching(/The keystore passphrase is wrong/) });

    const wrongServe = await cli(['serve', '--port', '0', '--json', '--passphrase-fd', '3'], { passphrase: 'not the passphrase' });
    expect(wrongServe.code).toBe(1);
    expect(wrongServe.json.error?.message).toMatch(/The keystore passphrase is wrong/);
  }, 120_000);

  it('never lets the secret reach SQLite, the keystore in clear, or any output', () => {
    const needle = Buffer.from(SECRET);
    for (const f of fs.readdirSync(dataDir)) {
      const p = path.join(dataDir, f);
      if (fs.statSync(p).isFile()) expect(fs.readFileSync(p).includes(needle), f).toBe(false);
    }
    expect(outputs.length).toBeGreaterThan(10);
    for (const o of outputs) expect(o).not.toContain(SECRET);
  });
});
