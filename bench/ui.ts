/// <reference lib="dom" />
/**
 * Tick-to-screen through the whole headless path: the Paper price source pushed to ≥ 5,000 quote
 * updates/s in a `tradeport serve` child process → WebSocket bridge → the built renderer in
 * Debian Chromium. Latency is measured per DOM update of a quote row: the page's wall clock when
 * the row's `data-quote-ts` changed, minus that quote's engine timestamp (same machine, same
 * clock). Also: the quote rate the bridge really delivered, whether the final state reached the
 * screen once the load stopped, and the engine process's peak RSS.
 *
 * Prerequisite: `npm run build` (the renderer and CLI are served from out/).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from '@playwright/test';
import WebSocket from 'ws';
import type { EngineStats, Snapshot } from '../src-main/engine/api/commands';

const ROOT = path.resolve(__dirname, '..');
const CLI = path.join(ROOT, 'bin/tradeport.cjs');
const LOAD_MS = 10_000;

export function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

export const round2 = (n: number) => Math.round(n * 100) / 100;

export interface Caller {
  (command: 'engine.stats'): Promise<EngineStats>;
  (command: 'snapshot.get'): Promise<Snapshot>;
  (command: string, input?: unknown): Promise<unknown>;
  close(): void;
}

/** A second bridge client for the bench's own calls (stats, snapshot, stopping the load). */
export async function bridgeCaller(url: string): Promise<Caller> {
  const u = new URL(url);
  const token = new URLSearchParams(u.hash.slice(1)).get('token')!;
  const ws = new WebSocket(`ws://${u.host}/bridge`, { headers: { origin: u.origin } });
  const waiting = new Map<number, (v: unknown) => void>();
  let next = 1;
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => ws.send(JSON.stringify({ type: 'hello', token })));
    ws.on('message', (d) => {
      const m = JSON.parse(String(d)) as { type: string; id?: number; result?: { ok: boolean; value?: unknown; error?: unknown } };
      if (m.type === 'welcome') resolve();
      if (m.type === 'result' && m.id !== undefined) {
        if (!m.result?.ok) throw new Error(`bench call failed: ${JSON.stringify(m.result?.error)}`);
        waiting.get(m.id)?.(m.result.value);
        waiting.delete(m.id);
      }
    });
    ws.once('error', reject);
  });
  const call = ((command: string, input: unknown = {}) =>
    new Promise((resolve) => {
      const id = next++;
      waiting.set(id, resolve);
      ws.send(JSON.stringify({ type: 'call', id, command, input }));
    })) as Caller;
  call.close = () => ws.close();
  return call;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export interface LoadedServe {
  readonly dataDir: string;
  readonly child: ChildProcess;
  readonly url: string;
  readonly browser: Browser;
  readonly stats: Caller;
  close(): Promise<void>;
}

/** `tradeport serve` on a fresh data dir with Paper stepped every 2 ms (13 instruments, 24/7: ≈ 6,500 quote updates/s offered), Chromium, and a bridge caller. */
export async function serveUnderLoad(prefix: string): Promise<LoadedServe> {
  if (!fs.existsSync(path.join(ROOT, 'out/main/cli.js')) || !fs.existsSync(path.join(ROOT, 'out/renderer/index.html'))) {
    throw new Error('run `npm run build` first: the UI bench serves the built renderer');
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  execFileSync(process.execPath, [CLI, 'venue', 'set', 'paper', 'tickMs=2', 'market24x7=true', '--data-dir', dataDir, '--json'], { stdio: 'pipe' });

  const child = spawn(process.execPath, [CLI, 'serve', '--json', '--port', '0', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += String(d);
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve((JSON.parse(line) as { value: { url: string } }).value.url);
    });
    child.on('exit', (c) => reject(new Error(`serve exited ${c}`)));
  });

  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const stats = await bridgeCaller(url);
  return {
    dataDir,
    child,
    url,
    browser,
    stats,
    async close() {
      stats.close();
      await browser.close();
      child.kill('SIGINT');
      await new Promise((r) => child.once('exit', r));
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function run(): Promise<Record<string, unknown>> {
  const { child, url, browser, stats, close } = await serveUnderLoad('tp-bench-ui-');
  let peakRss = 0;
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    // Installed before the app runs: every change of a quote row's timestamp is one screen update.
    await page.addInitScript(() => {
      const w = window as unknown as { __lat: number[]; __on: boolean };
      w.__lat = [];
      w.__on = false;
      document.addEventListener('DOMContentLoaded', () => {
        new MutationObserver((muts) => {
          if (!w.__on) return;
          const now = performance.timeOrigin + performance.now();
          for (const m of muts) {
            const ts = Number((m.target as Element).getAttribute('data-quote-ts'));
            if (ts > 0) w.__lat.push(now - ts);
          }
        }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-quote-ts'] });
      });
    });
    await page.goto(url);
    await page.waitForSelector('[data-testid="quote-row"][data-quote-ts]');
    await new Promise((r) => setTimeout(r, 1000));

    const before = await stats('engine.stats');
    await page.evaluate(() => ((window as unknown as { __on: boolean }).__on = true));
    const t0 = Date.now();
    while (Date.now() - t0 < LOAD_MS) {
      await new Promise((r) => setTimeout(r, 250));
      peakRss = Math.max(peakRss, rssMb(child.pid!));
    }
    await page.evaluate(() => ((window as unknown as { __on: boolean }).__on = false));
    const after = await stats('engine.stats');
    const seconds = (after.uptimeMs - before.uptimeMs) / 1000;
    const offered = ((after.events.quote ?? 0) - (before.events.quote ?? 0)) / seconds;
    const sample = (await page.evaluate(() => (window as unknown as { __lat: number[] }).__lat)).sort((a, b) => a - b);

    // Stop the load (tickMs=0 restarts Paper without its timer), then the screen must show each
    // instrument's final quote: conflation may skip intermediate quotes, never the last one.
    await stats('venue.set', { name: 'paper', settings: { tickMs: '0' } });
    await new Promise((r) => setTimeout(r, 1000));
    const snap = await stats('snapshot.get');
    const onScreen = new Map(
      await page.evaluate(() =>
        Array.from(document.querySelectorAll('[data-testid="quote-row"]')).map((r) => [r.getAttribute('data-instrument-id') ?? '', Number(r.getAttribute('data-quote-ts'))] as const),
      ),
    );
    const paperQuotes = snap.quotes.filter((q) => q.venue === 'paper');
    const finalStateOnScreen = paperQuotes.length > 0 && paperQuotes.every((q) => onScreen.get(q.instrumentId) === q.ts);

    return {
      bench: 'ui',
      offered_quotes_per_s: Math.round(offered),
      dom_updates_per_s: Math.round(sample.length / seconds),
      ms_p50: round2(percentile(sample, 50)),
      ms_p99: round2(percentile(sample, 99)),
      ms_max: round2(sample[sample.length - 1] ?? NaN),
      final_state_on_screen: finalStateOnScreen,
      engine_rss_mb_peak: round2(peakRss),
    };
  } finally {
    await close();
  }
}
