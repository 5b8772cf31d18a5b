/**
 * One case of one benchmark, alone in this process (no JIT state, heap or GC debt shared with the
 * case measured before it). `node --import tsx bench/worker.ts <module> [case]`; prints its result
 * as the last line on stdout, after RESULT_PREFIX. Progress goes to stderr.
 */
import path from 'node:path';
import { RESULT_PREFIX } from './registry';

type CaseFn = () => Promise<Record<string, unknown>>;

async function main(): Promise<void> {
  const [moduleName, caseName] = process.argv.slice(2);
  if (!moduleName || !/^[a-z0-9-]+$/.test(moduleName)) throw new Error(`usage: worker.ts <module> [case]; got module "${moduleName ?? ''}"`);
  const mod = (await import(path.join(__dirname, moduleName))) as { cases?: Record<string, CaseFn>; run?: CaseFn };
  const fn = caseName ? mod.cases?.[caseName] : mod.run;
  if (!fn) throw new Error(`bench/${moduleName}.ts has no ${caseName ? `case "${caseName}"` : 'run()'}`);
  const result = await fn();
  process.stdout.write(`\n${RESULT_PREFIX}${JSON.stringify(result)}\n`);
}

main().then(
  // Some peers leave timers or sockets behind; the result is out, so end here.
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
