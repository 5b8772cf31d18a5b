/**
 * Entry of the `tradeport` CLI and of `npm run serve` (built to out/main/cli.js; plain Node, never
 * imports electron). bin/tradeport.cjs requires this file.
 */
import { processCliDeps } from './cli-deps';
import { runCli } from './cli-main';

void runCli(process.argv.slice(2), processCliDeps()).then(
  (code) => {
    process.exitCode = code;
  },
  () => {
    process.exitCode = 1;
  },
);
