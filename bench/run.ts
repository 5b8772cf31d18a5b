/**
 * `npm run bench -- <name>` runs one benchmark; with no name runs all and rewrites RESULTS.md.
 * Each benchmark ends by printing one JSON line (its figures) on stdout; progress goes to stderr.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

type Bench = () => Promise<Record<string, unknown>>;

const BENCHES: Record<string, () => Promise<Bench>> = {
  book: async () => (await import('./book')).run,
  limiter: async () => (await import('./limiter')).run,
  journal: async () => (await import('./journal')).run,
  ws_reconnect: async () => (await import('./ws-reconnect')).run,
  ui: async () => (await import('./ui')).run,
  open_orders: async () => (await import('./open-orders')).run,
};

async function main(): Promise<void> {
  const name = process.argv[2];
  if (name !== undefined && !(name in BENCHES)) {
    console.error(`unknown benchmark "${name}"; choose one of: ${Object.keys(BENCHES).join(', ')}`);
    process.exit(2);
  }
  const names = name ? [name] : Object.keys(BENCHES);
  const results: Record<string, unknown>[] = [];
  for (const n of names) {
    const fn = await BENCHES[n]!();
    const r = await fn();
    results.push(r);
    console.log(JSON.stringify(r));
  }
  if (!name) writeResults(results);
}

function machine(): string {
  const cpus = os.cpus();
  return `${cpus[0]?.model ?? 'unknown CPU'} × ${cpus.length} logical cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${os.type()} ${os.release()} ${os.arch()}, Node ${process.version}`;
}

const GOALS: Record<string, (r: Record<string, unknown>) => string> = {
  open_orders: (r) => {
    const ratios = ['place_ratio_1000_vs_100', 'place_ratio_5000_vs_100', 'sweep_ratio_1000_vs_100', 'sweep_ratio_5000_vs_100'].map((k) => r[k] as number);
    return `goal flat, ≤ 1.5× the 100 case: ${ratios.every((x) => x <= 1.5) ? 'met' : 'MISSED'} (place ×${String(r['place_ratio_1000_vs_100'])} / ×${String(r['place_ratio_5000_vs_100'])}, kill-switch sweep per order ×${String(r['sweep_ratio_1000_vs_100'])} / ×${String(r['sweep_ratio_5000_vs_100'])}; answered in ${String(r['kill_switch_answer_ms_5000'])} ms at 5,000)`;
  },
  book: (r) => `goal ≥ 5× ccxt and ≥ 0.5× JSON.parse: ${(r['ratio_vs_ccxt'] as number) >= 5 ? 'met' : 'MISSED'} (×${String(r['ratio_vs_ccxt'])} ccxt), ${(r['ratio_vs_parse'] as number) >= 0.5 ? 'met' : 'MISSED'} (${String(r['ratio_vs_parse'])} of parse); books equal: ${String(r['books_equal'])}`,
  limiter: (r) => `goal ≤ 0.5× ccxt throttler: ${(r['ratio_vs_ccxt'] as number) <= 0.5 ? 'met' : 'MISSED'} (${String(r['ratio_vs_ccxt'])})`,
  journal: (r) => `goal ≥ 0.8× raw fsync: ${(r['ratio_vs_fsync'] as number) >= 0.8 ? 'met' : 'MISSED'} (${String(r['ratio_vs_fsync'])})`,
  ui: (r) =>
    `goal p99 < 16 ms, final state on screen, engine RSS < 150 MB at ≥ 5,000 quotes/s: p99 ${String(r['ms_p99'])} ms ${(r['ms_p99'] as number) < 16 ? 'met' : 'MISSED'}; final state ${r['final_state_on_screen'] ? 'met' : 'MISSED'}; RSS ${String(r['engine_rss_mb_peak'])} MB ${(r['engine_rss_mb_peak'] as number) < 150 ? 'met' : 'MISSED'}; offered ${String(r['offered_quotes_per_s'])}/s ${(r['offered_quotes_per_s'] as number) >= 5000 ? 'met' : 'MISSED'}`,
  ws_reconnect: (r) => `goal < 1000 ms: ${(r['ms_max'] as number) < 1000 ? 'met' : (r['ms_p50'] as number) < 1000 ? 'met at p50, MISSED at max' : 'MISSED'} (p50 ${String(r['ms_p50'])} ms, max ${String(r['ms_max'])} ms)`,
};

function writeResults(results: Record<string, unknown>[]): void {
  const file = path.join(__dirname, 'RESULTS.md');
  const prev = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  // Keep the hand-written notes section; replace the measured block.
  const notesAt = prev.indexOf('## Notes');
  const notes = notesAt >= 0 ? prev.slice(notesAt) : '## Notes\n';
  const lines = [
    '# Benchmark results',
    '',
    `Measured ${new Date().toISOString()} on ${machine()} with \`npm run bench\`.`,
    'Ratios compare against a peer measured in the same run; absolute numbers vary by machine.',
    '',
    '## Figures',
    '',
    ...results.flatMap((r) => [`### ${String(r['bench'])}`, '', '```json', JSON.stringify(r), '```', '', GOALS[String(r['bench'])]?.(r) ?? '', '']),
    notes,
  ];
  fs.writeFileSync(file, lines.join('\n'));
  console.error(`wrote ${file}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
