/**
 * Hand-run entry for the venue emulators: `npm run emulator -- <venue> [options]`.
 * Each venue lives in its own folder and exports `run(args)` from its cli module.
 */
const venues: Record<string, () => Promise<{ run(args: string[]): Promise<void> }>> = {
  tws: () => import('./tws/cli'),
  reference: () => import('./reference/cli'),
  alpaca: () => import('./alpaca/cli'),
  binance: () => import('./binance/cli'),
  kraken: () => import('./kraken/cli'),
  coinbase: () => import('./coinbase/cli'),
  bybit: () => import('./bybit/cli'),
  tastytrade: () => import('./tastytrade/cli'),
};

async function main(): Promise<void> {
  const [venue, ...args] = process.argv.slice(2);
  const load = venue === undefined ? undefined : venues[venue];
  if (!load) {
    console.error(`usage: npm run emulator -- <venue> [options]\nvenues: ${Object.keys(venues).join(', ')}`);
    process.exit(2);
  }
  await (await load()).run(args);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
