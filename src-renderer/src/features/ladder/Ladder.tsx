/**
 * The DOM ladder (TWS BookTrader / Quantower DOM Trader) for the instrument on the ticket: one row
 * per tick, centred on the market (re-centre button; the wheel scrolls), bid and ask sizes from the
 * streamed book, the trader's working orders at their prices. Click a bid/ask cell to stage a buy/
 * sell limit there on the ticket (the outer columns stage stops), which previews it; Place on the
 * ticket confirms; the right column is the volume traded at each price since it opened (with one-click ARMED on the venue, the click places at once: one-click/). Drag an own order to another row to move it (a confirm first); × cancels it.
 */
import { useEffect, useLayoutEffect, useMemo, useRef, useState, type PointerEvent as ReactPointerEvent, type ReactNode } from 'react';
import type { Order } from '../../../../src-main/engine/domain/order';
import { Decimal } from '../../../../src-main/engine/domain/money';
import { formatDecimal, formatPrice } from '../../components/format';
import { useEngine } from '../../store/hooks';
import { editTicket, useTicket } from '../ticket/ticket-store';
import { centerOf, snap, ladderRows, maxSize, needsRecenter, shiftCenter, type LadderColumn, type LadderOrder, type LadderRow } from './ladder-model';
import { OneClickBar, useArmedHere } from '../one-click/OneClick';
import { compactVolume } from '../watchlists/watchlists-model';
import { alertAt, cancelFromLadder, moveOrder, removeAlert, stageFromLadder, toggleLadder, useLadderBook, useLadderOpen, watchLadder } from './ladder-actions';

const ROW_PX = 18;

