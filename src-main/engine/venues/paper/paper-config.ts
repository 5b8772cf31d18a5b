/** Paper venue settings: what `venue add paper --set key=value` accepts. */
import type { VenueKindInfo } from '../../api/commands';
import { checkedSettings, isTrue } from '../../api/venue-settings';
import { Decimal } from '../../domain/money';

export interface PaperSettings {
  readonly seed: number;
  readonly tickMs: number;
  readonly startingCash: Decimal;
  readonly makerFee: Decimal;
  readonly takerFee: Decimal;
  /** Every Paper market open around the clock (demos, after-hours testing, the UI benchmark). */
  readonly market24x7: boolean;
}

/** Used when no seed is set (and the engine gives none): the same prices every run. */
const DEFAULT_SEED = 20261121;

export const PAPER_KIND_INFO: VenueKindInfo = {
  kind: 'paper',
  label: 'Paper (simulated)',
  settings: [
    { key: 'startingCash', label: 'Starting cash (USD)', type: 'decimal', required: false, default: '100000', min: '0', max: '1e12' },
    { key: 'makerFee', label: 'Maker fee rate', type: 'decimal', required: false, default: '0.001', min: '-0.01', max: '0.1', help: '0.001 = 0.10 %; negative is a rebate' },
    { key: 'takerFee', label: 'Taker fee rate', type: 'decimal', required: false, default: '0.002', min: '0', max: '0.1', help: '0.002 = 0.20 %' },
    { key: 'seed', label: 'Price seed', type: 'integer', required: false, help: 'Same seed, same prices' },
    { key: 'tickMs', label: 'Price update interval (ms)', type: 'integer', required: false, default: '250', min: '0', max: '60000' },
    { key: 'market24x7', label: 'All markets open 24/7', type: 'boolean', required: false, default: 'false', help: 'true: equities and futures trade around the clock too' },
  ],
  secrets: [],
};

/** Checks settings against the declaration above and reads them (defaults from the declaration). */
export function readPaperSettings(settings: Readonly<Record<string, string>>): PaperSettings {
  const value = checkedSettings('Paper', PAPER_KIND_INFO.settings, settings);
  const seed = value('seed');
  return {
    seed: seed === '' ? DEFAULT_SEED : Number(seed),
    tickMs: Number(value('tickMs')),
    startingCash: new Decimal(value('startingCash')),
    makerFee: new Decimal(value('makerFee')),
    takerFee: new Decimal(value('takerFee')),
    market24x7: isTrue(value('market24x7')),
  };
}
