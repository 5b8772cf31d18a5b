/**
 * Entry of the `tradeport` CLI and of `npm run serve` (built to out/main/cli.js; plain Node, never
 * imports electron). bin/tradeport.cjs requires this file.
 */
import path from 'node:path';
import { version } from '../../package.json';
import { KeytarSecretStore, probeKeychain } from '../engine/ports/secrets-keytar';
import { runCli, type CliIo } from './cli-main';
import { readSecretFromStdin } from './read-secret';
import { chooseSecretStore } from './secret-store-choice';

const io: CliIo = {
  stdout: process.stdout,
  stderr: process.stderr,
  readSecret: (prompt) => readSecretFromStdin(process.stdin, process.stderr, prompt),
  env: process.env,
};

void runCli(process.argv.slice(2), {
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
}).then(
  (code) => {
    process.exitCode = code;
  },
  () => {
    process.exitCode = 1;
  },
);
