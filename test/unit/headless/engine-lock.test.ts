import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireEngineLock, EngineLockedError, LOCK_FILE, liveMarker, removeMarker, writeMarker } from '../../../src-main/headless/engine-lock';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-lock-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A pid that certainly belonged to a process that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(String(r.stdout));
}

const root = path.resolve(__dirname, '../../..');
const child = path.join(__dirname, 'lock-child.ts');

/** One line from a child's stdout. */
function line(p: ChildProcessWithoutNullStreams): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const onData = (d: Buffer) => {
      out += String(d);
      const nl = out.indexOf('\n');
      if (nl < 0) return;
      p.stdout.off('data', onData);
      resolve(out.slice(0, nl));
    };
    p.stdout.on('data', onData);
    p.once('exit', (code) => reject(new Error(`lock child exited (${code}) before answering`)));
  });
}

/** Starts `n` processes, waits until all are ready, then lets them take the lock at the same moment; the answers come while all still run. */
async function race(n: number): Promise<{ answers: string[]; procs: ChildProcessWithoutNullStreams[]; stop: () => Promise<void> }> {
  // node --import tsx (not the tsx launcher): one process per engine, so a kill reaches the lock holder itself.
  const procs = Array.from({ length: n }, () => spawn(process.execPath, ['--import', 'tsx', child, dir], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] }));
  expect(await Promise.all(procs.map(line))).toEqual(procs.map(() => 'ready'));
  const pending = procs.map(line);
  for (const p of procs) p.stdin.write('go\n');
  const answers = await Promise.all(pending);
  const stop = async () => {
    await Promise.all(procs.map((p) => new Promise<void>((resolve) => (p.exitCode !== null || p.signalCode !== null ? resolve() : (p.once('exit', () => resolve()), p.stdin.end())))));
  };
  return { answers, procs, stop };
}

describe('engine lock', () => {
  it('lets exactly one engine own a data dir, and names it to the second', () => {
    const lock = acquireEngineLock(dir);
    expect(() => acquireEngineLock(dir)).toThrow(EngineLockedError);
    expect(() => acquireEngineLock(dir)).toThrow(new RegExp(`pid ${process.pid}`));
    lock.release();
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
    const again = acquireEngineLock(dir);
    again.release();
  });

  it('a leftover lock file naming a dead or an unrelated live process blocks nobody', () => {
    fs.writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ pid: deadPid() }));
    const a = acquireEngineLock(dir);
    expect(JSON.parse(fs.readFileSync(a.file, 'utf8')).pid).toBe(process.pid);
    a.release();
    // Our parent is alive but is no engine on this data dir.
    fs.writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ pid: process.ppid }));
    const b = acquireEngineLock(dir);
    b.release();
  });

  it('is freed by the OS when its holder is killed (no release, no cleanup)', async () => {
    const first = await race(1);
    expect(first.answers).toEqual(['held']);
    expect(() => acquireEngineLock(dir)).toThrow(EngineLockedError);
    const holder = first.procs[0]!;
    await new Promise<void>((resolve) => {
      holder.once('exit', () => resolve());
      holder.kill('SIGKILL');
    });
    // Its engine.lock file is still there, naming a dead pid; it does not matter.
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(true);
    const lock = acquireEngineLock(dir);
    lock.release();
  });

  it('six engines started together over a stale lock: exactly one holds it', async () => {
    for (let trial = 0; trial < 2; trial++) {
      fs.writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ pid: deadPid() }));
      const { answers, stop } = await race(6);
      try {
        expect(answers.filter((a) => a === 'held')).toHaveLength(1);
        expect(answers.filter((a) => a === 'locked')).toHaveLength(5);
      } finally {
        await stop();
      }
    }
  }, 60_000);
});

describe('engine.json marker', () => {
  it('is live only while its pid runs, and removal spares a newer engine’s marker', () => {
    writeMarker(dir, { pid: process.pid, port: 1234, startedAt: 1 });
    expect(liveMarker(dir)).toEqual({ pid: process.pid, port: 1234, startedAt: 1 });
    writeMarker(dir, { pid: deadPid(), port: 1234, startedAt: 1 });
    expect(liveMarker(dir)).toBeUndefined();
    writeMarker(dir, { pid: process.ppid, port: 99, startedAt: 2 });
    removeMarker(dir);
    expect(liveMarker(dir)?.port).toBe(99);
    if (process.platform !== 'win32') expect(fs.statSync(path.join(dir, 'engine.json')).mode & 0o777).toBe(0o600);
  });
});
