/**
 * The same ccxt connector, unchanged, against the project's Kraken emulator through ccxt.kraken:
 * the venue contract a third time (after Bybit and Binance), with only the settings differing.
 */
import { describeVenueContract } from '../../support/venue-contract';
import { krakenContractHooks, startEmulator } from '../kraken/kraken-rig';
import { CCXT_ABILITIES, ccxtRig } from './ccxt-rig';

describeVenueContract('ccxt (kraken)', {
  abilities: CCXT_ABILITIES,
  async makeRig() {
    const emu = await startEmulator();
    const rig = await ccxtRig('ckr', { exchange: 'kraken', urlOverride: emu.url, pollMs: '250' }, { apiKey: emu.apiKey, secret: emu.apiSecret });
    const connector = rig.connector;
    return {
      connector,
      instrument: async () => connector.instrument('BTC/USD')!,
      resting: async () => ({ side: 'buy', type: 'limit', qty: '0.02', limitPrice: '90.0', tif: 'gtc' }),
      marketable: async () => ({ side: 'buy', type: 'market', qty: '0.01', tif: 'gtc' }),
      ...krakenContractHooks(emu),
      async close() {
        await emu.stop();
        rig.close();
      },
    };
  },
});
