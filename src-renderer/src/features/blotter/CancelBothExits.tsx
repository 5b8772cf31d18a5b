/**
 * "Cancel both exits": a bracket exit on a venue that holds the take-profit and stop-loss as one
 * order cannot be cancelled alone, so its Cancel asks this instead and, when chosen, cancels the
 * parent bracket through the same command as any cancel (the engine cancels its working exits).
 */
import { useMemo, useState } from 'react';
import type { Order } from '../../../../src-main/engine/domain/order';
import { Dialog } from '../../components/Dialog';
import { cancelOrder } from '../../store/actions';
import { useEngine } from '../../store/hooks';
import { bothExitsCancel } from './blotter-model';

export function CancelBothExitsDialog({ leg, onClose }: { leg: Order; onClose: () => void }) {
  const orders = useEngine((s) => s.orders);
  const c = useMemo(() => bothExitsCancel(leg, orders), [leg, orders]);
  const [busy, setBusy] = useState(false);
  return (
    <Dialog title={c.title} testId="cancel-both-exits-dialog" tone="danger" onCancel={onClose}>
      <div className="modal-body">
        <p data-testid="cancel-both-exits-explain">{c.explain}</p>
        <ul className="exit-list" data-testid="cancel-both-exits-list">
          {c.exits.map((x) => (
            <li key={x}>{x}</li>
          ))}
        </ul>
        {c.warning && (
          <p className="warn-text" data-testid="cancel-both-exits-warning">
            {c.warning}
          </p>
        )}
        <div className="modal-actions">
          <button type="button" className="btn ghost" data-testid="cancel-both-exits-keep" onClick={onClose}>
            Keep both <kbd>Esc</kbd>
          </button>
          <button
            type="button"
            className="btn danger-solid"
            data-testid="cancel-both-exits-confirm"
            disabled={busy}
            onClick={async () => {
              setBusy(true);
              await cancelOrder(c.parentId, leg.venue);
              setBusy(false);
              onClose();
            }}
          >
            {busy ? 'Cancelling…' : 'Cancel both exits'}
          </button>
        </div>
      </div>
    </Dialog>
  );
}
