/**
 * A would-be engine for the lock race test: says "ready", waits for "go" on stdin (so several start
 * taking the lock at the same moment), says whether it holds the lock, and keeps it until stdin closes.
 */
import { acquireEngineLock, EngineLockedError, type EngineLock } from '../../../src-main/headless/engine-lock';

const dir = process.argv[2]!;
let lock: EngineLock | undefined;
let buffered = '';
process.stdin.on('data', (d) => {
  buffered += String(d);
  if (!buffered.includes('go\n') || lock) return;
  buffered = '';
  try {
    lock = acquireEngineLock(dir);
    process.stdout.write('held\n');
  } catch (e) {
    process.stdout.write(e instanceof EngineLockedError ? 'locked\n' : `error ${(e as Error).message}\n`);
  }
});
process.stdin.on('end', () => {
  lock?.release();
  process.exit(0);
});
process.stdout.write('ready\n');
