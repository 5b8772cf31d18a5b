/** `npm run emulator -- bybit [--port 7620] [--api-key KEY] [--secret SECRET]`: the Bybit v5 emulator, control API under /__control. */
import { option, portOption, stopOnSignal, wantsHelp } from '../kit/cli-args';
import { BybitEmulator } from './server';

export async function run(args: string[]): Promise<void> {
  if (wantsHelp(args)) {
    console.log('usage: npm run emulator -- bybit [--port 7620] [--api-key KEY] [--secret SECRET]');
    return;
  }
  const emu = new BybitEmulator({ port: portOption(args, 7620), apiKey: option(args, '--api-key') ?? 'bybit-key', secret: option(args, '--secret') ?? 'bybit-secret' });
  emu.server.on('request', (r) => console.log(`[bybit] ${r.method} ${r.path} → ${r.outcome}`));
  await emu.start();
  console.log(`[bybit] REST on ${emu.url}, control API on ${emu.url}/__control (GET /__control lists commands)`);
  stopOnSignal(emu);
}
