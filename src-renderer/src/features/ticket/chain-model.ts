/**
 * The ticket's option chain picker, as data: shown only for venues that list option chains; the
 * choices at each step (expiry → strike → call / put) and the instrument a full pick names. A
 * pick that no longer fits (another expiry without that strike, a strike without a put) is cut
 * back to what does, so the picker never names an instrument the venue does not list.
 */
import type { VenueInfo } from '../../../../src-main/engine/api/commands';
import type { OptionChain, OptionChainExpiry, OptionChainStrike } from '../../../../src-main/engine/domain/option-chain';

export type OptionRight = 'call' | 'put';

export interface ChainPick {
  readonly expiry?: string;
  readonly strike?: string;
  readonly right?: OptionRight;
}

export interface ExpiryChoice {
  readonly value: string;
  /** `2027-01-15 · 42 d` */
  readonly label: string;
}

export interface StrikeChoice {
  readonly value: string;
  readonly call: boolean;
  readonly put: boolean;
}

export function showsChainPicker(venue: Pick<VenueInfo, 'optionChains'> | undefined): boolean {
  return venue?.optionChains === true;
}

/** yyyymmdd → yyyy-mm-dd (the chain's dates are UTC calendar dates). */
export function expiryDate(expiry: string): string {
  return `${expiry.slice(0, 4)}-${expiry.slice(4, 6)}-${expiry.slice(6, 8)}`;
}

export function expiryChoices(chain: OptionChain): ExpiryChoice[] {
  return chain.expiries.map((e) => ({ value: e.expiry, label: `${expiryDate(e.expiry)}${e.daysToExpiry !== undefined ? ` · ${e.daysToExpiry} d` : ''}` }));
}

function expiryOf(chain: OptionChain, expiry: string | undefined): OptionChainExpiry | undefined {
  return expiry === undefined ? undefined : chain.expiries.find((e) => e.expiry === expiry);
}

function strikeOf(chain: OptionChain, pick: ChainPick): OptionChainStrike | undefined {
  return expiryOf(chain, pick.expiry)?.strikes.find((s) => s.strike === pick.strike);
}

export function strikeChoices(chain: OptionChain, expiry: string | undefined): StrikeChoice[] {
  return (expiryOf(chain, expiry)?.strikes ?? []).map((s) => ({ value: s.strike, call: s.call !== undefined, put: s.put !== undefined }));
}

/** The pick cut back to what the chain lists. */
export function fitPick(chain: OptionChain, pick: ChainPick): ChainPick {
  if (!expiryOf(chain, pick.expiry)) return {};
  const s = strikeOf(chain, pick);
  if (!s) return { expiry: pick.expiry! };
  if (pick.right === undefined || s[pick.right] === undefined) return { expiry: pick.expiry!, strike: s.strike };
  return pick;
}

/** The instrument id a full pick names (undefined until expiry, strike and right are chosen and listed). */
export function pickedInstrumentId(chain: OptionChain, pick: ChainPick): string | undefined {
  const fit = fitPick(chain, pick);
  return fit.right ? strikeOf(chain, fit)?.[fit.right] : undefined;
}
