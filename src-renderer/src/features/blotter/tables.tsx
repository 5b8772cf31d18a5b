/** Blotter tables. Rows are memoised: order and fill objects are replaced, never mutated, so identity means "unchanged". */
import { memo, useMemo, useState } from 'react';
import type { Instrument } from '../../../../src-main/engine/domain/instrument';
import type { Balance, Fill, Order } from '../../../../src-main/engine/domain/order';
import { Decimal } from '../../../../src-main/engine/domain/money';
import { Num, SideTag } from '../../components/Num';
import { formatDateTime, formatTime } from '../../components/format';
import { cancelAll, cancelOrder } from '../../store/actions';
import { useEngine } from '../../store/hooks';
import { countWorking, isFlat, orderHistory, positionView, workingOrders } from '../../store/selectors';
import type { Notice } from '../../store/engine-state';
import { totalUnrealized } from '../account/account-model';
import { Dialog } from '../../components/Dialog';
import { cancelAllSummary, cancelsBothExits, groupBrackets } from './blotter-model';
import { CancelBothExitsDialog } from './CancelBothExits';
import { canModify, ModifyEditor } from './ModifyOrder';
import { stopCell } from './stop-cell';
import { PositionRowButtons, usePositionActions } from '../positions/PositionActions';
import { positionRiskColumns } from '../../../../src-main/engine/domain/position-risk';

const TYPE_SHORT: Record<Order['type'], string> = { market: 'MKT', limit: 'LMT', stop: 'STP', stop_limit: 'STP LMT', trailing_stop: 'TRAIL' };

function Empty({ cols, text }: { cols: number; text: string }) {
  return (
    <tr className="empty">
      <td colSpan={cols}>{text}</td>
    </tr>
  );
}

function StatusPill({ status }: { status: Order['status'] }) {
  return <span className={`status st-${status}`}>{status.replace('_', ' ')}</span>;
}

export function PositionsTable() {
  const positions = useEngine((s) => s.positions);
  const quotes = useEngine((s) => s.quotes);
  const instruments = useEngine((s) => s.instruments);
  const rows = useMemo(
    () =>
      Object.values(positions)
        .filter((p) => !isFlat(p))
        .sort((a, b) => a.symbol.localeCompare(b.symbol) || a.venue.localeCompare(b.venue)),
    [positions],
  );
  const views = rows.map((p) => positionView(p, quotes[p.instrumentId], instruments[p.instrumentId]));
  const act = usePositionActions();
  const risk = positionRiskColumns(rows);
  const cols = 8 + risk.length;
  const total = totalUnrealized(
    views.map((v) => ({ venue: v.position.venue, instrument: instruments[v.position.instrumentId], unrealized: v.unrealized })),
    instruments,
    quotes,
  );
  return (
    <table className="grid" data-testid="positions-table">
      <thead>
        <tr>
          <th>Symbol</th>
          <th>Venue</th>
          <th className="r">Qty</th>
          <th className="r">Avg</th>
          <th className="r">Mark</th>
          <th className="r">Unrl P&amp;L</th>
          <th className="r">Rlzd P&amp;L</th>
          {risk.map((c) => (
            <th key={c.field} className="r">
              {c.shortHeader}
            </th>
          ))}
          <th />
        </tr>
      </thead>
      <tbody>
        {views.length === 0 && <Empty cols={cols} text="No open positions" />}
        {views.map(({ position: p, mark, unrealized, live }) => {
          const inst = instruments[p.instrumentId];
          return (
            <tr key={`${p.venue}|${p.instrumentId}`} data-testid="position-row" data-symbol={p.symbol} data-venue={p.venue} data-qty={p.qty} onContextMenu={(e) => act.menu(p, e)}>
              <td className="sym">{p.symbol}</td>
              <td className="muted">{p.venue}</td>
              <td className="r">
                <Num kind="qty" value={p.qty} lot={inst?.lotSize} className={p.qty.startsWith('-') ? 'neg' : 'pos'} />
              </td>
              <td className="r">
                <Num kind="price" value={p.avgPrice} tick={inst?.tickSize} />
              </td>
              <td className="r">
                <Num kind="price" value={mark} tick={inst?.tickSize} title={live ? 'mid of the live quote' : 'engine mark'} />
              </td>
              <td className="r">
                <Num kind="pnl" value={unrealized} />
              </td>
              <td className="r">
                <Num kind="pnl" value={p.realizedPnl} />
              </td>
              {risk.map((c) =>
                c.field === 'liquidationPrice' ? (
                  <td key={c.field} className="r" data-testid="position-liq">
                    {p.liquidationPrice !== undefined && <Num kind="price" value={p.liquidationPrice} tick={inst?.tickSize} />}
                  </td>
                ) : (
                  <td key={c.field} className="r" data-testid="position-leverage">
                    {c.text(p) ?? ''}
                  </td>
                ),
              )}
              <td className="r">
                <PositionRowButtons p={p} onAct={(a) => act.open(p, a)} />
              </td>
            </tr>
          );
        })}
      </tbody>
      {views.length > 1 && (
        <tfoot>
          <tr data-testid="positions-total">
            <td colSpan={5} className="muted">
              Total unrealized ({total.currency})
              {total.unconverted.length > 0 && <span data-testid="positions-unconverted"> — not converted (no rate): {total.unconverted.map((u) => `${u.amount} ${u.currency}`).join(', ')}</span>}
            </td>
            <td className="r">
              <Num kind="pnl" value={total.total} />
            </td>
            <td colSpan={cols - 6} />
          </tr>
        </tfoot>
      )}
      {act.host}
    </table>
  );
}

