/**
 * The option chain picker, under the ticket's symbol for venues that list option chains: type an
 * underlying, load its chain, then expiry → strike → call / put; the pick becomes the ticket's
 * instrument. Only what the chain lists can be chosen (chain-model.ts). Where the venue carries
 * multi-leg orders, the other strike of a vertical can be picked next (vertical-model.ts).
 */
import { useEffect, useState } from 'react';
import type { Instrument } from '../../../../src-main/engine/domain/instrument';
import type { OptionChain } from '../../../../src-main/engine/domain/option-chain';
import { invoke } from '../../api/invoke';
import { searchInstruments } from '../../store/actions';
import { expiryChoices, fitPick, pickedInstrumentId, strikeChoices, type ChainPick, type OptionRight } from './chain-model';
import { otherStrikes, type SecondLeg } from './vertical-model';

interface Props {
  readonly venue: string;
  readonly onPick: (inst: Instrument) => void;
  /** Venues that carry multi-leg orders: the vertical's other strike (its instrument id), and where a choice goes. */
  readonly secondLeg?: string | undefined;
  readonly onSecondLeg?: ((leg: SecondLeg | undefined) => void) | undefined;
}

export function ChainPicker({ venue, onPick, secondLeg, onSecondLeg }: Props) {
  const [underlying, setUnderlying] = useState('');
  const [chain, setChain] = useState<OptionChain | undefined>();
  const [pick, setPick] = useState<ChainPick>({});
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  // Another venue: its own chains.
  useEffect(() => {
    setChain(undefined);
    setPick({});
    setError(undefined);
  }, [venue]);

  const load = async () => {
    if (underlying.trim() === '' || busy) return;
    setBusy(true);
    const r = await invoke('instrument.optionChain', { venue, underlying: underlying.trim() });
    setBusy(false);
    if (!r.ok) {
      setChain(undefined);
      setError(r.error.message);
      return;
    }
    setError(undefined);
    setChain(r.value);
    setPick({});
  };

  const choose = async (next: ChainPick) => {
    if (!chain) return;
    const fit = fitPick(chain, next);
    setPick(fit);
    const id = pickedInstrumentId(chain, fit);
    if (!id) return;
    const inst = await resolve(id);
    if (inst) onPick(inst);
  };

  /** The chain's instrument id as the venue's instrument; an error shown when the venue does not return it. */
  const resolve = async (id: string) => {
    const inst = (await searchInstruments(venue, id, 5)).find((i) => i.id === id);
    if (!inst) setError(`${venue} did not return the instrument ${id}; load the chain again.`);
    return inst;
  };

  const chooseSecond = async (id: string) => {
    if (!onSecondLeg) return;
    if (id === '') return onSecondLeg(undefined);
    const inst = await resolve(id);
    if (inst) onSecondLeg({ id: inst.id, symbol: inst.symbol });
  };

  const strikes = chain ? strikeChoices(chain, pick.expiry) : [];
  const others = chain && onSecondLeg ? otherStrikes(chain, pick) : [];
  const strike = strikes.find((s) => s.value === pick.strike);
  const right = (r: OptionRight, label: string) => (
    <button
      type="button"
      role="radio"
      aria-checked={pick.right === r}
      data-testid={`chain-${r}`}
      className={pick.right === r ? 'chain-right on' : 'chain-right'}
      disabled={!strike || !strike[r]}
      onClick={() => void choose({ ...pick, right: r })}
    >
      {label}
    </button>
  );

  return (
    <fieldset className="chain-picker" data-testid="chain-picker">
      <legend>Option chain</legend>
      <div className="chain-row">
        <input
          data-testid="chain-underlying"
          data-letters="true"
          aria-label="Underlying"
          placeholder="Underlying"
          value={underlying}
          spellCheck={false}
          onChange={(e) => setUnderlying(e.target.value.toUpperCase())}
          onKeyDown={(e) => {
            if (e.key !== 'Enter') return;
            e.preventDefault();
            e.stopPropagation();
            void load();
          }}
        />
        <button type="button" data-testid="chain-load" disabled={busy || underlying.trim() === ''} onClick={() => void load()}>
          {busy ? 'Loading…' : 'Chain'}
        </button>
      </div>
      {chain && (
        <div className="chain-row">
          <select aria-label="Expiry" data-testid="chain-expiry" value={pick.expiry ?? ''} onChange={(e) => void choose({ ...pick, expiry: e.target.value })}>
            <option value="">Expiry</option>
            {expiryChoices(chain).map((x) => (
              <option key={x.value} value={x.value}>
                {x.label}
              </option>
            ))}
          </select>
          <select aria-label="Strike" data-testid="chain-strike" value={pick.strike ?? ''} disabled={!pick.expiry} onChange={(e) => void choose({ ...pick, strike: e.target.value })}>
            <option value="">Strike</option>
            {strikes.map((s) => (
              <option key={s.value} value={s.value}>
                {s.value}
              </option>
            ))}
          </select>
          <span role="radiogroup" aria-label="Call or put">
            {right('call', 'Call')}
            {right('put', 'Put')}
          </span>
        </div>
      )}
      {others.length > 0 && (
        <div className="chain-row">
          <select aria-label="Vertical: the other strike" data-testid="chain-vertical" value={secondLeg ?? ''} onChange={(e) => void chooseSecond(e.target.value)}>
            <option value="">Single option</option>
            {others.map((o) => (
              <option key={o.id} value={o.id}>
                Vertical with the {o.strike} {pick.right}
              </option>
            ))}
          </select>
        </div>
      )}
      {error && (
        <div className="chain-error" role="alert">
          {error}
        </div>
      )}
    </fieldset>
  );
}
