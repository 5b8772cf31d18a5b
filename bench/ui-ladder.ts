/// <reference lib="dom" />
/**
 * The UI bench with the DOM ladder open (issue 18): the same headless path as bench/ui.ts (Paper
 * at ≥ 5,000 quote updates/s → bridge → the built renderer in Chromium, 1600×1000 so the ladder
 * column is open), the ladder watching the busiest instrument (the one whose quote row changed
 * most in a first second). Measured in the same page and the same run:
 *  - ladder tick-to-screen: page wall clock when the ladder table's `data-book-ts` changed, minus
 *    that book's engine timestamp;
 *  - the quotes table's tick-to-screen (its rows' `data-quote-ts`), the peer: the ladder's p99 is
 *    reported as a ratio to it;
 *  - dropped frames: animation-frame gaps beyond one 60 Hz frame, counted in missed frames.
 */
import { percentile, round2, serveUnderLoad } from './ui';

const LOAD_MS = 10_000;
const FRAME_MS = 1000 / 60;

interface Probe {
  __quotes: number[];
  __ladder: number[];
  __frames: number[];
  __counts: Record<string, number>;
  __on: boolean;
}

export async function run(): Promise<Record<string, unknown>> {
  const { url, browser, stats, close } = await serveUnderLoad('tp-bench-ladder-');
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await page.addInitScript(() => {
      const w = window as unknown as Probe;
      w.__quotes = [];
      w.__ladder = [];
      w.__frames = [];
      w.__counts = {};
      w.__on = false;
      document.addEventListener('DOMContentLoaded', () => {
        new MutationObserver((muts) => {
          const now = performance.timeOrigin + performance.now();
          for (const m of muts) {
            const el = m.target as Element;
            if (m.attributeName === 'data-quote-ts') {
              const id = el.getAttribute('data-instrument-id') ?? '';
              w.__counts[id] = (w.__counts[id] ?? 0) + 1;
              const ts = Number(el.getAttribute('data-quote-ts'));
              if (w.__on && ts > 0) w.__quotes.push(now - ts);
            } else if (w.__on) {
              const ts = Number(el.getAttribute('data-book-ts'));
              if (ts > 0) w.__ladder.push(now - ts);
            }
          }
        }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-quote-ts', 'data-book-ts'] });
      });
    });
    // Plain text: the bundler's name helper (`__name`) would not exist in the page.
    await page.addInitScript({
      content:
        'var __prevFrame = 0; function __frame(t) { if (window.__on && __prevFrame > 0) window.__frames.push(t - __prevFrame); __prevFrame = t; requestAnimationFrame(__frame); } requestAnimationFrame(__frame);',
    });
    await page.goto(url);
    await page.waitForSelector('[data-testid="quote-row"][data-quote-ts]');
    await new Promise((r) => setTimeout(r, 1000));
    // The busiest instrument: the most quote-row updates so far.
    const counts = await page.evaluate(() => (window as unknown as Probe).__counts);
    const busiest = Object.entries(counts).sort((a, b) => b[1] - a[1])[0]![0];
    await page.click(`[data-testid="quote-row"][data-instrument-id="${busiest}"]`);
    await page.waitForSelector('[data-testid="ladder-table"][data-book-ts]');
    await new Promise((r) => setTimeout(r, 1000));

    const before = await stats('engine.stats');
    await page.evaluate(() => ((window as unknown as Probe).__on = true));
    await new Promise((r) => setTimeout(r, LOAD_MS));
    await page.evaluate(() => ((window as unknown as Probe).__on = false));
    const after = await stats('engine.stats');
    const seconds = (after.uptimeMs - before.uptimeMs) / 1000;
    const offered = ((after.events.quote ?? 0) - (before.events.quote ?? 0)) / seconds;
    const books = ((after.events.book ?? 0) - (before.events.book ?? 0)) / seconds;
    const probe = await page.evaluate(() => {
      const w = window as unknown as Probe;
      return { quotes: w.__quotes, ladder: w.__ladder, frames: w.__frames };
    });
    const quotes = probe.quotes.sort((a, b) => a - b);
    const ladder = probe.ladder.sort((a, b) => a - b);
    const dropped = probe.frames.reduce((n, dt) => n + Math.max(0, Math.round(dt / FRAME_MS) - 1), 0);
    const ladderP99 = percentile(ladder, 99);
    const quotesP99 = percentile(quotes, 99);
    return {
      bench: 'ui_ladder',
      busiest,
      offered_quotes_per_s: Math.round(offered),
      book_events_per_s: Math.round(books),
      ladder_draws_per_s: Math.round(ladder.length / seconds),
      ladder_ms_p50: round2(percentile(ladder, 50)),
      ladder_ms_p99: round2(ladderP99),
      quotes_ms_p99: round2(quotesP99),
      ratio_ladder_vs_quotes_p99: round2(ladderP99 / quotesP99),
      frames_per_s: round2(probe.frames.length / seconds),
      dropped_frames: dropped,
      dropped_frames_per_s: round2(dropped / seconds),
    };
  } finally {
    await close();
  }
}