const LEG_LABEL: Record<NonNullable<Order['leg']>, string> = { take_profit: 'take profit', stop_loss: 'stop loss' };

const WorkingRow = memo(function WorkingRow({ o, inst, child, held, bothExits }: { o: Order; inst: Instrument | undefined; child: boolean; held: boolean; bothExits: boolean }) {
  const [busy, setBusy] = useState(false);
  const [editing, setEditing] = useState(false);
  const [askingBoth, setAskingBoth] = useState(false);
  const cancelling = busy || o.status === 'pending_cancel';
  const stop = stopCell(o);
  return (
    <>
      <tr
        data-testid="working-order-row"
        data-order-id={o.id}
        data-symbol={o.symbol}
        data-venue={o.venue}
        data-status={o.status}
        data-qty={o.qty}
        data-limit={o.limitPrice}
        data-parent={o.parentOrderId}
        data-leg={o.leg}
        data-held={held}
        className={`side-row ${o.side}${child ? ' leg' : ''}`}
      >
        <td className="muted num">{formatTime(o.createdAt)}</td>
        <td className="sym" title={o.leg ? `${LEG_LABEL[o.leg]} of the ${o.symbol} bracket` : undefined}>
          {child && (
            <span className="leg-mark" aria-hidden="true">
              └{' '}
            </span>
          )}
          {o.leg && child ? (
            <span className="leg-tag" data-testid="bracket-leg">
              {LEG_LABEL[o.leg]}
            </span>
          ) : (
            o.symbol
          )}
        </td>
        <td className="muted" data-testid="working-venue">
          {o.venue}
        </td>
        <td>
          <SideTag side={o.side} />
        </td>
        <td>{TYPE_SHORT[o.type]}</td>
        <td className="r">
          <Num kind="qty" value={o.qty} lot={inst?.lotSize} />
        </td>
        <td className="r">
          <Num kind="qty" value={o.filledQty} lot={inst?.lotSize} className={o.filledQty === '0' ? 'muted' : ''} />
        </td>
        <td className="r">
          <Num kind="price" value={o.limitPrice} tick={inst?.tickSize} />
        </td>
        <td className="r" data-testid="working-stop" title={stop.title}>
          <Num kind="price" value={stop.value} tick={inst?.tickSize} />
          {stop.marker && (
            <span className="trail-marker" aria-label="trailing stop, current">
              {' '}
              {stop.marker}
            </span>
          )}
        </td>
        <td>{o.tif.toUpperCase()}</td>
        <td data-testid="working-status">
          {held ? (
            <span className="status st-held" title="The venue holds this exit and works it only once the entry fills">
              held until the entry fills
            </span>
          ) : (
            <StatusPill status={o.status} />
          )}
        </td>
        <td className="r actions-cell">
          <button
            type="button"
            className="btn mini"
            data-testid="modify-order"
            aria-label={`Modify ${o.side} ${o.qty} ${o.symbol}`}
            aria-expanded={editing}
            disabled={!canModify(o) && !editing}
            title={o.status === 'pending_replace' ? 'A change is on its way to the venue' : undefined}
            onClick={() => setEditing((x) => !x)}
          >
            {o.status === 'pending_replace' ? '…' : 'Modify'}
          </button>{' '}
          <button
            type="button"
            className="btn mini"
            data-testid="cancel-order"
            aria-label={`Cancel ${o.side} ${o.qty} ${o.symbol}`}
            title={bothExits ? `At ${o.venue} both exits are one order: offers "Cancel both exits"` : undefined}
            disabled={cancelling || askingBoth}
            onClick={async () => {
              if (bothExits) return setAskingBoth(true);
              setBusy(true);
              await cancelOrder(o.id, o.venue);
              setBusy(false);
            }}
          >
            {cancelling ? '…' : 'Cancel'}
          </button>
        </td>
      </tr>
      {editing && <ModifyEditor o={o} cols={WORKING_COLS} onDone={() => setEditing(false)} />}
      {askingBoth && <CancelBothExitsDialog leg={o} onClose={() => setAskingBoth(false)} />}
    </>
  );
});

