/** `npm run emulator -- reference [--port 7600] [--api-key KEY]`: the reference REST venue, control API under /__control. */
import { option, portOption, stopOnSignal, wantsHelp } from '../kit/cli-args';
import { ReferenceEmulator } from './server';

export async function run(args: string[]): Promise<void> {
  if (wantsHelp(args)) {
    console.log('usage: npm run emulator -- reference [--port 7600] [--api-key KEY]');
    return;
  }
  const port = portOption(args, 7600);
  const emu = new ReferenceEmulator({ port, apiKey: option(args, '--api-key') ?? 'ref-key' });
  emu.server.on('request', (r) => console.log(`[reference] ${r.method} ${r.path} → ${r.outcome}`));
  await emu.start();
  console.log(`[reference] REST on ${emu.url}, stream on ${emu.server.streamUrl}, control API on ${emu.url}/__control (GET /__control lists commands)`);
  stopOnSignal(emu);
}
