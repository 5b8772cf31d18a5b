import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TradeportError } from '../../../src-main/engine/api/errors';
import { MemorySecretStore } from '../../../src-main/engine/ports/secrets';
import { KeystoreSecretStore, keystorePath } from '../../../src-main/engine/ports/secrets-keystore';
import { chooseSecretStore, secretStoreError, type SecretStoreChoiceDeps, type SecretStoreRequest } from '../../../src-main/headless/secret-store-choice';

const FAST = { N: 2 ** 14, r: 8, p: 1 };
const PASS = 'a long enough passphrase';

let dir: string;
let stderr: string;
let prompts: string[];
let probes: number;
const keychain = new MemorySecretStore();

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-choice-'));
  stderr = '';
  prompts = [];
  probes = 0;
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function deps(opts: { keychain: boolean; answers?: string[] }): SecretStoreChoiceDeps {
  const answers = opts.answers ? [...opts.answers] : undefined;
  return {
    probeKeychain: async () => {
      probes++;
      return opts.keychain ? { available: true } : { available: false, reason: 'Cannot autolaunch D-Bus without X11 $DISPLAY' };
    },
    keychain: () => keychain,
    prompt: answers
      ? async (text) => {
          prompts.push(text);
          const a = answers.shift();
          if (a === undefined) throw new Error(`unexpected prompt: ${text}`);
          return a;
        }
      : undefined,
    stderr: { write: (s: string) => (stderr += s) },
    kdf: FAST,
  };
}

const req = (over: Partial<SecretStoreRequest> = {}): SecretStoreRequest => ({ dataDir: dir, purpose: 'serve', keystore: false, ...over });
const passFile = (text: string): string => {
  const f = path.join(dir, 'pass.txt');
  fs.writeFileSync(f, text, { mode: 0o600 });
  return f;
};
async function rejection(p: Promise<unknown>): Promise<Error> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e as Error,
  );
}

