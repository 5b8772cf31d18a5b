import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { caseOrder, defaultFigures, summarize } from '../../../bench/aggregate';
import { BENCHES, type BenchSpec } from '../../../bench/registry';
import { writeResults, type BenchSummary } from '../../../bench/results-md';
import { quantile, spread, stability } from '../../../bench/stats';

describe('benchmark statistics', () => {
  it('takes the median and interquartile range of the rounds', () => {
    const s = spread([5, 1, 4, 2, 3, 100]);
    expect(s).toMatchObject({ n: 6, min: 1, max: 100, median: 3.5, q1: 2.25, q3: 4.75 });
    expect(s.relIqr).toBeCloseTo(2.5 / 3.5);
    expect(quantile([7], 0.75)).toBe(7);
  });

  it('calls a figure stable, fair or noisy by its IQR relative to the median', () => {
    expect(stability(spread([100, 101, 102, 103]))).toBe('stable');
    expect(stability(spread([100, 105, 110, 115]))).toBe('fair');
    expect(stability(spread([0.33, 1.15, 1.22, 1.24]))).toBe('noisy');
  });
});

describe('benchmark runner', () => {
  it('interleaves the cases, reversing the order every other round', () => {
    expect([0, 1, 2, 3].map((r) => caseOrder(['ours', 'ccxt'], r).join(' '))).toEqual(['ours ccxt', 'ccxt ours', 'ours ccxt', 'ccxt ours']);
  });

  it('reports ratios taken within each round, and booleans as true-in-k-of-n', () => {
    const limiter = BENCHES.find((b) => b.name === 'limiter')!;
    // ccxt got twice as slow in round 2: the within-round ratio stays 0.5, a ratio of medians would not.
    const rounds = [
      { ours: { ns: 100, cpu_ns: 100 }, ccxt: { ns: 200, cpu_ns: 200 } },
      { ours: { ns: 200, cpu_ns: 200 }, ccxt: { ns: 400, cpu_ns: 400 } },
      { ours: { ns: 110, cpu_ns: 110 }, ccxt: { ns: 220, cpu_ns: 220 } },
    ].map((r) => limiter.figures!(r));
    const s = summarize(limiter, rounds);
    expect(s.numbers.ratio_vs_ccxt).toMatchObject({ median: 0.5, min: 0.5, max: 0.5 });
    expect(s.goal).toMatch(/met \(0\.500\)/);

    const spec: BenchSpec = { name: 'x', cases: { a: { module: 'x' } } };
    const flags = summarize(spec, [defaultFigures({ a: { ok: true, ms: 3, bench: 'x' } }), defaultFigures({ a: { ok: false, ms: 5, bench: 'x' } })]);
    expect(flags.flags.ok).toEqual({ trueIn: 1, of: 2 });
    expect(flags.numbers.ms?.median).toBe(4);
    expect(Object.keys(flags.numbers)).toEqual(['ms']);
  });

  it('every registered case names a bench module that exports it', () => {
    for (const b of BENCHES) {
      for (const [name, ref] of Object.entries(b.cases)) {
        const file = path.resolve(__dirname, '../../../bench', `${ref.module}.ts`);
        expect(fs.existsSync(file), `${b.name}/${name}: ${file}`).toBe(true);
        const src = fs.readFileSync(file, 'utf8');
        // Checked in the source: importing the modules would load ccxt and Playwright here.
        if (ref.case) expect(src, `${b.name}/${name}`).toMatch(new RegExp(`export const cases[\\s\\S]*\\b${ref.case}:`));
        else expect(src, `${b.name}/${name}`).toMatch(/export async function run\(/);
      }
    }
  });
});

describe('RESULTS.md', () => {
  it('a partial run replaces only its own sections and keeps the notes', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tp-bench-md-'));
    try {
      const file = path.join(dir, 'RESULTS.md');
      fs.writeFileSync(file, '# old\n\n## Notes\n\n- hand-written note\n');
      const summary = (name: string, median: number): BenchSummary => ({ name, rounds: 10, seconds: 1, load: [1, 2], numbers: { x: spread([median]) }, flags: {}, goal: `goal of ${name}` });
      const order = ['a', 'b'];
      writeResults(file, [summary('b', 2), summary('a', 1)], order);
      writeResults(file, [summary('b', 3)], order);
      const text = fs.readFileSync(file, 'utf8');
      expect(text.indexOf('### a')).toBeLessThan(text.indexOf('### b'));
      expect(text).toContain('| x | 1 |');
      expect(text).toContain('| x | 3 |');
      expect(text).not.toContain('| x | 2 |');
      expect(text.match(/### b/g)).toHaveLength(1);
      expect(text).toMatch(/## Notes\n\n- hand-written note\n$/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