function useRowsThatFit(): [React.RefObject<HTMLDivElement | null>, number] {
  const ref = useRef<HTMLDivElement>(null);
  const [rows, setRows] = useState(31);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(() => {
      const n = Math.max(9, Math.floor(el.clientHeight / ROW_PX));
      setRows(n % 2 === 1 ? n : n - 1);
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, rows];
}

/** The ladder's column in the layout, when it is open. */
export function LadderColumn() {
  const open = useLadderOpen();
  if (!open) return null;
  return (
    <div className="col-ladder">
      <Ladder />
    </div>
  );
}

/** Opens and closes the ladder column (in the book panel's head). */
export function LadderToggle() {
  const open = useLadderOpen();
  return (
    <button
      type="button"
      className={open ? 'btn mini ladder-toggle on' : 'btn mini ladder-toggle'}
      data-testid="ladder-toggle"
      aria-pressed={open}
      onClick={toggleLadder}
      title={open ? 'Close the price ladder' : 'Open the price ladder (click-trade)'}
    >
      Ladder
    </button>
  );
}

export function Ladder() {
  const inst = useTicket((s) => s.instrument);
  const qty = useTicket((s) => s.form.qty);
  const book = useLadderBook((s) => (inst && s.instrumentId === inst.id ? s.book : undefined));
  const error = useLadderBook((s) => (inst && s.instrumentId === inst.id ? s.error : undefined));
  const last = useEngine((s) => (inst ? s.quotes[inst.id]?.last : undefined));
  const allOrders = useEngine((s) => s.orders);
  const [bodyRef, rowCount] = useRowsThatFit();
  const [center, setCenter] = useState<string | undefined>();
  const [follow, setFollow] = useState(true);
  const [drag, setDrag] = useState<Order | null>(null);
  const [move, setMove] = useState<{ order: Order; price: string } | null>(null);
  const [moveError, setMoveError] = useState<string | null>(null);
  const [alertNote, setAlertNote] = useState<{ ok: boolean; text: string } | null>(null);
  const alerts = useLadderBook((s) => (inst && s.instrumentId === inst.id ? s.alerts : undefined));
  const volumeAt = useLadderBook((s) => (inst && s.instrumentId === inst.id ? s.volumeAt : undefined));
  const armed = useArmedHere(inst?.venue);

  useEffect(() => {
    setCenter(undefined);
    setFollow(true);
    setMove(null);
    if (!inst) return;
    return watchLadder(inst.venue, inst.symbol, inst.id, inst.tickSize);
  }, [inst]);

  const tick = inst?.tickSize ?? '0.01';
  const bids = useMemo(() => book?.bids ?? [], [book]);
  const asks = useMemo(() => book?.asks ?? [], [book]);
  const market = centerOf(bids, asks, tick, last);
  // Follows the market until the trader scrolls; re-centres when the inside market nears the edge.
  useEffect(() => {
    if (!market) return;
    if (center === undefined || (follow && needsRecenter(center, rowCount, tick, bids[0]?.price, asks[0]?.price))) setCenter(market);
  }, [market, center, follow, rowCount, tick, bids, asks]);

  const orders = useMemo(() => (inst ? Object.values(allOrders).filter((o) => o.venue === inst.venue && o.instrumentId === inst.id) : []), [allOrders, inst]);
  const rows = useMemo(
    () => (center === undefined ? [] : ladderRows({ tick, center, rows: rowCount, bids, asks, ...(last !== undefined ? { last } : {}), orders, ...(volumeAt ? { volumeAt } : {}) })),
    [tick, center, rowCount, bids, asks, last, orders, volumeAt],
  );
  const max = maxSize(rows);
  const alertAtPrice = useMemo(() => {
    const m = new Map<string, string>();
    for (const a of alerts ?? []) if (a.price !== undefined) m.set(snap(a.price, tick), a.id);
    return m;
  }, [alerts, tick]);
  const bar = (size?: string) => (size && !max.isZero() ? `${new Decimal(size).div(max).mul(100).toDecimalPlaces(1).toFixed()}%` : '0%');

  useEffect(() => {
    if (!drag) return;
    const up = () => setDrag(null);
    window.addEventListener('pointerup', up);
    return () => window.removeEventListener('pointerup', up);
  }, [drag]);

  const dropOn = (price: string) => {
    if (!drag) return;
    const o = drag;
    setDrag(null);
    if (price !== o.limitPrice && price !== o.stopPrice) {
      setMoveError(null);
      setMove({ order: o, price });
    }
  };

  const badges = (list: readonly LadderOrder[]): ReactNode =>
    list.map((lo) => {
      const o = allOrders[lo.id];
      return (
        <span
          key={lo.id}
          className={`ladder-order ${lo.side}`}
          data-testid="ladder-order"
          data-order-id={lo.id}
          title={`${lo.side} ${lo.qty} ${lo.type.replace('_', ' ')} — drag to move, × to cancel`}
          onPointerDown={(e: ReactPointerEvent) => {
            e.stopPropagation();
            e.preventDefault();
            if (o && (o.type === 'limit' || o.type === 'stop' || o.type === 'stop_limit')) setDrag(o);
          }}
          onClick={(e) => e.stopPropagation()}
        >
          {formatDecimal(lo.qty, { maxDp: 8 })}
          <button
            type="button"
            className="ladder-x"
            data-testid="ladder-cancel"
            aria-label={`Cancel ${lo.side} ${lo.qty}`}
            onPointerDown={(e) => e.stopPropagation()}
            onClick={(e) => {
              e.stopPropagation();
              void cancelFromLadder(lo);
            }}
          >
            ×
          </button>
        </span>
      );
    });

  const sizeBar = (size?: string): ReactNode =>
    size ? (
      <>
        <span className="bar" style={{ width: bar(size) }} />
        <span className="v">{formatDecimal(size, { maxDp: 4 })}</span>
      </>
    ) : null;

  const cell = (r: LadderRow, column: LadderColumn, content: ReactNode, cls: string) => (
    <td
      className={`lc ${cls}`}
      data-col={column}
      onClick={() => void stageFromLadder(column, r.price)}
      title={`${column === 'bid' || column === 'buyStop' ? 'Buy' : 'Sell'} ${column.endsWith('Stop') ? 'stop' : 'limit'} at ${r.price} (${armed ? 'ONE-CLICK: placed at once' : 'preview on the ticket'})`}
    >
      {content}
    </td>
  );

  return (
    <section className={armed ? 'panel ladder armed' : 'panel ladder'} aria-label="Price ladder" data-testid="ladder" data-armed={armed}>
      <div className="panel-head">
        <h2>Ladder</h2>
        <span className="muted">{inst ? inst.symbol : '—'}</span>
        <label className="ladder-qty" title="The ticket's quantity: every click stages this much">
          Qty
          <input
            data-testid="ladder-qty"
            data-letters="true"
            className="num-input"
            inputMode="decimal"
            value={qty}
            placeholder={inst?.lotSize ?? ''}
            onChange={(e) => editTicket({ qty: e.target.value })}
          />
        </label>
        <button
          type="button"
          className="btn mini"
          data-testid="ladder-recenter"
          disabled={!market}
          onClick={() => {
            setFollow(true);
            if (market) setCenter(market);
          }}
          title="Centre on the market and follow it"
        >
          Centre
        </button>
      </div>
      <OneClickBar venue={inst?.venue} />
      {move && (
        <div className="ladder-move" data-testid="ladder-move" role="dialog" aria-label="Move order">
          <span>
            Move {move.order.side} {move.order.qty} {move.order.symbol} {move.order.type === 'limit' ? `limit ${move.order.limitPrice}` : `stop ${move.order.stopPrice}`} → <b>{move.price}</b>?
          </span>
          <button
            type="button"
            className="btn mini primary"
            data-testid="ladder-move-confirm"
            onClick={() => {
              const m = move;
              void moveOrder(m.order, m.price).then((r) => {
                if (r.ok) setMove(null);
                else setMoveError(r.message);
              });
            }}
          >
            Send change
          </button>
          <button type="button" className="btn mini ghost" onClick={() => setMove(null)}>
            Cancel
          </button>
          {moveError && (
            <span className="inline-error" role="alert" data-testid="ladder-move-error">
              {moveError}
            </span>
          )}
        </div>
      )}
      {alertNote && (
        <div className={alertNote.ok ? 'ladder-note' : 'ladder-note bad'} role="status" data-testid="ladder-alert-note" onClick={() => setAlertNote(null)}>
          {alertNote.text}
        </div>
      )}
      <div
        className="panel-body ladder-body"
        ref={bodyRef}
        onWheel={(e) => {
          if (center === undefined || e.deltaY === 0) return;
          setFollow(false);
          setCenter(shiftCenter(center, tick, e.deltaY < 0 ? 2 : -2));
        }}
      >
        {!inst && <div className="muted pad">Pick an instrument on the ticket to trade it from the ladder.</div>}
        {inst && error && !book && <div className="muted pad">{error}</div>}
        {inst && rows.length > 0 && (
          <table className={`grid ladder-grid${drag ? ' dragging' : ''}`} data-testid="ladder-table" data-center={center} data-tick={tick} data-book-ts={book?.ts}>
            <colgroup>
              <col className="stp" />
              <col className="ord" />
              <col className="size" />
              <col className="px" />
              <col className="size" />
              <col className="ord" />
              <col className="stp" />
              <col className="vol" />
            </colgroup>
            <thead>
              <tr>
                <th title="Buy stop: click to stage a buy stop">STP</th>
                <th>Buy</th>
                <th className="r">Bid</th>
                <th className="c">Price</th>
                <th>Ask</th>
                <th>Sell</th>
                <th title="Sell stop: click to stage a sell stop">STP</th>
                <th className="r" title="Volume traded at each price since the ladder opened (from the venue's volume and last price)">
                  Vol
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr
                  key={r.price}
                  data-testid="ladder-row"
                  data-price={r.price}
                  data-bid={r.bid ?? ''}
                  data-ask={r.ask ?? ''}
                  className={`${r.bestBid ? 'best-bid ' : ''}${r.bestAsk ? 'best-ask ' : ''}${r.last ? 'last ' : ''}${r.price === center ? 'center' : ''}`}
                  onPointerUp={() => dropOn(r.price)}
                >
                  {cell(r, 'buyStop', badges(r.buyStops), 'stp')}
                  {cell(r, 'bid', badges(r.buys), 'orders buy')}
                  {cell(r, 'bid', sizeBar(r.bid), 'size bid r')}
                  <td
                    className={`lc px c num${alertAtPrice.has(r.price) ? ' has-alert' : ''}`}
                    data-col="price"
                    data-alert={alertAtPrice.get(r.price) ?? ''}
                    title={alertAtPrice.has(r.price) ? 'Price alert here — click to remove it' : 'Click to be alerted when the market gets here'}
                    onClick={() => {
                      if (!inst) return;
                      const id = alertAtPrice.get(r.price);
                      if (id) void removeAlert(id, inst.venue, inst.id).then(() => setAlertNote({ ok: true, text: `Alert at ${r.price} removed` }));
                      else void alertAt(inst.venue, inst.symbol, inst.id, r.price).then(setAlertNote);
                    }}
                  >
                    {alertAtPrice.has(r.price) && (
                      <span className="ladder-bell" aria-label="price alert">
                        ◆{' '}
                      </span>
                    )}
                    {formatPrice(r.price, tick)}
                  </td>
                  {cell(r, 'ask', sizeBar(r.ask), 'size ask')}
                  {cell(r, 'ask', badges(r.sells), 'orders sell')}
                  {cell(r, 'sellStop', badges(r.sellStops), 'stp')}
                  <td className="lc vol r num" data-col="volume" data-volume={r.volume ?? ''}>
                    {r.volume ? compactVolume(r.volume) : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}