describe('choosing the secret store for serve', () => {
  it('uses the OS keychain when it answers and nothing asks for the keystore', async () => {
    expect(await chooseSecretStore(req(), deps({ keychain: true, answers: [] }))).toBe(keychain);
    expect(fs.existsSync(keystorePath(dir))).toBe(false);
  });

  it('with no keychain and no terminal, says so and explains --keystore when a secret is touched', async () => {
    const store = await chooseSecretStore(req(), deps({ keychain: false }));
    expect(stderr).toMatch(/No OS keychain on this machine \(Cannot autolaunch D-Bus/);
    expect(stderr).toMatch(/--keystore/);
    const e = await rejection(store.set('alpaca/apiSecret', 'v'));
    expect(e).toBeInstanceOf(TradeportError);
    expect((e as TradeportError).code).toBe('secret_missing');
    expect(e.message).toMatch(/serve --keystore/);
    expect(fs.existsSync(keystorePath(dir))).toBe(false);
  });

  it('with no keychain on a terminal, offers a new keystore and creates it after the passphrase is typed twice', async () => {
    const store = await chooseSecretStore(req(), deps({ keychain: false, answers: [PASS, 'typo', PASS, PASS] }));
    expect(prompts).toEqual([expect.stringMatching(/New keystore passphrase/), expect.stringMatching(/Repeat/), expect.stringMatching(/New keystore passphrase/), expect.stringMatching(/Repeat/)]);
    expect(stderr).toMatch(/differ/);
    await store.set('alpaca/apiSecret', 'v1');
    expect(await (await KeystoreSecretStore.unlock(keystorePath(dir), PASS)).get('alpaca/apiSecret')).toBe('v1');
  });

  it('lets the trader decline the offer with an empty line', async () => {
    const store = await chooseSecretStore(req(), deps({ keychain: false, answers: [''] }));
    expect(fs.existsSync(keystorePath(dir))).toBe(false);
    expect((await rejection(store.has('a/b'))).message).toMatch(/no OS keychain/i);
  });

  it('takes the keystore when a passphrase file is given, without probing the keychain', async () => {
    const store = await chooseSecretStore(req({ passphraseFile: passFile(`${PASS}\n`) }), deps({ keychain: true }));
    expect(probes).toBe(0);
    expect(store).toBeInstanceOf(KeystoreSecretStore);
    await store.set('a/b', 'v');
    // The trailing newline of the file is not part of the passphrase.
    expect(await (await KeystoreSecretStore.unlock(keystorePath(dir), PASS)).get('a/b')).toBe('v');
    expect(stderr).toMatch(/Secrets: the encrypted keystore/);
  });

  it('reads the passphrase from an open file descriptor and closes it', async () => {
    const fd = fs.openSync(passFile(PASS), 'r');
    const store = await chooseSecretStore(req({ passphraseFd: fd }), deps({ keychain: true }));
    expect(store).toBeInstanceOf(KeystoreSecretStore);
    expect(() => fs.fstatSync(fd)).toThrow(/EBADF/);
  });

  it('keeps using an existing keystore without the flag, and a wrong passphrase stops serve with a clear error', async () => {
    await KeystoreSecretStore.unlock(keystorePath(dir), PASS, { kdf: FAST });
    const e = await rejection(chooseSecretStore(req({ passphraseFile: passFile('not the passphrase') }), deps({ keychain: true })));
    expect(secretStoreError(e)).toEqual({ code: 'unauthorized', message: expect.stringMatching(/The keystore passphrase is wrong/) });
    expect(probes).toBe(0);

    // On a terminal: asked again, at most three times.
    const store = await chooseSecretStore(req(), deps({ keychain: true, answers: ['nope-nope', PASS] }));
    expect(store).toBeInstanceOf(KeystoreSecretStore);
    expect(prompts).toHaveLength(2);
    expect(stderr).toMatch(/passphrase is wrong/);
  });

  it('refuses --keystore with no passphrase source and no terminal, naming the flags', async () => {
    const e = await rejection(chooseSecretStore(req({ keystore: true }), deps({ keychain: true })));
    expect(secretStoreError(e)?.message).toMatch(/--passphrase-fd N or --passphrase-file PATH/);
  });

  it('names a descriptor that is not open', async () => {
    const e = await rejection(chooseSecretStore(req({ passphraseFd: 987 }), deps({ keychain: true })));
    expect(secretStoreError(e)?.message).toMatch(/--passphrase-fd 987: no such file descriptor is open/);
  });
});

describe('choosing the secret store for a one-shot command', () => {
  it('unlocks the keystore only when a secret is touched, and reports a wrong passphrase as an API error', async () => {
    await KeystoreSecretStore.unlock(keystorePath(dir), PASS, { kdf: FAST });
    const d = deps({ keychain: true, answers: ['wrong passphrase 1', 'wrong passphrase 2', 'wrong passphrase 3'] });
    const store = await chooseSecretStore(req({ purpose: 'command' }), d);
    expect(prompts).toEqual([]);
    const e = await rejection(store.get('a/b'));
    expect(prompts).toHaveLength(3);
    expect(e).toBeInstanceOf(TradeportError);
    expect((e as TradeportError).code).toBe('unauthorized');
    expect(e.message).toMatch(/The keystore passphrase is wrong/);
  });

  it('probes the keychain only when a secret is touched', async () => {
    const store = await chooseSecretStore(req({ purpose: 'command' }), deps({ keychain: true }));
    expect(probes).toBe(0);
    await store.set('a/b', 'v');
    expect(probes).toBe(1);
    expect(await keychain.get('a/b')).toBe('v');
  });
});

describe('keystore flags on the command line', () => {
  it('are global, parsed once, and refuse nonsense', async () => {
    const { parseArgv, UsageError } = await import('../../../src-main/headless/argv');
    expect(parseArgv(['serve', '--keystore', '--passphrase-fd', '3']).secretOptions).toEqual({ keystore: true, passphraseFd: 3 });
    expect(parseArgv(['secret', 'status', 'k1', '--passphrase-file', '/run/pass']).secretOptions).toEqual({ keystore: false, passphraseFile: '/run/pass' });
    expect(() => parseArgv(['serve', '--passphrase-fd', 'three'])).toThrow(UsageError);
    expect(() => parseArgv(['serve', '--passphrase-fd', '3', '--passphrase-file', 'x'])).toThrow(/one way/);
  });
});