const WORKING_COLS = 12;

export function WorkingTable() {
  const orders = useEngine((s) => s.orders);
  const instruments = useEngine((s) => s.instruments);
  const venues = useEngine((s) => s.venues);
  const lines = useMemo(() => groupBrackets(workingOrders(orders), orders), [orders]);
  return (
    <table className="grid" data-testid="working-table">
      <thead>
        <tr>
          <th>Time</th>
          <th>Symbol</th>
          <th>Venue</th>
          <th>Side</th>
          <th>Type</th>
          <th className="r">Qty</th>
          <th className="r">Filled</th>
          <th className="r">Limit</th>
          <th className="r">Stop</th>
          <th>TIF</th>
          <th>Status</th>
          <th className="r" />
        </tr>
      </thead>
      <tbody>
        {lines.length === 0 && <Empty cols={WORKING_COLS} text="No working orders" />}
        {lines.map(({ order: o, child, held }) => (
          <WorkingRow key={o.id} o={o} inst={instruments[o.instrumentId]} child={child} held={held} bothExits={cancelsBothExits(o, venues[o.venue]?.capabilities)} />
        ))}
      </tbody>
    </table>
  );
}

export function CancelAllButton() {
  const count = useEngine((s) => countWorking(s.orders));
  const [asking, setAsking] = useState(false);
  return (
    <>
      <button type="button" className="btn mini danger nowrap" data-testid="cancel-all" disabled={count === 0 || asking} onClick={() => setAsking(true)}>
        Cancel all{count > 0 ? ` (${count})` : ''}
      </button>
      {asking && <CancelAllDialog onClose={() => setAsking(false)} />}
    </>
  );
}

/** Names what is about to go (count, venues, protective stops) before anything is cancelled. */
function CancelAllDialog({ onClose }: { onClose: () => void }) {
  const orders = useEngine((s) => s.orders);
  const positions = useEngine((s) => s.positions);
  const summary = useMemo(() => cancelAllSummary(workingOrders(orders), (venue, id) => positions[`${venue}|${id}`]?.qty), [orders, positions]);
  const [busy, setBusy] = useState(false);
  return (
    <Dialog title="Cancel all working orders" testId="cancel-all-dialog" tone="danger" onCancel={onClose}>
      <div className="modal-body">
        <p data-testid="cancel-all-question">{summary.question}</p>
        {summary.warning && (
          <p className="warn-text" data-testid="cancel-all-warning">
            {summary.warning}
          </p>
        )}
        <div className="modal-actions">
          <button type="button" className="btn ghost" data-testid="cancel-all-keep" onClick={onClose}>
            Keep them <kbd>Esc</kbd>
          </button>
          <button
            type="button"
            className="btn danger-solid"
            data-testid="cancel-all-confirm"
            disabled={busy || summary.count === 0}
            onClick={async () => {
              setBusy(true);
              await cancelAll();
              setBusy(false);
              onClose();
            }}
          >
            {busy ? 'Cancelling…' : `Cancel ${summary.count} order${summary.count === 1 ? '' : 's'}`}
          </button>
        </div>
      </div>
    </Dialog>
  );
}

const HistoryRow = memo(function HistoryRow({ o, inst, child, held }: { o: Order; inst: Instrument | undefined; child: boolean; held: boolean }) {
  return (
    <tr data-testid="order-row" data-order-id={o.id} data-symbol={o.symbol} data-venue={o.venue} data-status={o.status} data-parent={o.parentOrderId} className={child ? 'leg' : undefined}>
      <td className="muted num">{formatDateTime(o.updatedAt)}</td>
      <td className="sym">
        {child && (
          <span className="leg-mark" aria-hidden="true">
            └{' '}
          </span>
        )}
        {o.leg && child ? <span className="leg-tag">{LEG_LABEL[o.leg]}</span> : o.symbol}
        {o.leg && !child && <span className="leg-tag after">{LEG_LABEL[o.leg]}</span>}
      </td>
      <td className="muted" data-testid="order-venue">
        {o.venue}
      </td>
      <td>
        <SideTag side={o.side} />
      </td>
      <td>{TYPE_SHORT[o.type]}</td>
      <td className="r">
        <Num kind="qty" value={o.qty} lot={inst?.lotSize} />
      </td>
      <td className="r">
        <Num kind="qty" value={o.filledQty} lot={inst?.lotSize} />
      </td>
      <td className="r">
        <Num kind="price" value={o.avgFillPrice === '0' ? undefined : o.avgFillPrice} tick={inst?.tickSize} />
      </td>
      <td className="r">
        <Num kind="price" value={o.limitPrice ?? o.stopPrice} tick={inst?.tickSize} />
      </td>
      <td>{o.tif.toUpperCase()}</td>
      <td>{held ? <span className="status st-held">held until the entry fills</span> : <StatusPill status={o.status} />}</td>
      <td className="muted ellip" title={o.rejectReason ?? o.clientOrderId}>
        {o.rejectReason ?? o.clientOrderId}
      </td>
    </tr>
  );
});

