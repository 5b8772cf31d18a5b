/**
 * Rewrites the measured part of bench/RESULTS.md: per benchmark, each figure's median over the
 * rounds, its range and interquartile range, and a word on how stable it is. The hand-written
 * "## Notes" section below is kept as it is.
 */
import fs from 'node:fs';
import os from 'node:os';
import { fmt, stability, type Spread } from './stats';

export interface BenchSummary {
  readonly name: string;
  readonly rounds: number;
  readonly seconds: number;
  /** 1-minute load average when the benchmark started and when it ended. */
  readonly load: readonly number[];
  readonly numbers: Record<string, Spread>;
  readonly flags: Record<string, { trueIn: number; of: number }>;
  readonly goal: string;
}

function machine(): string {
  const cpus = os.cpus();
  return `${cpus[0]?.model ?? 'unknown CPU'} × ${cpus.length} logical cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${os.type()} ${os.release()} ${os.arch()}, Node ${process.version}`;
}

function table(s: BenchSummary): string[] {
  const rows = ['| figure | median | min – max | IQR (q1 – q3) | IQR / median | stability |', '|---|---:|---:|---:|---:|---|'];
  for (const [k, v] of Object.entries(s.numbers))
    rows.push(`| ${k} | ${fmt(v.median)} | ${fmt(v.min)} – ${fmt(v.max)} | ${fmt(v.q1)} – ${fmt(v.q3)} | ${(v.relIqr * 100).toFixed(1)} % | ${stability(v)} |`);
  for (const [k, v] of Object.entries(s.flags)) rows.push(`| ${k} | true in ${v.trueIn}/${v.of} rounds | | | | |`);
  return rows;
}

function section(s: BenchSummary): string {
  return [
    `### ${s.name}`,
    '',
    `Measured ${new Date().toISOString()}: ${s.rounds} rounds in ${s.seconds} s; 1-minute load average ${s.load.map((l) => l.toFixed(2)).join(' → ')} (2 cores).`,
    '',
    ...table(s),
    '',
    s.goal,
    '',
  ].join('\n');
}

/** The "### name" sections of the current figures, so a partial run (`--record`) replaces only its own. */
function previousSections(prev: string): Map<string, string> {
  const out = new Map<string, string>();
  const figuresAt = prev.indexOf('## Figures');
  const notesAt = prev.indexOf('## Notes');
  if (figuresAt < 0) return out;
  const body = prev.slice(figuresAt, notesAt >= 0 ? notesAt : undefined);
  for (const part of body.split(/^(?=### )/m).slice(1)) out.set(part.slice(4, part.indexOf('\n')).trim(), part.trimEnd() + '\n');
  return out;
}

/** Rewrites RESULTS.md: the sections of `summaries` replace their old ones; the others and the notes stay. */
export function writeResults(file: string, summaries: readonly BenchSummary[], order: readonly string[]): void {
  const prev = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const notesAt = prev.indexOf('## Notes');
  const notes = notesAt >= 0 ? prev.slice(notesAt) : '## Notes\n';
  const sections = previousSections(prev);
  for (const s of summaries) sections.set(s.name, section(s));
  const names = [...order.filter((n) => sections.has(n)), ...[...sections.keys()].filter((n) => !order.includes(n))];
  const lines = [
    '# Benchmark results',
    '',
    `Machine: ${machine()}; \`npm run bench\`.`,
    'Each case ran in its own Node process, the cases of a benchmark interleaved round by round (A B, B A, …);',
    'ratios are taken within a round (cases measured side by side) and every figure is the median over the rounds.',
    'Stability: IQR / median below 5 % is "stable", below 15 % "fair", above that "noisy".',
    '',
    '## Figures',
    '',
    ...names.map((n) => sections.get(n)!),
    notes,
  ];
  fs.writeFileSync(file, lines.join('\n'));
  console.error(`wrote ${file}`);
}
