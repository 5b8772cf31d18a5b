/** Paper venue settings: what `venue add paper --set key=value` accepts. */
import type { VenueKindInfo } from '../../api/commands';
import { TradeportError } from '../../api/errors';
import { Decimal, parseDecimal } from '../../domain/money';

export interface PaperSettings {
  readonly seed: number;
  readonly tickMs: number;
  readonly startingCash: Decimal;
  readonly makerFee: Decimal;
  readonly takerFee: Decimal;
  /** Every Paper market open around the clock (demos, after-hours testing, the UI benchmark). */
  readonly market24x7: boolean;
}

export const PAPER_KIND_INFO: VenueKindInfo = {
  kind: 'paper',
  label: 'Paper (simulated)',
  settings: [
    { key: 'startingCash', label: 'Starting cash (USD)', required: false, default: '100000' },
    { key: 'makerFee', label: 'Maker fee rate', required: false, default: '0.001', help: '0.001 = 0.10 %' },
    { key: 'takerFee', label: 'Taker fee rate', required: false, default: '0.002', help: '0.002 = 0.20 %' },
    { key: 'seed', label: 'Price seed', required: false, help: 'Same seed, same prices' },
    { key: 'tickMs', label: 'Price update interval (ms)', required: false, default: '250' },
    { key: 'market24x7', label: 'All markets open 24/7', required: false, default: 'false', help: 'true: equities and futures trade around the clock too' },
  ],
  secrets: [],
};

function decimalSetting(settings: Readonly<Record<string, string>>, key: string, fallback: string, min: Decimal, max: Decimal): Decimal {
  const raw = settings[key] ?? fallback;
  const d = parseDecimal(raw);
  if (!d || d.lt(min) || d.gt(max)) throw new TradeportError('invalid_input', `Paper setting ${key}="${raw}" must be a number from ${min.toFixed()} to ${max.toFixed()}.`);
  return d;
}

export function readPaperSettings(settings: Readonly<Record<string, string>>): PaperSettings {
  const seedRaw = settings.seed ?? '20261121';
  const seed = Number(seedRaw);
  if (!Number.isSafeInteger(seed)) throw new TradeportError('invalid_input', `Paper setting seed="${seedRaw}" must be a whole number.`);
  return {
    seed,
    tickMs: decimalSetting(settings, 'tickMs', '250', new Decimal(0), new Decimal(60_000)).toNumber(),
    startingCash: decimalSetting(settings, 'startingCash', '100000', new Decimal(0), new Decimal('1e12')),
    makerFee: decimalSetting(settings, 'makerFee', '0.001', new Decimal(-0.01), new Decimal(0.1)),
    takerFee: decimalSetting(settings, 'takerFee', '0.002', new Decimal(0), new Decimal(0.1)),
    market24x7: booleanSetting(settings, 'market24x7'),
  };
}

function booleanSetting(settings: Readonly<Record<string, string>>, key: string): boolean {
  const raw = (settings[key] ?? 'false').trim().toLowerCase();
  if (raw === 'true' || raw === '1' || raw === 'yes') return true;
  if (raw === 'false' || raw === '0' || raw === 'no' || raw === '') return false;
  throw new TradeportError('invalid_input', `Paper setting ${key}="${settings[key]}" must be true or false.`);
}
