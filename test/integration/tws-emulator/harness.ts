/** Shared harness: an emulator on a random port and an IBApi client that records every event. */
import { IBApi, EventName, SecType, type Contract } from '@stoqey/ib';
import { TwsEmulator, type TwsEmulatorOptions } from '../../emulators/tws';

export interface Recorded {
  name: string;
  args: unknown[];
  at: number;
}

export class Recorder {
  readonly events: Recorded[] = [];
  private waiters: Array<{ test: (e: Recorded) => boolean; resolve: (e: Recorded) => void }> = [];

  constructor(readonly api: IBApi) {
    // `all` carries every event, including error / info / connected / disconnected.
    api.on(EventName.all, (name: string, args: unknown[]) => {
      const norm = name === EventName.error && args[0] instanceof Error ? [args[0].message, ...args.slice(1)] : args;
      this.push(name, norm);
    });
  }

  private push(name: string, args: unknown[]): void {
    const e = { name, args, at: Date.now() };
    this.events.push(e);
    this.waiters = this.waiters.filter((w) => {
      if (!w.test(e)) return true;
      w.resolve(e);
      return false;
    });
  }

  of(name: string): unknown[][] {
    return this.events.filter((e) => e.name === name).map((e) => e.args);
  }

  /** Resolves with the first matching event at or after `since` (an index into events). */
  waitFor(name: string, match: (args: unknown[]) => boolean = () => true, timeoutMs = 5000, since = 0): Promise<unknown[]> {
    const hit = this.events.slice(since).find((e) => e.name === name && match(e.args));
    if (hit) return Promise.resolve(hit.args);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${name}; saw ${this.events.map((e) => e.name).join(',')}`)), timeoutMs);
      this.waiters.push({
        test: (e) => e.name === name && match(e.args),
        resolve: (e) => {
          clearTimeout(timer);
          resolve(e.args);
        },
      });
    });
  }

  mark(): number {
    return this.events.length;
  }

  /** Errors the library raised while decoding (a layout mismatch shows up here). */
  decodeErrors(): unknown[][] {
    return this.of('error').filter((a) => /Decoding error|Underrun|No parser implementation/.test(String(a[0])));
  }
}

export async function startEmulator(opts: TwsEmulatorOptions = {}): Promise<TwsEmulator> {
  const emu = new TwsEmulator({ port: 0, ...opts });
  await emu.start();
  return emu;
}

export async function connect(emu: TwsEmulator, clientId: number, maxReqPerSec?: number): Promise<{ api: IBApi; rec: Recorder; nextValidId: number }> {
  const api = new IBApi({ host: '127.0.0.1', port: emu.port, maxReqPerSec });
  const rec = new Recorder(api);
  api.connect(clientId);
  const [id] = await rec.waitFor(EventName.nextValidId);
  return { api, rec, nextValidId: id as number };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export const AAPL: Contract = { symbol: 'AAPL', secType: SecType.STK, exchange: 'SMART', currency: 'USD' };
