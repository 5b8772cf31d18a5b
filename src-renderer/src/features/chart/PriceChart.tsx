/**
 * The selected instrument's price with lightweight-charts: the venue's bars as history, with candles
 * from the quotes this window has seen on top, the trader's fills as arrows on their bars, working orders as dashed lines. A line's handle
 * (right edge) can be dragged to another price: dropping it opens the move for confirmation and the
 * engine previews and risk-checks it like any modify (`order.replace`); cancelled or refused, the
 * line snaps back to where the order really is, with the engine's reason shown. Redrawn at most
 * once per animation frame, like the tables.
 */
import { useEffect, useMemo, useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import {
  CandlestickSeries,
  createChart,
  createSeriesMarkers,
  LineStyle,
  type AutoscaleInfo,
  type IChartApi,
  type IPriceLine,
  type ISeriesApi,
  type ISeriesMarkersPluginApi,
  type Time,
  type UTCTimestamp,
} from 'lightweight-charts';
import type { Instrument } from '../../../../src-main/engine/domain/instrument';
import type { Order } from '../../../../src-main/engine/domain/order';
import { animationFrameScheduler } from '../../store/frame-scheduler';
import { useEngine } from '../../store/hooks';
import { snap } from '../ladder/ladder-model';
import { moveOrder } from '../ladder/ladder-actions';
import { fillMarkers, orderLines, withHistory, type OrderLine } from './chart-model';
import { BORDER, chartTheme } from './chart-theme';
import { BAR_SEC, loadHistory, seedSample, seriesKey, useChart } from './chart-actions';

const EMPTY: readonly never[] = [];

function precisionOf(tick: string): number {
  const dot = tick.indexOf('.');
  return dot < 0 ? 0 : tick.length - dot - 1;
}

export function PriceChart({ inst }: { inst: Instrument }) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<{ api: IChartApi; series: ISeriesApi<'Candlestick'>; markers: ISeriesMarkersPluginApi<Time>; lines: Map<string, IPriceLine> }>(undefined);
  const [frame, setFrame] = useState(0);
  const live = useChart((s) => s.candles[seriesKey(inst.venue, inst.id)] ?? EMPTY);
  const history = useChart((s) => s.history[seriesKey(inst.venue, inst.id)] ?? EMPTY);
  const candles = useMemo(() => withHistory(history, live), [history, live]);
  const fills = useEngine((s) => s.fills);
  const allOrders = useEngine((s) => s.orders);
  const quote = useEngine((s) => s.quotes[inst.id]);
  const markers = useMemo(() => fillMarkers(fills, inst.venue, inst.id, BAR_SEC), [fills, inst]);
  const lines = useMemo(() => orderLines(Object.values(allOrders), inst.venue, inst.id), [allOrders, inst]);
  const [drag, setDrag] = useState<{ line: OrderLine; price: string } | null>(null);
  const [move, setMove] = useState<{ order: Order; price: string } | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const tick = inst.tickSize;
  // The price scale always takes in the working orders (where they really are, not where a drag is).
  const linePrices = useRef<number[]>([]);
  linePrices.current = lines.map((l) => Number(l.price));

  useEffect(() => seedSample(inst.venue, inst.id, quote), [inst, quote]);
  useEffect(() => void loadHistory(inst.venue, inst.symbol, inst.id), [inst]);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const api = createChart(el, { ...chartTheme(), timeScale: { borderColor: BORDER, timeVisible: true, secondsVisible: true } });
    const series = api.addSeries(CandlestickSeries, {
      upColor: '#22c07a',
      downColor: '#f2546b',
      borderVisible: false,
      wickUpColor: '#22c07a',
      wickDownColor: '#f2546b',
      priceFormat: { type: 'price', precision: precisionOf(tick), minMove: Number(tick) },
      autoscaleInfoProvider: (original: () => AutoscaleInfo | null) => {
        const base = original();
        const prices = linePrices.current;
        if (prices.length === 0) return base;
        const lo = Math.min(...prices, base?.priceRange?.minValue ?? Infinity);
        const hi = Math.max(...prices, base?.priceRange?.maxValue ?? -Infinity);
        return { ...base, priceRange: { minValue: lo, maxValue: hi } };
      },
    });
    const redraw = () => setFrame((n) => n + 1);
    api.timeScale().subscribeVisibleLogicalRangeChange(redraw);
    chart.current = { api, series, markers: createSeriesMarkers(series, []), lines: new Map() };
    const ro = new ResizeObserver(redraw);
    ro.observe(el);
    return () => {
      ro.disconnect();
      chart.current = undefined;
      api.remove();
    };
  }, [tick]);

  // Candles and markers: drawn on the next animation frame, once per frame.
  useEffect(() => {
    return animationFrameScheduler(() => {
      const c = chart.current;
      if (!c) return;
      c.series.setData(candles.map((k) => ({ time: k.time as UTCTimestamp, open: Number(k.open), high: Number(k.high), low: Number(k.low), close: Number(k.close) })));
      c.markers.setMarkers(
        markers.map((m) => ({
          time: m.time as UTCTimestamp,
          position: m.side === 'buy' ? 'belowBar' : 'aboveBar',
          shape: m.side === 'buy' ? 'arrowUp' : 'arrowDown',
          color: m.side === 'buy' ? '#22c07a' : '#f2546b',
          text: m.text,
        })),
      );
      setFrame((n) => n + 1);
    });
  }, [candles, markers]);

  // Order lines: one per working order, at the dragged price while it is dragged.
  useEffect(() => {
    const c = chart.current;
    if (!c) return;
    const seen = new Set<string>();
    for (const l of lines) {
      seen.add(l.id);
      const price = Number(drag?.line.id === l.id ? drag.price : move?.order.id === l.id ? move.price : l.price);
      const opts = { price, color: l.side === 'buy' ? '#3d8bfd' : '#f0a030', lineStyle: LineStyle.Dashed, lineWidth: 1 as const, axisLabelVisible: true, title: l.title };
      const pl = c.lines.get(l.id);
      if (pl) pl.applyOptions(opts);
      else c.lines.set(l.id, c.series.createPriceLine(opts));
    }
    for (const [id, pl] of c.lines) {
      if (seen.has(id)) continue;
      c.series.removePriceLine(pl);
      c.lines.delete(id);
    }
  }, [lines, drag, move, frame]);

  const yOf = (price: string): number | null => chart.current?.series.priceToCoordinate(Number(price)) ?? null;
  const priceAt = (clientY: number): string | undefined => {
    const el = box.current;
    const c = chart.current;
    if (!el || !c) return undefined;
    const p = c.series.coordinateToPrice(clientY - el.getBoundingClientRect().top);
    if (p === null || !(p > 0)) return undefined;
    return snap(p.toString(), tick);
  };

  const onDown = (l: OrderLine) => (e: ReactPointerEvent<HTMLDivElement>) => {
    e.preventDefault();
    e.stopPropagation();
    e.currentTarget.setPointerCapture(e.pointerId);
    setNote(null);
    setMove(null);
    setDrag({ line: l, price: l.price });
  };
  const onMove = (e: ReactPointerEvent<HTMLDivElement>) => {
    if (!drag) return;
    const p = priceAt(e.clientY);
    if (p !== undefined && p !== drag.price) setDrag({ line: drag.line, price: p });
  };
  const onUp = () => {
    if (!drag) return;
    const d = drag;
    setDrag(null);
    const o = allOrders[d.line.id];
    if (o && d.price !== d.line.price) setMove({ order: o, price: d.price });
  };

  return (
    <div
      className="price-chart"
      data-testid="price-chart"
      data-bars={candles.length}
      data-history={history.length}
      data-markers={markers.length}
      data-lines={lines.length}
      aria-label={`${inst.symbol} price chart`}
    >
      <div ref={box} className="chart-canvas" />
      {candles.length === 0 && (
        <div className="chart-empty muted">
          Waiting for {inst.symbol}’s first quote: {inst.venue} sent no history, so bars build from the quotes this window sees.
        </div>
      )}
      {lines.map((l) => {
        const shown = drag?.line.id === l.id ? drag.price : move?.order.id === l.id ? move.price : l.price;
        const y = yOf(shown);
        if (y === null) return null;
        return (
          <div
            key={l.id}
            className={`chart-order-handle ${l.side}${l.draggable ? '' : ' fixed'}${drag?.line.id === l.id ? ' dragging' : ''}`}
            style={{ top: `${y}px` }}
            data-testid="chart-order-handle"
            data-order-id={l.id}
            data-price={shown}
            title={l.draggable ? `${l.title} at ${l.price}: drag to move (you confirm before anything is sent)` : `${l.title} at ${l.price}: follows the market`}
            onPointerDown={l.draggable ? onDown(l) : undefined}
            onPointerMove={onMove}
            onPointerUp={onUp}
            onPointerCancel={() => setDrag(null)}
          >
            {l.title}
          </div>
        );
      })}
      {move && (
        <div className="chart-move" data-testid="chart-move" role="dialog" aria-label="Move order">
          <span>
            Move {move.order.side} {move.order.qty} {move.order.symbol} {move.order.type.replace('_', ' ')} {move.order.limitPrice ?? move.order.stopPrice} → <b>{move.price}</b>?
          </span>
          <button
            type="button"
            className="btn mini primary"
            data-testid="chart-move-confirm"
            onClick={() => {
              const m = move;
              void moveOrder(m.order, m.price).then((r) => {
                // Sent or refused, the line follows the order again; a refusal says why.
                setMove(null);
                if (!r.ok) setNote(r.message);
              });
            }}
          >
            Send change
          </button>
          <button type="button" className="btn mini ghost" data-testid="chart-move-cancel" onClick={() => setMove(null)}>
            Cancel
          </button>
        </div>
      )}
      {note && (
        <div className="chart-note inline-error" role="alert" data-testid="chart-move-error" onClick={() => setNote(null)}>
          Not moved: {note}
        </div>
      )}
    </div>
  );
}
