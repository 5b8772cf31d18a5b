/** Starts and stops `tradeport serve` (the built CLI) on a temp data dir for e2e tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export interface Served {
  readonly url: string;
  readonly port: number;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

const ROOT = path.resolve(__dirname, '../..');

export async function serve(dataDir: string, port = 0): Promise<Served> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/tradeport.cjs'), 'serve', '--json', '--data-dir', dataDir, '--port', String(port)], {
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
