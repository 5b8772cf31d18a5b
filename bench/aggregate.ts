/**
 * From per-round results to the reported figures: each round's figures (ratios taken within the
 * round), then per figure the median and spread over the rounds; a boolean figure is reported as
 * "true in k of n rounds".
 */
import type { BenchSpec, CaseResult, Figures } from './registry';
import type { BenchSummary } from './results-md';
import { spread } from './stats';

/** A B, then B A, …: a drift of the machine over the run weighs on every case alike. */
export function caseOrder(caseNames: readonly string[], round: number): string[] {
  return round % 2 === 0 ? [...caseNames] : [...caseNames].reverse();
}

/** Default figures: every number and boolean, prefixed by the case name when there are several cases. */
export function defaultFigures(round: Readonly<Record<string, CaseResult>>): Figures {
  const names = Object.keys(round);
  const out: Figures = {};
  for (const [c, r] of Object.entries(round)) {
    for (const [k, v] of Object.entries(r)) if (typeof v === 'number' || typeof v === 'boolean') out[names.length > 1 ? `${c}_${k}` : k] = v;
  }
  return out;
}

export function summarize(spec: BenchSpec, perRound: readonly Figures[]): Pick<BenchSummary, 'name' | 'numbers' | 'flags' | 'goal'> {
  const keys = [...new Set(perRound.flatMap((f) => Object.keys(f)))];
  const numbers: BenchSummary['numbers'] = {};
  const flags: BenchSummary['flags'] = {};
  for (const k of keys) {
    const vals = perRound.map((f) => f[k]);
    if (vals.every((v) => typeof v === 'boolean')) flags[k] = { trueIn: vals.filter((v) => v === true).length, of: vals.length };
    else numbers[k] = spread(vals.map(Number));
  }
  const median = (k: string): number => numbers[k]?.median ?? NaN;
  const always = (k: string): boolean => flags[k] !== undefined && flags[k].trueIn === flags[k].of;
  return { name: spec.name, numbers, flags, goal: spec.goal?.(median, always) ?? '' };
}
