/** Type-ahead instrument search (ARIA combobox). Enter or Tab picks the highlighted match. */
import { useEffect, useId, useRef, useState, type CSSProperties } from 'react';
import type { Instrument } from '../../../../src-main/engine/domain/instrument';
import { searchInstruments } from '../../store/actions';

/** Letters and digits only, as the engine's search compares: "BTCUSD" is BTC/USD. */
const compact = (s: string): string => s.toUpperCase().replace(/[^A-Z0-9]/g, '');
const sameSymbol = (inst: Instrument, typed: string): boolean => compact(typed) !== '' && compact(inst.symbol) === compact(typed);

const LIST_WIDTH = 440;

interface Props {
  readonly venue: string;
  readonly value: string;
  readonly selected: Instrument | undefined;
  readonly invalid: boolean;
  readonly describedBy?: string;
  readonly onText: (text: string) => void;
  readonly onSelect: (inst: Instrument) => void;
}

export function SymbolSearch(props: Props) {
  const { venue, value, onText, onSelect } = props;
  const [results, setResults] = useState<Instrument[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const seq = useRef(0);
  const listId = useId();

  // Debounced search; answers to superseded queries are dropped by sequence number.
  useEffect(() => {
    if (!open || venue === '') return;
    const mine = ++seq.current;
    const t = setTimeout(async () => {
      const list = await searchInstruments(venue, value.trim(), 12);
      if (mine !== seq.current) return;
      setResults(list);
      const exact = list.findIndex((i) => sameSymbol(i, value));
      setActive(exact >= 0 ? exact : 0);
    }, 90);
    return () => clearTimeout(t);
  }, [venue, value, open]);

  const pick = (inst: Instrument) => {
    onSelect(inst);
    setOpen(false);
  };

  const showList = open && results.length > 0;
  // The list is fixed to the window, not the ticket column: full names, never clipped by the column's edge.
  const input = useRef<HTMLInputElement>(null);
  const place = (): CSSProperties | undefined => {
    const r = input.current?.getBoundingClientRect();
    if (!r) return undefined;
    const width = Math.min(LIST_WIDTH, window.innerWidth - 16);
    return { top: r.bottom + 2, left: Math.max(8, Math.min(r.left, window.innerWidth - width - 8)), width };
  };

  return (
    <div className="combo">
      <input
        ref={input}
        id="ticket-symbol"
        data-testid="ticket-symbol"
        data-letters="true"
        className={props.invalid ? 'invalid' : undefined}
        type="text"
        role="combobox"
        aria-expanded={showList}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={showList ? `${listId}-${active}` : undefined}
        aria-describedby={props.describedBy}
        autoComplete="off"
        spellCheck={false}
        placeholder="Search symbol  ( / )"
        value={value}
        onChange={(e) => {
          onText(e.target.value.toUpperCase());
          setOpen(true);
        }}
        onFocus={(e) => {
          e.currentTarget.select();
          setOpen(true);
        }}
        onBlur={() => {
          // An exact match typed and tabbed away from counts as picked.
          const exact = results.find((i) => sameSymbol(i, value));
          if (exact && props.selected?.id !== exact.id) onSelect(exact);
          setOpen(false);
        }}
        onKeyDown={(e) => {
          if (!showList) return;
          if (e.key === 'ArrowDown') {
            setActive((a) => Math.min(a + 1, results.length - 1));
            e.preventDefault();
          } else if (e.key === 'ArrowUp') {
            setActive((a) => Math.max(a - 1, 0));
            e.preventDefault();
          } else if ((e.key === 'Enter' && !e.ctrlKey && !e.metaKey) || e.key === 'Tab') {
            const inst = results[active];
            if (inst) pick(inst);
            if (e.key === 'Enter') {
              // Picking is this Enter's whole job; the next Enter previews.
              e.preventDefault();
              e.stopPropagation();
              e.nativeEvent.stopImmediatePropagation();
            }
          } else if (e.key === 'Escape') {
            setOpen(false);
            e.stopPropagation();
            e.nativeEvent.stopImmediatePropagation();
          }
        }}
      />
      {showList && (
        <ul className="combo-list" role="listbox" id={listId} aria-label="Instruments" data-testid="symbol-list" style={place()}>
          {results.map((inst, i) => (
            <li
              key={inst.id}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'active' : undefined}
              data-testid="symbol-option"
              data-symbol={inst.symbol}
              onMouseDown={(e) => {
                e.preventDefault();
                pick(inst);
              }}
              onMouseEnter={() => setActive(i)}
            >
              <span className="sym">{inst.symbol}</span>
              <span className="desc" title={inst.description}>
                {inst.description}
              </span>
              <span className="cls">{inst.assetClass.replace('_', ' ')}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
