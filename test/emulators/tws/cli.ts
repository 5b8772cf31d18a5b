/**
 * `npm run emulator -- tws [--port 7497] [--server-version 176] [--host 127.0.0.1]
 *   [--control-port 7498] [--state-file tws-state.json] [--account DU123456] [--no-auto-fill]`
 */
import { option, stopOnSignal, wantsHelp } from '../kit/cli-args';
import { startControlServer } from './control-http';
import { TwsEmulator } from './server';

export async function run(args: string[]): Promise<void> {
  if (wantsHelp(args)) {
    console.log('usage: npm run emulator -- tws [--port 7497] [--server-version 193|176] [--host 127.0.0.1] [--control-port N] [--state-file FILE] [--account DU123456] [--no-auto-fill]');
    return;
  }
  const port = Number(option(args, '--port') ?? '7497');
  const serverVersion = Number(option(args, '--server-version') ?? '193');
  const controlPort = option(args, '--control-port');
  const account = option(args, '--account');
  const emu = new TwsEmulator({
    port,
    host: option(args, '--host') ?? '127.0.0.1',
    serverVersion,
    accounts: account ? [account] : undefined,
    stateFile: option(args, '--state-file'),
    autoFill: !args.includes('--no-auto-fill'),
    log: (line) => console.log(`[tws] ${line}`),
  });
  emu.on('clientConnected', (id: number) => console.log(`[tws] client ${id} connected`));
  emu.on('clientDisconnected', (id: number | undefined) => console.log(`[tws] client ${id ?? '?'} disconnected`));
  await emu.start();
  if (controlPort !== undefined) {
    const ctl = await startControlServer(emu, Number(controlPort));
    console.log(`[tws] control API on http://127.0.0.1:${ctl.port} (POST /__control/fault, /connectivity, /restart, /fill, /quote, /manual-order …; GET /__control lists them)`);
  }
  stopOnSignal(emu);
}
