export { KrakenEmulator, KRAKEN_PAIR, KRAKEN_WS_SYMBOL, type KrakenEmulatorOptions } from './server';
export { bookChecksum, type WireLevel } from './checksum';
export type { KrakenOrder, KrakenTrade } from './orders';

import { KrakenEmulator, type KrakenEmulatorOptions } from './server';

/** Starts a Kraken emulator (REST `url`, WS v2 `wsUrl`, control API under `/__control`). */
export async function startKrakenEmulator(opts: KrakenEmulatorOptions = {}): Promise<KrakenEmulator> {
  const emu = new KrakenEmulator(opts);
  await emu.start();
  return emu;
}
