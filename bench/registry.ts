/**
 * Every benchmark `npm run bench` knows. A benchmark is a set of cases; each case is measured in a
 * process of its own, once per round, and the rounds interleave the cases (A B, then B A, …) so a
 * ratio compares two measurements taken side by side. Figures are computed per round and reported
 * as the median over the rounds with their spread.
 *
 * To add a benchmark: write `bench/<name>.ts` exporting either `cases` (one async function per
 * case, each returning flat figures) or a single `run()` (one case), and add an entry below.
 */
export type CaseResult = Readonly<Record<string, unknown>>;
export type Figures = Record<string, number | boolean>;

export interface CaseRef {
  /** Module under bench/, without extension. */
  readonly module: string;
  /** Key in the module's `cases`; absent: the module's `run()`. */
  readonly case?: string;
}

export interface BenchSpec {
  readonly name: string;
  readonly cases: Readonly<Record<string, CaseRef>>;
  /** One round's figures from its cases' results; default: every number and boolean the cases return. */
  readonly figures?: (round: Readonly<Record<string, CaseResult>>) => Figures;
  readonly rounds?: number;
  /** The goal, judged on the medians. */
  readonly goal?: (median: (figure: string) => number, always: (figure: string) => boolean) => string;
}

export const DEFAULT_ROUNDS = 10;

/** How a worker marks its result line on stdout (bench/worker.ts). */
export const RESULT_PREFIX = 'BENCH_CASE_RESULT ';

const num = (r: CaseResult | undefined, k: string): number => Number(r?.[k]);
const met = (ok: boolean): string => (ok ? 'met' : 'MISSED');

