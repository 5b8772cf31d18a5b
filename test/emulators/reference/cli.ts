/** `npm run emulator -- reference [--port 7600] [--api-key KEY]`: the reference REST venue, control API under /__control. */
import { ReferenceEmulator } from './server';

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i === -1) return undefined;
  const v = args[i + 1];
  if (v === undefined || v.startsWith('--')) throw new Error(`${name} needs a value`);
  return v;
}

export async function run(args: string[]): Promise<void> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log('usage: npm run emulator -- reference [--port 7600] [--api-key KEY]');
    return;
  }
  const port = Number(option(args, '--port') ?? '7600');
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error('--port must be 0..65535');
  const emu = new ReferenceEmulator({ port, apiKey: option(args, '--api-key') ?? 'ref-key' });
  emu.server.on('request', (r) => console.log(`[reference] ${r.method} ${r.path} → ${r.outcome}`));
  await emu.start();
  console.log(`[reference] REST on ${emu.url}, stream on ${emu.server.streamUrl}, control API on ${emu.url}/__control (GET /__control lists commands)`);
  const shutdown = (): void => {
    void emu.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}
