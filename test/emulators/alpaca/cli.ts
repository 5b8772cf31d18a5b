/** `npm run emulator -- alpaca [--port 7610] [--key-id K] [--secret S] [--tick-ms 1000]`: control API under /__control. */
import { AlpacaEmulator } from './server';

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i === -1) return undefined;
  const v = args[i + 1];
  if (v === undefined || v.startsWith('--')) throw new Error(`${name} needs a value`);
  return v;
}

export async function run(args: string[]): Promise<void> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log('usage: npm run emulator -- alpaca [--port 7610] [--key-id PKEMULATOR] [--secret emulator-secret] [--tick-ms 1000]');
    return;
  }
  const port = Number(option(args, '--port') ?? '7610');
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error('--port must be 0..65535');
  const tickMs = Number(option(args, '--tick-ms') ?? '1000');
  if (!Number.isFinite(tickMs) || tickMs < 0) throw new Error('--tick-ms must be ≥ 0');
  const emu = new AlpacaEmulator({ port, keyId: option(args, '--key-id') ?? 'PKEMULATOR', secret: option(args, '--secret') ?? 'emulator-secret', tickMs });
  emu.server.on('request', (r) => console.log(`[alpaca] ${r.method} ${r.path} → ${r.outcome}`));
  await emu.start();
  console.log(
    `[alpaca] trading + data REST on ${emu.url}; trade stream ${emu.server.streamUrl}; data streams ws://127.0.0.1:${emu.server.port}/v2/iex (/v2/sip, /v1beta3/crypto/us); control API ${emu.url}/__control`,
  );
  console.log(`[alpaca] keys: APCA-API-KEY-ID=${emu.keyId} APCA-API-SECRET-KEY=${emu.secret}`);
  const shutdown = (): void => {
    void emu.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}
