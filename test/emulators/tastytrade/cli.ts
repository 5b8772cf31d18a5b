/** `npm run emulator -- tastytrade [--port 7620] [--account 5WT00001] [--client-secret S] [--refresh-token R]`: control API under /__control. */
import { option, portOption, stopOnSignal, wantsHelp } from '../kit/cli-args';
import { TastytradeEmulator } from './server';

export async function run(args: string[]): Promise<void> {
  if (wantsHelp(args)) {
    console.log('usage: npm run emulator -- tastytrade [--port 7620] [--account 5WT00001] [--client-secret emulator-client-secret] [--refresh-token emulator-refresh-token]');
    return;
  }
  const emu = new TastytradeEmulator({
    port: portOption(args, 7620),
    account: option(args, '--account') ?? '5WT00001',
    clientSecret: option(args, '--client-secret') ?? 'emulator-client-secret',
    refreshToken: option(args, '--refresh-token') ?? 'emulator-refresh-token',
  });
  emu.server.on('request', (r) => console.log(`[tastytrade] ${r.method} ${r.path} → ${r.outcome}`));
  await emu.start();
  console.log(`[tastytrade] REST on ${emu.url}; account streamer ${emu.streamerUrl}; DXLink ws://127.0.0.1:${emu.server.port}/dxlink; control API ${emu.url}/__control`);
  console.log(`[tastytrade] account ${emu.accountNumber}; clientSecret=${emu.clientSecret} refreshToken=${emu.refreshToken}`);
  stopOnSignal(emu);
}
