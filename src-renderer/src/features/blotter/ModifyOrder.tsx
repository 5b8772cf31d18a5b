/**
 * The inline editor behind a working order's Modify button: new quantity, limit and stop, sent
 * as one `order.replace`. The engine validates and risk-checks the change; its message is shown
 * as is, so the trader sees the same words as the CLI prints.
 */
import { useState } from 'react';
import type { Order } from '../../../../src-main/engine/domain/order';
import { invoke } from '../../api/invoke';

const usesLimit = (t: Order['type']) => t === 'limit' || t === 'stop_limit';
const usesStop = (t: Order['type']) => t === 'stop' || t === 'stop_limit';

/** Only these types can be modified (the engine says so too); others offer cancel only. */
export function canModify(o: Order): boolean {
  return (o.type === 'market' || usesLimit(o.type) || usesStop(o.type)) && (o.status === 'accepted' || o.status === 'partially_filled');
}

export function ModifyEditor({ o, cols, onDone }: { o: Order; cols: number; onDone: () => void }) {
  const [qty, setQty] = useState(o.qty);
  const [limit, setLimit] = useState(o.limitPrice ?? '');
  const [stop, setStop] = useState(o.stopPrice ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async () => {
    setBusy(true);
    setError(null);
    const r = await invoke('order.replace', {
      id: o.id,
      venue: o.venue,
      qty: qty.trim(),
      ...(usesLimit(o.type) ? { limitPrice: limit.trim() } : {}),
      ...(usesStop(o.type) ? { stopPrice: stop.trim() } : {}),
    });
    setBusy(false);
    if (r.ok) onDone();
    else setError(r.error.message);
  };

  return (
    <tr className="modify-row" data-testid="modify-editor" data-order-id={o.id}>
      <td colSpan={cols}>
        <form
          className="modify-form"
          onKeyDown={(e) => {
            // Esc closes the editor (and only the editor: the ticket keeps what is on it).
            if (e.key !== 'Escape') return;
            e.preventDefault();
            e.stopPropagation();
            onDone();
          }}
          onSubmit={(e) => {
            e.preventDefault();
            void submit();
          }}
        >
          <span className="muted">
            Modify {o.side} {o.symbol}
            {o.filledQty !== '0' ? ` (${o.filledQty} filled)` : ''}:
          </span>
          <label>
            Qty <input data-testid="modify-qty" data-letters="true" className="num-input" inputMode="decimal" value={qty} onChange={(e) => setQty(e.target.value)} autoFocus />
          </label>
          {usesLimit(o.type) && (
            <label>
              Limit <input data-testid="modify-limit" data-letters="true" className="num-input" inputMode="decimal" value={limit} onChange={(e) => setLimit(e.target.value)} />
            </label>
          )}
          {usesStop(o.type) && (
            <label>
              Stop <input data-testid="modify-stop" data-letters="true" className="num-input" inputMode="decimal" value={stop} onChange={(e) => setStop(e.target.value)} />
            </label>
          )}
          <button type="submit" className="btn mini" data-testid="modify-submit" disabled={busy}>
            {busy ? '…' : 'Send change'}
          </button>
          <button type="button" className="btn mini" data-testid="modify-close" onClick={onDone} title="Close (Esc)">
            Close <kbd>Esc</kbd>
          </button>
          {error && (
            <span className="inline-error" role="alert" data-testid="modify-error">
              {error}
            </span>
          )}
        </form>
      </td>
    </tr>
  );
}