export function OrdersTable() {
  const orders = useEngine((s) => s.orders);
  const instruments = useEngine((s) => s.instruments);
  const lines = useMemo(() => groupBrackets(orderHistory(orders).slice(0, 1000), orders), [orders]);
  return (
    <table className="grid" data-testid="orders-table">
      <thead>
        <tr>
          <th>Updated</th>
          <th>Symbol</th>
          <th>Venue</th>
          <th>Side</th>
          <th>Type</th>
          <th className="r">Qty</th>
          <th className="r">Filled</th>
          <th className="r">Avg fill</th>
          <th className="r">Limit/Stop</th>
          <th>TIF</th>
          <th>Status</th>
          <th>Reason / client id</th>
        </tr>
      </thead>
      <tbody>
        {lines.length === 0 && <Empty cols={12} text="No orders yet" />}
        {lines.map(({ order: o, child, held }) => (
          <HistoryRow key={o.id} o={o} inst={instruments[o.instrumentId]} child={child} held={held} />
        ))}
      </tbody>
    </table>
  );
}

const FillRow = memo(function FillRow({ f, inst }: { f: Fill; inst: Instrument | undefined }) {
  return (
    <tr data-testid="fill-row" data-fill-id={f.id} data-order-id={f.orderId} data-symbol={f.symbol}>
      <td className="muted num">{formatDateTime(f.ts)}</td>
      <td className="sym">{f.symbol}</td>
      <td>
        <SideTag side={f.side} />
      </td>
      <td className="r">
        <Num kind="qty" value={f.qty} lot={inst?.lotSize} />
      </td>
      <td className="r">
        <Num kind="price" value={f.price} tick={inst?.tickSize} />
      </td>
      <td className="r">
        <Num kind="money" value={f.fee} /> <span className="ccy">{f.feeCurrency}</span>
      </td>
      <td className={f.liquidity === 'maker' ? 'liq maker' : 'liq taker'}>{f.liquidity}</td>
      <td className="muted">{f.venue}</td>
    </tr>
  );
});

export function FillsTable() {
  const fills = useEngine((s) => s.fills);
  const instruments = useEngine((s) => s.instruments);
  const rows = fills.slice(0, 1000);
  return (
    <table className="grid" data-testid="fills-table">
      <thead>
        <tr>
          <th>Time</th>
          <th>Symbol</th>
          <th>Side</th>
          <th className="r">Qty</th>
          <th className="r">Price</th>
          <th className="r">Fee</th>
          <th>Liquidity</th>
          <th>Venue</th>
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 && <Empty cols={8} text="No fills yet" />}
        {rows.map((f) => (
          <FillRow key={f.id} f={f} inst={instruments[f.instrumentId]} />
        ))}
      </tbody>
    </table>
  );
}

export function BalancesTable() {
  const balances = useEngine((s) => s.balances);
  const rows = useMemo(() => Object.values(balances).sort((a, b) => a.venue.localeCompare(b.venue) || a.asset.localeCompare(b.asset)), [balances]);
  return (
    <table className="grid" data-testid="balances-table">
      <thead>
        <tr>
          <th>Venue</th>
          <th>Asset</th>
          <th className="r">Total</th>
          <th className="r">Available</th>
          <th className="r">Reserved</th>
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 && <Empty cols={5} text="No balances" />}
        {rows.map((b: Balance) => (
          <tr key={`${b.venue}|${b.asset}`} data-testid="balance-row" data-venue={b.venue} data-asset={b.asset}>
            <td className="muted">{b.venue}</td>
            <td className="sym">{b.asset}</td>
            <td className="r">
              <Num kind="qty" value={b.total} />
            </td>
            <td className="r">
              <Num kind="qty" value={b.available} />
            </td>
            <td className="r">
              <Num kind="qty" value={new Decimal(b.total).minus(b.available).toFixed()} className="muted" />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function LogTable() {
  const notices = useEngine((s) => s.notices);
  const rows = [...notices].reverse();
  return (
    <table className="grid" data-testid="log-table">
      <thead>
        <tr>
          <th>Time</th>
          <th>Level</th>
          <th>Message</th>
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 && <Empty cols={3} text="Nothing to report" />}
        {rows.map((n: Notice) => (
          <tr key={n.id} data-testid="notice-row" data-level={n.level}>
            <td className="muted num">{formatTime(n.ts)}</td>
            <td className={`lvl ${n.level}`}>{n.level}</td>
            <td className="wrap">{n.message}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
