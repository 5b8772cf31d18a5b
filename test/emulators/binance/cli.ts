/** `npm run emulator -- binance [--port 7620] [--api-key K] [--api-secret S]`: Binance spot REST, control API under /__control. */
import { option, portOption, stopOnSignal, wantsHelp } from '../kit/cli-args';
import { BinanceEmulator } from './server';

export async function run(args: string[]): Promise<void> {
  if (wantsHelp(args)) {
    console.log('usage: npm run emulator -- binance [--port 7620] [--api-key emulator-key] [--api-secret emulator-secret]');
    return;
  }
  const emu = new BinanceEmulator({ port: portOption(args, 7620), apiKey: option(args, '--api-key') ?? 'emulator-key', apiSecret: option(args, '--api-secret') ?? 'emulator-secret' });
  emu.server.on('request', (r) => console.log(`[binance] ${r.method} ${r.path} → ${r.outcome}`));
  await emu.start();
  console.log(`[binance] REST on ${emu.url}; control API ${emu.url}/__control; keys: ${emu.apiKey} / ${emu.apiSecret}`);
  stopOnSignal(emu);
}
