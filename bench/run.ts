/**
 * `npm run bench [-- <name>…] [--rounds N] [--record]`: runs the benchmarks of bench/registry.ts,
 * each case in its own process, cases interleaved round by round, and prints each figure's median
 * and spread. With no name it runs them all and rewrites the measured part of RESULTS.md; with
 * --record, the named ones replace their own sections there.
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { caseOrder, defaultFigures, summarize } from './aggregate';
import { BENCHES, DEFAULT_ROUNDS, RESULT_PREFIX, type BenchSpec, type CaseResult, type Figures } from './registry';
import { writeResults, type BenchSummary } from './results-md';
import { fmt, stability } from './stats';

const ROOT = path.resolve(__dirname, '..');

function parseArgs(argv: readonly string[]): { names: string[]; rounds?: number; record: boolean } {
  const names: string[] = [];
  let rounds: number | undefined;
  let record = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--record') record = true;
    else if (a === '--rounds') {
      rounds = Number(argv[++i]);
      if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds needs a whole number ≥ 1');
    } else names.push(a);
  }
  return { names, record, ...(rounds !== undefined ? { rounds } : {}) };
}

/** Runs one case in a fresh Node process and returns what it printed after RESULT_PREFIX. */
function runCase(spec: BenchSpec, caseName: string): Promise<CaseResult> {
  const ref = spec.cases[caseName]!;
  const args = ['--import', 'tsx', path.join(__dirname, 'worker.ts'), ref.module, ...(ref.case ? [ref.case] : [])];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
      if (code !== 0 || !line) return reject(new Error(`${spec.name}/${caseName} failed (exit ${code})`));
      resolve(JSON.parse(line.slice(RESULT_PREFIX.length)) as CaseResult);
    });
  });
}

async function runBench(spec: BenchSpec, roundsFlag?: number): Promise<BenchSummary> {
  const rounds = roundsFlag ?? spec.rounds ?? DEFAULT_ROUNDS;
  const caseNames = Object.keys(spec.cases);
  const perRound: Figures[] = [];
  const loadBefore = os.loadavg()[0]!;
  const t0 = Date.now();
  for (let r = 0; r < rounds; r++) {
    const results: Record<string, CaseResult> = {};
    for (const c of caseOrder(caseNames, r)) results[c] = await runCase(spec, c);
    const figures = (spec.figures ?? defaultFigures)(results);
    perRound.push(figures);
    console.error(
      `${spec.name} round ${r + 1}/${rounds}: ${Object.entries(figures)
        .map(([k, v]) => `${k} ${typeof v === 'number' ? fmt(v) : String(v)}`)
        .join(', ')}`,
    );
  }
  const summary = summarize(spec, perRound);
  return { ...summary, rounds, seconds: Math.round((Date.now() - t0) / 1000), load: [loadBefore, os.loadavg()[0]!] };
}

function printSummary(s: BenchSummary): void {
  console.log(`\n${s.name} (${s.rounds} rounds, ${s.seconds} s, load ${s.load.map((l) => l.toFixed(2)).join(' → ')})`);
  for (const [k, v] of Object.entries(s.numbers))
    console.log(`  ${k.padEnd(26)} median ${fmt(v.median).padStart(9)}  range ${fmt(v.min)}–${fmt(v.max)}  IQR ${fmt(v.q1)}–${fmt(v.q3)} (${(v.relIqr * 100).toFixed(1)} %, ${stability(v)})`);
  for (const [k, v] of Object.entries(s.flags)) console.log(`  ${k.padEnd(26)} true in ${v.trueIn}/${v.of} rounds`);
  if (s.goal) console.log(`  ${s.goal}`);
}

async function main(): Promise<void> {
  const { names, rounds, record } = parseArgs(process.argv.slice(2));
  const unknown = names.filter((n) => !BENCHES.some((b) => b.name === n));
  if (unknown.length) {
    console.error(`unknown benchmark ${unknown.map((n) => `"${n}"`).join(', ')}; choose from: ${BENCHES.map((b) => b.name).join(', ')}`);
    process.exit(2);
  }
  const chosen = names.length ? BENCHES.filter((b) => names.includes(b.name)) : BENCHES;
  const summaries: BenchSummary[] = [];
  for (const spec of chosen) {
    const s = await runBench(spec, rounds);
    printSummary(s);
    summaries.push(s);
  }
  if (names.length === 0 || record)
    writeResults(
      path.join(__dirname, 'RESULTS.md'),
      summaries,
      BENCHES.map((b) => b.name),
    );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
