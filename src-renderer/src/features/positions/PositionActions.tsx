/**
 * Acting on positions: Close / Reverse / Flatten on each row (and in its right-click menu), each
 * previewed by the engine before it is confirmed; Flatten all asks with the count and the venues.
 * The engine sizes every closing order from the position itself and places it like any order.
 */
import { useEffect, useState, type MouseEvent, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import type { Instrument } from '../../../../src-main/engine/domain/instrument';
import type { Position } from '../../../../src-main/engine/domain/order';
import type { PositionAction } from '../../../../src-main/engine/domain/position-close';
import { Dialog } from '../../components/Dialog';
import { describeRoute } from '../safety/safety-model';
import { useEngine } from '../../store/hooks';
import { selectInstrument } from '../ticket/ticket-store';
import { ACTION_LABEL, canConfirm, closeFlow, closeLine, flattenAllAsk, rowActions, workingFor, type CloseFlow } from './positions-model';
import { cancelInstrumentOrders, confirmClose, flattenAll, previewPosition } from './positions-actions';

interface Menu {
  readonly p: Position;
  readonly x: number;
  readonly y: number;
}

/** One per positions table: rows call `open` and `menu`; `host` renders the dialog and the menu. */
export function usePositionActions(): { open: (p: Position, action: PositionAction) => void; menu: (p: Position, e: MouseEvent) => void; host: ReactNode } {
  const [dialog, setDialog] = useState<{ p: Position; action: PositionAction } | null>(null);
  const [menu, setMenu] = useState<Menu | null>(null);
  const open = (p: Position, action: PositionAction) => {
    setMenu(null);
    setDialog({ p, action });
  };
  const host = (
    <>
      {dialog && <CloseDialog key={`${dialog.p.venue}|${dialog.p.instrumentId}|${dialog.action}`} p={dialog.p} action={dialog.action} onDone={() => setDialog(null)} />}
      {menu && <RowMenu menu={menu} onAct={(a) => open(menu.p, a)} onClose={() => setMenu(null)} />}
    </>
  );
  return {
    open,
    menu: (p, e) => {
      e.preventDefault();
      setMenu({ p, x: e.clientX, y: e.clientY });
    },
    host,
  };
}

export function PositionRowButtons({ p, onAct }: { p: Position; onAct: (a: PositionAction) => void }) {
  const working = useEngine((s) => workingFor(p, s.orders));
  return (
    <span className="pos-actions">
      {rowActions(p, working).map((a) => (
        <button key={a.action} type="button" className="btn mini" data-testid={`position-${a.action}`} title={a.title} onClick={() => onAct(a.action)}>
          {a.label}
        </button>
      ))}
    </span>
  );
}

function RowMenu({ menu, onAct, onClose }: { menu: Menu; onAct: (a: PositionAction) => void; onClose: () => void }) {
  const orders = useEngine((s) => s.orders);
  const inst: Instrument | undefined = useEngine((s) => s.instruments[menu.p.instrumentId]);
  const working = workingFor(menu.p, orders);
  useEffect(() => {
    const away = () => onClose();
    const esc = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('mousedown', away);
    window.addEventListener('keydown', esc);
    return () => {
      window.removeEventListener('mousedown', away);
      window.removeEventListener('keydown', esc);
    };
  }, [onClose]);
  const item = (id: string, label: string, run: () => void, disabled = false) => (
    <button
      type="button"
      role="menuitem"
      className="ctx-item"
      data-testid={`position-menu-${id}`}
      disabled={disabled}
      onMouseDown={(e) => e.stopPropagation()}
      onClick={() => {
        onClose();
        run();
      }}
    >
      {label}
    </button>
  );
  return createPortal(
    <div className="ctx-menu" role="menu" data-testid="position-menu" style={{ left: menu.x, top: menu.y }}>
      {(['close', 'reverse', 'flatten'] as const).map((a) => item(a, `${ACTION_LABEL[a]} ${menu.p.symbol}…`, () => onAct(a)))}
      {item('cancel-orders', `Cancel ${working} order${working === 1 ? '' : 's'} of ${menu.p.symbol}`, () => void cancelInstrumentOrders(menu.p.venue, menu.p.instrumentId, orders), working === 0)}
      {item('open', `Open ${menu.p.symbol} in ticket and ladder`, () => inst && selectInstrument(inst), !inst)}
    </div>,
    document.body,
  );
}

function CloseDialog({ p, action, onDone }: { p: Position; action: PositionAction; onDone: () => void }) {
  const [flow, setFlow] = useState<CloseFlow>({ step: 'previewing', action });
  useEffect(() => {
    let live = true;
    void previewPosition(p.venue, p.instrumentId, action).then((r) => {
      if (!live) return;
      setFlow((s) => closeFlow(s, r.ok ? { type: 'previewed', pv: r.value } : { type: 'failed', code: r.error.code, message: r.error.message }));
    });
    return () => {
      live = false;
    };
  }, [p.venue, p.instrumentId, action]);
  const confirm = async () => {
    if (flow.step !== 'ready' || !canConfirm(flow)) return;
    const pv = flow.pv;
    setFlow((s) => closeFlow(s, { type: 'confirm' }));
    const r = await confirmClose(pv);
    setFlow((s) => closeFlow(s, r.ok ? { type: 'placed', result: r.value } : { type: 'failed', code: r.error.code, message: r.error.message }));
  };
  const pv = 'pv' in flow ? flow.pv : undefined;
  const route = pv ? describeRoute(pv.preview) : undefined;
  return (
    <Dialog title={`${ACTION_LABEL[action]} position`} testId="position-dialog" tone={action === 'close' ? undefined : 'warn'} onCancel={onDone}>
      <form
        className="modal-body"
        data-step={flow.step}
        data-testid="position-dialog-body"
        onSubmit={(e) => {
          e.preventDefault();
          void confirm();
        }}
      >
        {flow.step === 'previewing' && <p className="muted">Previewing…</p>}
        {pv && route && (
          <>
            <div className={`route-strip tone-${route.tone}`} data-testid="position-route" data-route={pv.preview.route}>
              <span className={`route route-${route.tone}`}>{route.badge}</span>
              <span className="route-text">{route.text}</span>
            </div>
            <p data-testid="position-line">{closeLine(pv)}</p>
            <dl className="kv">
              <dt>Est. price</dt>
              <dd className="num">{pv.preview.estPrice ?? '—'}</dd>
              <dt>{pv.order.side === 'buy' ? 'Total cost' : 'Net proceeds'}</dt>
              <dd className="num">
                {pv.preview.estTotal ?? '—'} <span className="ccy">{pv.preview.currency}</span>
              </dd>
            </dl>
            {pv.preview.violations.length > 0 && (
              <ul className="issues violations" data-testid="position-violations">
                {pv.preview.violations.map((v, i) => (
                  <li key={i} data-code={v.code}>
                    <span className="badge bad">✕</span> <code>{v.code}</code> {v.message}
                  </li>
                ))}
              </ul>
            )}
          </>
        )}
        {flow.step === 'placed' && (
          <div className="placed" data-testid="position-result" data-order-id={flow.result.order.id} data-status={flow.result.order.status}>
            Sent {flow.result.order.side} {flow.result.order.qty} {flow.result.order.symbol} · <b>{flow.result.order.status}</b>
            {flow.result.cancelled > 0 && <span className="muted"> · {flow.result.cancelled} working order(s) cancelled</span>}
          </div>
        )}
        {flow.step === 'refused' && (
          <div className="inline-error" role="alert" data-testid="position-error">
            {flow.message}
          </div>
        )}
        <div className="modal-actions">
          <button type="button" className="btn ghost" onClick={onDone}>
            {flow.step === 'placed' ? 'Done' : 'Cancel'} <kbd>Esc</kbd>
          </button>
          {flow.step !== 'placed' && (
            <button type="submit" className="btn primary" data-testid="position-confirm" disabled={!canConfirm(flow)}>
              {flow.step === 'placing' ? 'Sending…' : `Confirm ${ACTION_LABEL[action].toLowerCase()}`}
            </button>
          )}
        </div>
      </form>
    </Dialog>
  );
}

/** The Positions tab's "Flatten all": asks with the count and venues, and the engine holds it to that count. */
export function FlattenAllButton() {
  const positions = useEngine((s) => s.positions);
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  const ask = flattenAllAsk(Object.values(positions));
  const close = () => {
    setAsking(false);
    setOutcome(null);
  };
  const run = async () => {
    if (!ask || busy) return;
    setBusy(true);
    const r = await flattenAll(ask);
    setBusy(false);
    if (!r.ok) setOutcome({ ok: false, text: `${r.error.code}: ${r.error.message}` });
    else {
      const failed = r.value.results.filter((x) => !x.orderId);
      setOutcome({
        ok: failed.length === 0,
        text: `Closing orders sent for ${r.value.results.length - failed.length} of ${r.value.count} position(s).${failed.map((f) => ` ${f.symbol} on ${f.venue}: ${f.message}`).join('')}`,
      });
    }
  };
  return (
    <>
      <button type="button" className="btn mini danger" data-testid="flatten-all" disabled={!ask} onClick={() => setAsking(true)} title="Cancel working orders and close every open position">
        Flatten all
      </button>
      {asking && (
        <Dialog title="Flatten all positions" testId="flatten-all-dialog" tone="danger" onCancel={close}>
          <form
            className="modal-body"
            onSubmit={(e) => {
              e.preventDefault();
              void run();
            }}
          >
            <p data-testid="flatten-all-question" data-count={ask?.count ?? 0} data-venues={ask?.venues.join(',') ?? ''}>
              {ask ? ask.question : 'No open positions.'}
            </p>
            {outcome && (
              <div className={outcome.ok ? 'placed' : 'inline-error'} role="status" data-testid="flatten-all-outcome" data-ok={outcome.ok}>
                {outcome.text}
              </div>
            )}
            <div className="modal-actions">
              <button type="button" className="btn ghost" onClick={close}>
                {outcome ? 'Done' : 'Cancel'} <kbd>Esc</kbd>
              </button>
              {!outcome && (
                <button type="submit" className="btn danger-solid" data-testid="flatten-all-confirm" disabled={!ask || busy}>
                  {busy ? 'Flattening…' : `Flatten ${ask?.count ?? 0}`}
                </button>
              )}
            </div>
          </form>
        </Dialog>
      )}
    </>
  );
}
