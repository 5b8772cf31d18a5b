/**
 * The watchlist tabs and tools: All quotes, the trader's named lists, a new list; for a named
 * list, adding an instrument (any venue's, by `venue:symbol` or symbol), renaming and deleting it.
 */
import { useId, useMemo, useState } from 'react';
import { engineStore, useEngine } from '../../store/hooks';
import { useTicket } from '../ticket/ticket-store';
import { ALL_QUOTES, resolveInstrument } from './watchlists-model';
import { useWatchlists, watchlistsStore } from './watchlists-instance';

function resolve(typed: string): string | undefined {
  const s = engineStore.getState();
  const known = [
    ...Object.values(s.instruments).map((i) => ({ id: i.id, venue: i.venue, symbol: i.symbol })),
    ...Object.values(s.quotes).map((q) => ({ id: q.instrumentId, venue: q.venue, symbol: q.symbol })),
  ];
  return resolveInstrument(typed, known);
}

export function WatchlistTabs(props: { allCount: number }) {
  const lists = useWatchlists((s) => s.lists);
  const active = useWatchlists((s) => s.active);
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | undefined>();
  const create = () => {
    const r = watchlistsStore.getState().create(name);
    setError(r.ok ? undefined : r.message);
    if (r.ok) {
      setNaming(false);
      setName('');
    }
  };
  return (
    <div className="tabs watch-tabs" role="tablist" aria-label="Watchlists">
      <button
        type="button"
        role="tab"
        aria-selected={active === ALL_QUOTES}
        className={`tab ${active === ALL_QUOTES ? 'active' : ''}`}
        data-testid="watchlist-tab"
        data-name=""
        onClick={() => watchlistsStore.getState().show(ALL_QUOTES)}
      >
        All quotes<span className="count">{props.allCount}</span>
      </button>
      {lists.map((l) => (
        <button
          key={l.name}
          type="button"
          role="tab"
          aria-selected={active === l.name}
          className={`tab ${active === l.name ? 'active' : ''}`}
          data-testid="watchlist-tab"
          data-name={l.name}
          onClick={() => watchlistsStore.getState().show(l.name)}
        >
          {l.name}
          <span className="count">{l.items.length}</span>
        </button>
      ))}
      {naming ? (
        <span className="watch-new">
          <input
            autoFocus
            type="text"
            data-testid="watchlist-new-name"
            data-letters="true"
            placeholder="List name"
            maxLength={40}
            value={name}
            aria-invalid={error !== undefined}
            title={error}
            onChange={(e) => {
              setName(e.target.value);
              setError(undefined);
            }}
            onKeyDown={(e) => {
              e.stopPropagation();
              if (e.key === 'Enter') create();
              if (e.key === 'Escape') setNaming(false);
            }}
          />
          <button type="button" className="btn mini" data-testid="watchlist-create" onClick={create}>
            Add
          </button>
          {error ? (
            <span className="inline-error" role="alert" data-testid="watchlist-error">
              {error}
            </span>
          ) : null}
        </span>
      ) : (
        <button type="button" className="tab" data-testid="watchlist-new" title="A new named watchlist" onClick={() => setNaming(true)}>
          + List
        </button>
      )}
    </div>
  );
}

/** Tools for the named list on screen. */
export function WatchlistTools(props: { list: string }) {
  const { list } = props;
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [renaming, setRenaming] = useState<string | undefined>();
  const ticketId = useTicket((s) => s.instrument?.id);
  const instruments = useEngine((s) => s.instruments);
  const optionsId = useId();
  const options = useMemo(() => Object.values(instruments).map((i) => ({ value: `${i.venue}:${i.symbol}`, label: i.description })), [instruments]);
  const add = (id: string | undefined, asTyped: string) => {
    if (!id) return setError(`No single instrument matches “${asTyped}”: type venue:symbol (e.g. paper:BTC/USD) or pick one from the list.`);
    const r = watchlistsStore.getState().add(list, id);
    setError(r.ok ? undefined : r.message);
    if (r.ok) setTyped('');
  };
  const rename = () => {
    if (renaming === undefined) return;
    const r = watchlistsStore.getState().rename(list, renaming);
    setError(r.ok ? undefined : r.message);
    if (r.ok) setRenaming(undefined);
  };
  return (
    <div className="watch-tools">
      <input
        type="text"
        list={optionsId}
        data-testid="watchlist-add-input"
        data-letters="true"
        placeholder="Add symbol (venue:symbol)"
        value={typed}
        onChange={(e) => {
          setTyped(e.target.value);
          setError(undefined);
        }}
        onKeyDown={(e) => {
          if (e.key !== 'Enter') return;
          e.preventDefault();
          e.stopPropagation();
          add(resolve(typed), typed);
        }}
      />
      <datalist id={optionsId}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </datalist>
      <button type="button" className="btn mini" data-testid="watchlist-add" onClick={() => add(resolve(typed), typed)}>
        Add
      </button>
      <button type="button" className="btn ghost mini" data-testid="watchlist-add-ticket" disabled={!ticketId} title="Add the ticket's instrument" onClick={() => add(ticketId, ticketId ?? '')}>
        + Ticket symbol
      </button>
      <span className="spacer" />
      {renaming !== undefined ? (
        <>
          <input
            autoFocus
            type="text"
            data-letters="true"
            data-testid="watchlist-rename-input"
            maxLength={40}
            value={renaming}
            onChange={(e) => setRenaming(e.target.value)}
            onKeyDown={(e) => {
              e.stopPropagation();
              if (e.key === 'Enter') rename();
              if (e.key === 'Escape') setRenaming(undefined);
            }}
          />
          <button type="button" className="btn mini" onClick={rename}>
            Rename
          </button>
        </>
      ) : (
        <button type="button" className="btn ghost mini" data-testid="watchlist-rename" onClick={() => setRenaming(list)}>
          Rename
        </button>
      )}
      {confirmDelete ? (
        <>
          <button type="button" className="btn mini danger-solid" data-testid="watchlist-delete-confirm" onClick={() => watchlistsStore.getState().remove(list)}>
            Delete “{list}”
          </button>
          <button type="button" className="btn ghost mini" onClick={() => setConfirmDelete(false)}>
            Keep
          </button>
        </>
      ) : (
        <button type="button" className="btn ghost mini" data-testid="watchlist-delete" onClick={() => setConfirmDelete(true)}>
          Delete list
        </button>
      )}
      {error ? (
        <div className="inline-error watch-error" role="alert" data-testid="watchlist-error">
          {error}
        </div>
      ) : null}
    </div>
  );
}

/** Up, down, remove: the last cell of a named list's row. */
export function RowTools(props: { list: string; id: string; index: number; count: number }) {
  const { list, id, index, count } = props;
  const st = () => watchlistsStore.getState();
  const stop = (e: { stopPropagation(): void }) => e.stopPropagation();
  return (
    <td className="r row-tools" onClick={stop} onKeyDown={stop}>
      <button type="button" className="btn ghost mini" aria-label="Move up" data-testid="watch-up" disabled={index === 0} onClick={() => st().move(list, index, index - 1)}>
        ↑
      </button>
      <button type="button" className="btn ghost mini" aria-label="Move down" data-testid="watch-down" disabled={index === count - 1} onClick={() => st().move(list, index, index + 1)}>
        ↓
      </button>
      <button type="button" className="btn ghost mini" aria-label={`Remove ${id}`} data-testid="watch-remove" onClick={() => st().drop(list, id)}>
        ×
      </button>
    </td>
  );
}
