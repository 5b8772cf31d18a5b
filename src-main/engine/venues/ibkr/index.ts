/** Interactive Brokers through a local TWS or IB Gateway socket. */
import type { VenueFactory } from '../venue-port';
import { IBKR_KIND_INFO, readIbkrSettings } from './ibkr-config';
import { IbkrConnector } from './ibkr-connector';
import { IBKR_MIGRATIONS } from './ibkr-migrations';

export const ibkrVenueFactory: VenueFactory = {
  info: IBKR_KIND_INFO,
  checkSettings: (settings) => void readIbkrSettings(settings),
  migrations: IBKR_MIGRATIONS,
  create: (ctx) => new IbkrConnector(ctx),
  sameAccount(a, b) {
    const x = readIbkrSettings(a);
    const y = readIbkrSettings(b);
    // TWS gives one session per client id; a second venue would silently take the fallback id.
    if (x.host === y.host && x.port === y.port && x.clientId === y.clientId) return `connects to the same TWS (${x.host}:${x.port}) with the same client id ${x.clientId}`;
    if (x.account !== '' && x.account === y.account) return `trades the same IB account ${x.account}`;
    // One TWS is one login: another client id on it trades the same account unless each names a different one.
    if (x.host === y.host && x.port === y.port && x.account === y.account)
      return `connects to the same TWS (${x.host}:${x.port}) for the same account (${x.account || 'the first account it manages'}); a second client id would count it twice`;
    return undefined;
  },
  configuredAccount: (settings) => readIbkrSettings(settings).account || undefined,
};

export { IbkrConnector };
