import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  acquireEngineLock,
  EngineLockedError,
  isPidAlive,
  LOCK_FILE,
  liveMarker,
  removeMarker,
  writeMarker,
} from '../../../src-main/headless/engine-lock';

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

describe('engine lock', () => {
  it('lets exactly one engine own a data dir', () => {
    const lock = acquireEngineLock(dir);
    // Another live process (our parent stands in for a second engine) holds it.
    fs.writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ pid: process.ppid }));
    expect(() => acquireEngineLock(dir)).toThrow(EngineLockedError);
    fs.writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ pid: process.pid }));
    lock.release();
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
  });

  it('names the owner so the trader knows what to stop', () => {
    fs.writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ pid: process.ppid }));
    expect(() => acquireEngineLock(dir)).toThrow(new RegExp(`pid ${process.ppid}`));
  });

  it('takes over a lock whose process is gone', () => {
    const pid = deadPid();
    expect(isPidAlive(pid)).toBe(false);
    fs.writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ pid }));
    const lock = acquireEngineLock(dir);
    expect(JSON.parse(fs.readFileSync(lock.file, 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it('does not release a lock another engine took over', () => {
    const lock = acquireEngineLock(dir);
    fs.writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify({ pid: process.ppid }));
    lock.release();
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(true);
  });
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
