/**
 * The CLI's real dependencies in this process: the engine, the keychain-or-keystore choice, the
 * terminal and the signals that stop `serve`. Integration tests start the same CLI with an extra
 * venue kind by overriding `createEngine`.
 */
import path from 'node:path';
import { version } from '../../package.json';
import { KeytarSecretStore, probeKeychain } from '../engine/ports/secrets-keytar';
import type { CliDeps, CliIo } from './cli-main';
import { readSecretFromStdin } from './read-secret';
import { chooseSecretStore } from './secret-store-choice';

export function processCliDeps(over: Partial<CliDeps> = {}): CliDeps {
  const io: CliIo = {
    stdout: process.stdout,
    stderr: process.stderr,
    readSecret: (prompt) => readSecretFromStdin(process.stdin, process.stderr, prompt),
    env: process.env,
  };
  return {
    io,
    // Loaded lazily: a command that goes over the bridge never opens SQLite or the paper venue.
    createEngine: async (config) => (await import('../engine/engine')).createEngine(config),
    secrets: (req) =>
      chooseSecretStore(req, {
        probeKeychain: () => probeKeychain(),
        keychain: () => new KeytarSecretStore(),
        prompt: process.stdin.isTTY ? (text) => readSecretFromStdin(process.stdin, process.stderr, text) : undefined,
        stderr: process.stderr,
      }),
    staticDir: path.resolve(__dirname, '../renderer'),
    version,
    waitForShutdown: () =>
      new Promise<void>((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      }),
    ...over,
  };
}
