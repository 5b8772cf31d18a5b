/// <reference lib="dom" />
/**
 * The desk both tastytrade end-to-end specs start from: a data dir with a keystore passphrase, the
 * tastytrade emulator (in process, on a free port), `tradeport serve` on that data dir, the page
 * open, a tastytrade venue named `tt` added from the Venues panel against the emulator, and LIVE
 * armed on it. `useTastytradeDesk` registers the suite's beforeAll / afterAll.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, type Page } from '@playwright/test';
import { TastytradeEmulator } from '../emulators/tastytrade';
import { openApp, serve, type Served } from './serve';
import { addVenue, armLive } from './venue-flow';

export interface TastytradeDesk {
  /** The emulator, started before the suite's first test. */
  emu(): TastytradeEmulator;
  /** Serves the engine, opens the page, adds the `tt` venue and arms LIVE; the page's console errors. */
  open(page: Page, shot?: string): Promise<string[]>;
}

export function useTastytradeDesk(tmpPrefix: string): TastytradeDesk {
  let dataDir = '';
  let passFile = '';
  let server: Served | undefined;
  let emu: TastytradeEmulator | undefined;
  test.beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), tmpPrefix));
    passFile = path.join(dataDir, 'keystore-pass');
    fs.writeFileSync(passFile, 'correct horse battery staple e2e tastytrade', { mode: 0o600 });
    emu = new TastytradeEmulator();
    await emu.start();
  });
  test.afterAll(async () => {
    await server?.stop();
    await emu?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  return {
    emu: () => emu!,
    async open(page, shot) {
      server = await serve(dataDir, 0, ['--passphrase-file', passFile]);
      const errors = await openApp(page, server.url);
      await addVenue(page, {
        kind: 'tastytrade',
        name: 'tt',
        settings: { account: emu!.accountNumber },
        advanced: { restUrl: emu!.url, streamerUrl: emu!.streamerUrl },
        secrets: { clientSecret: emu!.clientSecret, refreshToken: emu!.refreshToken },
        ...(shot ? { shot } : {}),
      });
      await armLive(dataDir, 'tt');
      return errors;
    },
  };
}
