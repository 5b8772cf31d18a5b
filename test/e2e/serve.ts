/** Starts and stops `tradeport serve` (the built CLI) on a temp data dir for e2e tests. */
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { expect, type Page } from '@playwright/test';

export interface Served {
  readonly url: string;
  readonly port: number;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

const ROOT = path.resolve(__dirname, '../..');

/** `extraArgs`: more `serve` flags, e.g. `--passphrase-file` for venue secrets where the machine has no keychain. */
export async function serve(dataDir: string, port = 0, extraArgs: readonly string[] = []): Promise<Served> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/tradeport.cjs'), 'serve', '--json', '--data-dir', dataDir, '--port', String(port), ...extraArgs], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, TRADEPORT_DATA_DIR: dataDir },
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => (err += String(d)));
  const info = await new Promise<{ url: string; port: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start in 30 s: ${out}${err}`)), 30_000);
    child.stdout!.on('data', (d) => {
      out += String(d);
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) {
        clearTimeout(timer);
        const parsed = JSON.parse(line) as { ok: boolean; value: { url: string; port: number } };
        resolve(parsed.value);
      }
    });
    child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${out}${err}`)));
  });
  return {
    ...info,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGINT');
      }),
  };
}

/**
 * Opens the app at a `serve` URL and waits until the bridge and the Paper venue are up. Returns the
 * page errors seen from then on (a test asserts there were none).
 */
export async function openApp(page: Page, url: string): Promise<string[]> {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url);
  await expect(page.getByTestId('link-status')).toHaveAttribute('data-state', 'open');
  await expect(page.locator('[data-testid="venue-status"][data-venue="paper"]')).toHaveAttribute('data-state', 'connected');
  // The token left the visible URL once used.
  expect(page.url()).not.toContain('token=');
  return errors;
}

/** The ticket's bid as a number, once a price is on screen (waits for it rather than reading a blank). */
export async function ticketBid(page: Page): Promise<number> {
  const q = page.locator('[data-testid="ticket-quote"] .bid .num').first();
  await expect(q).toHaveText(/^[\d,]+\.\d+$/);
  return Number((await q.textContent())!.replace(/,/g, ''));
}

/** `tradeport <args> --json` on a data dir (talks to the engine `serve` runs there): the API result. */
export function cliJson(dataDir: string, args: readonly string[]): Promise<{ ok: boolean; value?: any; error?: { message: string } }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(ROOT, 'bin/tradeport.cjs'), ...args, '--json', '--data-dir', dataDir], { env: { ...process.env, TRADEPORT_DATA_DIR: '' } }, (_err, stdout) =>
      resolve(JSON.parse(stdout)),
    );
  });
}

/** Settings made before `serve` starts (`tradeport <args>` on the data dir, one command each): each must succeed. */
export function tradeportSetup(dataDir: string, commands: readonly (readonly string[])[]): void {
  for (const args of commands) {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/tradeport.cjs'), ...args, '--data-dir', dataDir], {
      cwd: ROOT,
      env: { ...process.env, TRADEPORT_DATA_DIR: dataDir },
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
  }
}