export const BENCHES: readonly BenchSpec[] = [
  {
    name: 'book',
    cases: { ours: { module: 'book', case: 'ours' }, ccxt: { module: 'book', case: 'ccxt' }, parse: { module: 'book', case: 'parse' }, ours_json: { module: 'book', case: 'ours_json' } },
    // Ratios in CPU time (what a message costs); wall-time figures beside them show the machine's load.
    figures: (r) => ({
      ours_msgs_per_cpu_s: num(r.ours, 'msgs_per_cpu_s'),
      ccxt_msgs_per_cpu_s: num(r.ccxt, 'msgs_per_cpu_s'),
      parse_msgs_per_cpu_s: num(r.parse, 'msgs_per_cpu_s'),
      ours_json_msgs_per_cpu_s: num(r.ours_json, 'msgs_per_cpu_s'),
      ratio_vs_ccxt: num(r.ours, 'msgs_per_cpu_s') / num(r.ccxt, 'msgs_per_cpu_s'),
      ratio_vs_parse: num(r.ours, 'msgs_per_cpu_s') / num(r.parse, 'msgs_per_cpu_s'),
      ratio_json_path_vs_ccxt: num(r.ours_json, 'msgs_per_cpu_s') / num(r.ccxt, 'msgs_per_cpu_s'),
      ours_msgs_per_s_wall: num(r.ours, 'msgs_per_s'),
      ccxt_msgs_per_s_wall: num(r.ccxt, 'msgs_per_s'),
      ratio_vs_ccxt_wall: num(r.ours, 'msgs_per_s') / num(r.ccxt, 'msgs_per_s'),
      books_equal: r.ours?.book === r.ccxt?.book && r.ours?.book === r.ours_json?.book && typeof r.ours?.book === 'string',
    }),
    goal: (m, always) =>
      `goal ≥ 5× ccxt and ≥ 0.5× JSON.parse (CPU time): ${met(m('ratio_vs_ccxt') >= 5)} (×${m('ratio_vs_ccxt').toFixed(2)} ccxt), ${met(m('ratio_vs_parse') >= 0.5)} (${m('ratio_vs_parse').toFixed(2)} of parse); books equal in every round: ${always('books_equal')}`,
  },
  {
    // Coinbase level2 (issue 12): the `book` stream in Coinbase's l2_data shape; ours = the connector's text fast path.
    name: 'coinbase-book',
    cases: {
      ours: { module: 'coinbase-book', case: 'ours' },
      ccxt: { module: 'coinbase-book', case: 'ccxt' },
      parse: { module: 'coinbase-book', case: 'parse' },
      ours_json: { module: 'coinbase-book', case: 'ours_json' },
    },
    figures: (r) => ({
      ours_msgs_per_cpu_s: num(r.ours, 'msgs_per_cpu_s'),
      ccxt_msgs_per_cpu_s: num(r.ccxt, 'msgs_per_cpu_s'),
      parse_msgs_per_cpu_s: num(r.parse, 'msgs_per_cpu_s'),
      ours_json_msgs_per_cpu_s: num(r.ours_json, 'msgs_per_cpu_s'),
      ratio_vs_ccxt: num(r.ours, 'msgs_per_cpu_s') / num(r.ccxt, 'msgs_per_cpu_s'),
      ratio_json_path_vs_ccxt: num(r.ours_json, 'msgs_per_cpu_s') / num(r.ccxt, 'msgs_per_cpu_s'),
      ratio_vs_ccxt_wall: num(r.ours, 'msgs_per_s') / num(r.ccxt, 'msgs_per_s'),
      books_equal: r.ours?.book === r.ccxt?.book && r.ours?.book === r.ours_json?.book && typeof r.ours?.book === 'string',
    }),
    goal: (m, always) => `goal ≥ 5× ccxt (CPU time): ${met(m('ratio_vs_ccxt') >= 5)} (×${m('ratio_vs_ccxt').toFixed(2)} ccxt); books equal in every round: ${always('books_equal')}`,
  },
  {
    name: 'limiter',
    cases: {
      ours: { module: 'limiter', case: 'ours' },
      ccxt: { module: 'limiter', case: 'ccxt' },
      limiter: { module: 'limiter', case: 'limiter' },
      p_limit: { module: 'limiter', case: 'p_limit' },
      ours_try_sync: { module: 'limiter', case: 'ours_try_sync' },
    },
    // CPU time per acquire is the cost compared; wall time is reported beside it.
    figures: (r) => ({
      ours_cpu_ns: num(r.ours, 'cpu_ns'),
      ccxt_cpu_ns: num(r.ccxt, 'cpu_ns'),
      ratio_vs_ccxt: num(r.ours, 'cpu_ns') / num(r.ccxt, 'cpu_ns'),
      limiter_cpu_ns: num(r.limiter, 'cpu_ns'),
      p_limit_cpu_ns: num(r.p_limit, 'cpu_ns'),
      ours_try_acquire_cpu_ns: num(r.ours_try_sync, 'cpu_ns'),
      ours_ns_wall: num(r.ours, 'ns'),
      ccxt_ns_wall: num(r.ccxt, 'ns'),
      ratio_vs_ccxt_wall: num(r.ours, 'ns') / num(r.ccxt, 'ns'),
    }),
    goal: (m) => `goal ≤ 0.5× ccxt throttler (CPU time): ${met(m('ratio_vs_ccxt') <= 0.5)} (${m('ratio_vs_ccxt').toFixed(3)})`,
  },
  {
    name: 'journal',
    cases: { journal: { module: 'journal', case: 'journal' }, fsync: { module: 'journal', case: 'fsync' } },
    figures: (r) => ({ ours_per_s: num(r.journal, 'per_s'), fsync_per_s: num(r.fsync, 'per_s'), ratio_vs_fsync: num(r.journal, 'per_s') / num(r.fsync, 'per_s') }),
    goal: (m) => `goal ≥ 0.8× raw fsync: ${met(m('ratio_vs_fsync') >= 0.8)} (${m('ratio_vs_fsync').toFixed(2)})`,
  },
  {
    name: 'ws_reconnect',
    cases: { reconnect: { module: 'ws-reconnect', case: 'reconnect' } },
    goal: (m) => `goal < 1000 ms: ${m('ms_max') < 1000 ? 'met' : m('ms_p50') < 1000 ? 'met at p50, MISSED at max' : 'MISSED'} (p50 ${m('ms_p50')} ms, max ${m('ms_max')} ms; medians over rounds)`,
  },
  {
    name: 'ui',
    cases: { ui: { module: 'ui' } },
    goal: (m, always) =>
      `goal p99 < 16 ms, final state on screen, engine RSS < 150 MB at ≥ 5,000 quotes/s: p99 ${m('ms_p99')} ms ${met(m('ms_p99') < 16)}; final state in every round ${met(always('final_state_on_screen'))}; RSS ${m('engine_rss_mb_peak').toFixed(1)} MB ${met(m('engine_rss_mb_peak') < 150)}; offered ${Math.round(m('offered_quotes_per_s'))}/s ${met(m('offered_quotes_per_s') >= 5000)}`,
  },
  {
    // Issue 18: the ladder open on the busiest instrument under the same load; its tick-to-screen p99 as a ratio to the quotes table's in the same page and run.
    name: 'ui_ladder',
    cases: { ladder: { module: 'ui-ladder' } },
    rounds: 3,
    goal: (m) =>
      `goal ladder p99 ≤ the quotes table's (same page, same run) and < 16 ms at ≥ 5,000 quotes/s: ratio ${m('ratio_ladder_vs_quotes_p99').toFixed(2)} ${met(m('ratio_ladder_vs_quotes_p99') <= 1)}; ladder p99 ${m('ladder_ms_p99')} ms ${met(m('ladder_ms_p99') < 16)}; dropped frames ${m('dropped_frames_per_s')}/s; offered ${Math.round(m('offered_quotes_per_s'))}/s ${met(m('offered_quotes_per_s') >= 5000)}`,
  },
  {
    // Place and kill-switch cost with 100 / 1,000 / 5,000 orders already open, as ratios to the 100
    // case measured in the same process (issue 9). Seeding 5,000 orders takes a while: 3 rounds.
    name: 'open_orders',
    cases: { run: { module: 'open-orders' } },
    rounds: 3,
    goal: (m) => {
      const keys = ['place_ratio_1000_vs_100', 'place_ratio_5000_vs_100', 'sweep_ratio_1000_vs_100', 'sweep_ratio_5000_vs_100'];
      const ok = keys.every((k) => m(k) <= 1.5);
      return `goal flat, ≤ 1.5× the 100 case: ${met(ok)} (place ×${m(keys[0]!).toFixed(2)} / ×${m(keys[1]!).toFixed(2)}, kill-switch sweep per order ×${m(keys[2]!).toFixed(2)} / ×${m(keys[3]!).toFixed(2)}; answered in ${m('kill_switch_answer_ms_5000').toFixed(0)} ms at 5,000)`;
    },
  },
  {
    // Issue 17: the lot ledger rebuilt from 100,000 fills (its own read included) vs the read alone.
    name: 'ledger',
    cases: { read: { module: 'ledger', case: 'read' }, rebuild: { module: 'ledger', case: 'rebuild' } },
    // Each case seeds its own 100,000-fill journal first: 5 rounds.
    rounds: 5,
    figures: (r) => ({
      read_cpu_ms: num(r.read, 'cpu_ms'),
      rebuild_cpu_ms: num(r.rebuild, 'cpu_ms'),
      ratio_read_vs_rebuild: num(r.read, 'cpu_ms') / num(r.rebuild, 'cpu_ms'),
      read_wall_ms: num(r.read, 'wall_ms'),
      rebuild_wall_ms: num(r.rebuild, 'wall_ms'),
      wash_pass_cpu_ms: num(r.rebuild, 'wash_cpu_ms'),
      closes: num(r.rebuild, 'closes'),
      open_lots: num(r.rebuild, 'open_lots'),
      wash_sales: num(r.rebuild, 'wash_sales'),
    }),
    goal: (m) => `goal ≥ 0.5× the read alone (CPU time; the rebuild includes its read): ${met(m('ratio_read_vs_rebuild') >= 0.5)} (${m('ratio_read_vs_rebuild').toFixed(2)})`,
  },
  {
    // Kraken WS v2 book with the CRC32 checksum verified on every message, ours against ccxt.pro kraken on the same stream (issue 13).
    name: 'kraken-book',
    cases: { ours: { module: 'kraken-book', case: 'ours' }, ccxt: { module: 'kraken-book', case: 'ccxt' }, parse: { module: 'kraken-book', case: 'parse' } },
    rounds: 5,
    figures: (r) => ({
      ours_msgs_per_cpu_s: num(r.ours, 'msgs_per_cpu_s'),
      ccxt_msgs_per_cpu_s: num(r.ccxt, 'msgs_per_cpu_s'),
      parse_msgs_per_cpu_s: num(r.parse, 'msgs_per_cpu_s'),
      ratio_vs_ccxt: num(r.ours, 'msgs_per_cpu_s') / num(r.ccxt, 'msgs_per_cpu_s'),
      ratio_vs_parse: num(r.ours, 'msgs_per_cpu_s') / num(r.parse, 'msgs_per_cpu_s'),
      ratio_vs_ccxt_wall: num(r.ours, 'msgs_per_s') / num(r.ccxt, 'msgs_per_s'),
      books_equal: r.ours?.book === r.ccxt?.book && typeof r.ours?.book === 'string',
    }),
    goal: (m, always) =>
      `goal ≥ 5× ccxt (CPU time, checksums verified on both sides): ${met(m('ratio_vs_ccxt') >= 5)} (×${m('ratio_vs_ccxt').toFixed(2)}); books equal in every round: ${always('books_equal')}`,
  },
  {
    // Issue 16: 200 running strategies (grids and dips, which read every quote) against none, same run.
    name: 'strategies',
    cases: { none: { module: 'strategies', case: 'none' }, with200: { module: 'strategies', case: 'with200' } },
    rounds: 3,
    figures: (r) => ({
      none_cpu_us_per_quote: num(r.none, 'cpu_us_per_quote'),
      with200_cpu_us_per_quote: num(r.with200, 'cpu_us_per_quote'),
      added_cpu_us_per_quote: num(r.with200, 'cpu_us_per_quote') - num(r.none, 'cpu_us_per_quote'),
      ratio_vs_none: num(r.with200, 'cpu_us_per_quote') / num(r.none, 'cpu_us_per_quote'),
      trigger_ms_p50: num(r.with200, 'trigger_ms_p50'),
      trigger_ms_p99: num(r.with200, 'trigger_ms_p99'),
      none_trigger_ms_p99: num(r.none, 'trigger_ms_p99'),
      trigger_p99_ratio_vs_none: num(r.with200, 'trigger_ms_p99') / num(r.none, 'trigger_ms_p99'),
    }),
    goal: (m) =>
      `200 strategies add ${m('added_cpu_us_per_quote').toFixed(1)} µs CPU per quote (×${m('ratio_vs_none').toFixed(2)} of none: at 5,000 quotes/s that is ${((m('with200_cpu_us_per_quote') * 5000) / 1e4).toFixed(0)} % of a core); tick→order p99 ${m('trigger_ms_p99').toFixed(1)} ms (×${m('trigger_p99_ratio_vs_none').toFixed(1)} of a lone dip's)`,
  },
];
