/** `npm run emulator -- coinbase [--port 7620]`: prints a fresh CDP key name + PEM to use against it; control API under /__control. */
import { generateKeyPairSync } from 'node:crypto';
import { option, portOption, stopOnSignal, wantsHelp } from '../kit/cli-args';
import { CoinbaseEmulator } from './server';

export async function run(args: string[]): Promise<void> {
  if (wantsHelp(args)) {
    console.log('usage: npm run emulator -- coinbase [--port 7620] [--key-name organizations/emulator/apiKeys/emulator]');
    return;
  }
  const keyName = option(args, '--key-name') ?? 'organizations/emulator/apiKeys/emulator';
  const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const emu = new CoinbaseEmulator({ port: portOption(args, 7620), keyName, publicKey: pair.publicKey });
  emu.server.on('request', (r) => console.log(`[coinbase] ${r.method} ${r.path} → ${r.outcome}`));
  await emu.start();
  console.log(`[coinbase] REST ${emu.url}/api/v3/brokerage; control API ${emu.url}/__control`);
  console.log(`[coinbase] apiKeyName=${keyName}`);
  console.log(`[coinbase] apiPrivateKey=\n${pair.privateKey.export({ type: 'sec1', format: 'pem' }).toString()}`);
  stopOnSignal(emu);
}
