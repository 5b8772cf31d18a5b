import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KeystoreError, type KdfParams } from '../../../src-main/engine/ports/keystore-format';
import { KeystoreSecretStore, keystorePath } from '../../../src-main/engine/ports/secrets-keystore';

// The cheapest cost the format accepts, so the suite stays fast; the default is exercised once.
const FAST: KdfParams = { N: 2 ** 14, r: 8, p: 1 };
const PASS = 'correct horse battery staple';
const SECRET = 'sk-live-9f8e7d6c5b4a-üñï';

let dir: string;
let file: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-keystore-'));
  file = keystorePath(dir);
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const doc = () => JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, any>;
const flipBase64 = (b64: string, at = 0): string => {
  const b = Buffer.from(b64, 'base64');
  b[at] = b[at]! ^ 0x01;
  return b.toString('base64');
};
async function problemOf(p: Promise<unknown>): Promise<string> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(KeystoreError);
  return (e as KeystoreError).problem;
}

describe('encrypted keystore', () => {
  it('round-trips secrets across unlocks, with the default scrypt cost', async () => {
    const a = await KeystoreSecretStore.unlock(file, PASS);
    expect(await a.has('alpaca/apiSecret')).toBe(false);
    await a.set('alpaca/apiSecret', SECRET);
    await a.set('alpaca/apiKey', 'AK123');
    expect(await a.get('alpaca/apiSecret')).toBe(SECRET);

    const b = await KeystoreSecretStore.unlock(file, PASS);
    expect(await b.get('alpaca/apiSecret')).toBe(SECRET);
    expect(await b.has('alpaca/apiKey')).toBe(true);
    expect(await b.delete('alpaca/apiKey')).toBe(true);
    expect(await b.delete('alpaca/apiKey')).toBe(false);
    expect(await (await KeystoreSecretStore.unlock(file, PASS, { kdf: FAST })).has('alpaca/apiKey')).toBe(false);
    expect(doc().kdf).toMatchObject({ name: 'scrypt', N: 2 ** 17, r: 8, p: 1 });
  });

  it('keeps no secret or passphrase in the file in clear', async () => {
    const s = await KeystoreSecretStore.unlock(file, PASS, { kdf: FAST });
    await s.set('kraken/apiSecret', SECRET);
    const raw = fs.readFileSync(file);
    for (const needle of [SECRET, 'sk-live', PASS, 'kraken/apiSecret']) expect(raw.includes(Buffer.from(needle))).toBe(false);
  });

  it('seals every write with a fresh IV', async () => {
    const s = await KeystoreSecretStore.unlock(file, PASS, { kdf: FAST });
    await s.set('a/b', 'same');
    const first = doc();
    await s.set('a/b', 'same');
    const second = doc();
    expect(second.iv).not.toBe(first.iv);
    expect(second.data).not.toBe(first.data);
    expect(second.kdf.salt).toBe(first.kdf.salt);
  });

  it('says the passphrase is wrong, and gives no secret', async () => {
    const s = await KeystoreSecretStore.unlock(file, PASS, { kdf: FAST });
    await s.set('a/b', SECRET);
    const e = await KeystoreSecretStore.unlock(file, 'correct horse battery stapler').catch((err: unknown) => err as KeystoreError);
    expect(e).toBeInstanceOf(KeystoreError);
    expect((e as KeystoreError).problem).toBe('wrong_passphrase');
    expect((e as KeystoreError).message).toMatch(/the keystore passphrase is wrong/i);
    expect((e as KeystoreError).message).not.toContain(SECRET);
    expect((e as KeystoreError).message).not.toContain('stapler');
  });

  it('refuses a file whose ciphertext, tag, IV or header was altered', async () => {
    const s = await KeystoreSecretStore.unlock(file, PASS, { kdf: FAST });
    await s.set('a/b', SECRET);
    const good = fs.readFileSync(file, 'utf8');
    const tamper = async (change: (d: Record<string, any>) => void): Promise<string> => {
      const d = JSON.parse(good);
      change(d);
      fs.writeFileSync(file, JSON.stringify(d));
      return problemOf(KeystoreSecretStore.unlock(file, PASS));
    };
    expect(await tamper((d) => (d.data = flipBase64(d.data, 3)))).toBe('damaged');
    expect(await tamper((d) => (d.tag = flipBase64(d.tag)))).toBe('damaged');
    expect(await tamper((d) => (d.iv = flipBase64(d.iv)))).toBe('damaged');
    expect(await tamper((d) => (d.kdf.N = 2 ** 15))).toBe('wrong_passphrase'); // another key: not this passphrase's keystore
    expect(await tamper((d) => (d.kdf.N = 2 ** 30))).toBe('damaged'); // a cost no genuine file has
    expect(await tamper((d) => (d.data = d.data.slice(0, -8)))).toBe('damaged');

    // An unlocked store re-checks the file on each read: a swap behind its back is refused too.
    fs.writeFileSync(file, good);
    const open = await KeystoreSecretStore.unlock(file, PASS);
    const d = JSON.parse(good);
    d.data = flipBase64(d.data, 5);
    fs.writeFileSync(file, JSON.stringify(d));
    expect(await problemOf(open.get('a/b'))).toBe('damaged');
    fs.writeFileSync(file, 'not json {');
    expect(await problemOf(open.get('a/b'))).toBe('damaged');
  });

  it('refuses a keystore from a newer format with a message that says to update', async () => {
    await KeystoreSecretStore.unlock(file, PASS, { kdf: FAST });
    fs.writeFileSync(file, JSON.stringify({ ...doc(), tradeportKeystore: 2 }));
    const e = await KeystoreSecretStore.unlock(file, PASS).catch((err: unknown) => err as KeystoreError);
    expect((e as KeystoreError).problem).toBe('unsupported');
    expect((e as KeystoreError).message).toMatch(/newer Tradeport/);
  });

  it('refuses a short passphrase for a new keystore', async () => {
    expect(await problemOf(KeystoreSecretStore.unlock(file, 'short', { kdf: FAST }))).toBe('weak_passphrase');
    expect(fs.existsSync(file)).toBe(false);
  });

  it.runIf(process.platform !== 'win32')('writes the file with mode 0600 even under a permissive umask', async () => {
    const old = process.umask(0o000);
    try {
      const s = await KeystoreSecretStore.unlock(file, PASS, { kdf: FAST });
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      fs.chmodSync(file, 0o644);
      await s.set('a/b', SECRET);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    } finally {
      process.umask(old);
    }
  });

  it('writes atomically: a crash before the rename leaves the previous keystore whole, and no temp file', async () => {
    let crash = false;
    let tempSeen = '';
    const s = await KeystoreSecretStore.unlock(file, PASS, {
      kdf: FAST,
      writeHooks: {
        beforeRename: (temp) => {
          tempSeen = temp;
          if (crash) throw new Error('simulated crash before rename');
        },
      },
    });
    await s.set('a/b', 'old-value');
    expect(path.dirname(tempSeen)).toBe(dir);
    const before = fs.readFileSync(file, 'utf8');

    crash = true;
    await expect(s.set('a/b', 'new-value')).rejects.toThrow(/simulated crash/);
    expect(fs.readFileSync(file, 'utf8')).toBe(before);
    expect(fs.readdirSync(dir)).toEqual([path.basename(file)]);
    expect(await (await KeystoreSecretStore.unlock(file, PASS)).get('a/b')).toBe('old-value');

    // The failed write does not wedge the queue.
    crash = false;
    await s.set('a/b', 'new-value');
    expect(await s.get('a/b')).toBe('new-value');
  });

  it('loses no secret when sets race', async () => {
    const s = await KeystoreSecretStore.unlock(file, PASS, { kdf: FAST });
    await Promise.all(Array.from({ length: 10 }, (_, i) => s.set(`v${i}/k`, `value-${i}`)));
    const t = await KeystoreSecretStore.unlock(file, PASS);
    for (let i = 0; i < 10; i++) expect(await t.get(`v${i}/k`)).toBe(`value-${i}`);
  });
});
