/** `npm run emulator -- alpaca [--port 7610] [--key-id K] [--secret S] [--tick-ms 1000]`: control API under /__control. */
import { option, portOption, stopOnSignal, wantsHelp } from '../kit/cli-args';
import { AlpacaEmulator } from './server';

export async function run(args: string[]): Promise<void> {
  if (wantsHelp(args)) {
    console.log('usage: npm run emulator -- alpaca [--port 7610] [--key-id PKEMULATOR] [--secret emulator-secret] [--tick-ms 1000]');
    return;
  }
  const port = portOption(args, 7610);
  const tickMs = Number(option(args, '--tick-ms') ?? '1000');
  if (!Number.isFinite(tickMs) || tickMs < 0) throw new Error('--tick-ms must be ≥ 0');
  const emu = new AlpacaEmulator({ port, keyId: option(args, '--key-id') ?? 'PKEMULATOR', secret: option(args, '--secret') ?? 'emulator-secret', tickMs });
  emu.server.on('request', (r) => console.log(`[alpaca] ${r.method} ${r.path} → ${r.outcome}`));
  await emu.start();
  console.log(
    `[alpaca] trading + data REST on ${emu.url}; trade stream ${emu.server.streamUrl}; data streams ws://127.0.0.1:${emu.server.port}/v2/iex (/v2/sip, /v1beta3/crypto/us); control API ${emu.url}/__control`,
  );
  console.log(`[alpaca] keys: APCA-API-KEY-ID=${emu.keyId} APCA-API-SECRET-KEY=${emu.secret}`);
  stopOnSignal(emu);
}
