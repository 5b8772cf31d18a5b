/**
 * The real `tradeport` CLI (argv, secret-store choice, serve, bridge) with one extra venue kind
 * that needs a secret. Run by keystore-serve.test.ts in a process with no D-Bus session.
 */
import { createEngine } from '../../../src-main/engine/engine';
import { VENUE_FACTORIES } from '../../../src-main/engine/venues/registry';
import { processCliDeps } from '../../../src-main/headless/cli-deps';
import { runCli } from '../../../src-main/headless/cli-main';
import { keyedFactory } from './keyed-venue';

const factories = new Map([...VENUE_FACTORIES, ['keyed', keyedFactory(process.env.TP_KEYED_SHA256 ?? '')]]);

void runCli(process.argv.slice(2), processCliDeps({ createEngine: (config) => createEngine({ ...config, venueFactories: factories }) })).then(
  (code) => {
    process.exitCode = code;
  },
  () => {
    process.exitCode = 1;
  },
);
