import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const have = (bin: string) => spawnSync('sh', ['-c', `command -v ${bin}`]).status === 0;
const available = have('dbus-run-session') && have('gnome-keyring-daemon');
// In CI the Secret Service is installed by .ci/run, so a missing one is a failure, not a skip.
const mustRun = process.env.CI === 'true' || process.env.TRADEPORT_KEYCHAIN_TEST === '1';

describe('OS keychain (Secret Service via keytar)', () => {
  it.runIf(available || mustRun)('stores, reads and deletes a secret in a real keychain', () => {
    expect(available, 'dbus-run-session and gnome-keyring-daemon must be installed (apt-get install dbus gnome-keyring)').toBe(true);
    const script = path.join(__dirname, 'keychain-roundtrip.ts');
    const tsx = path.resolve(__dirname, '../../../node_modules/.bin/tsx');
    // A private session bus and a keyring unlocked with a throwaway password: nothing touches the user's keychain.
    const cmd = `export HOME=$(mktemp -d); echo -n tradeport-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null; "${tsx}" "${script}"`;
    const out = execFileSync('dbus-run-session', ['--', 'sh', '-c', cmd], { encoding: 'utf8', timeout: 60_000 });
    const line = out.trim().split('\n').pop()!;
    expect(JSON.parse(line)).toEqual({ before: false, readMatches: true, has: true, deleted: true, after: null });
  });
});
