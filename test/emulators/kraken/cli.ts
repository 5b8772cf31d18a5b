/** `npm run emulator -- kraken [--port 7620] [--api-key KEY] [--api-secret BASE64]`: Kraken spot REST + WS v2, control API under /__control. */
import { option, portOption, stopOnSignal, wantsHelp } from '../kit/cli-args';
import { KrakenEmulator } from './server';

export async function run(args: string[]): Promise<void> {
  if (wantsHelp(args)) {
    console.log('usage: npm run emulator -- kraken [--port 7620] [--api-key KEY] [--api-secret BASE64]');
    return;
  }
  const secret = option(args, '--api-secret');
  const emu = new KrakenEmulator({ port: portOption(args, 7620), apiKey: option(args, '--api-key') ?? 'kraken-key', ...(secret ? { apiSecret: secret } : {}) });
  emu.server.on('request', (r) => console.log(`[kraken] ${r.method} ${r.path} → ${r.outcome}`));
  await emu.start();
  console.log(`[kraken] REST on ${emu.url}, WS v2 on ${emu.wsUrl}, control API on ${emu.url}/__control (GET /__control lists commands)`);
  stopOnSignal(emu);
}
