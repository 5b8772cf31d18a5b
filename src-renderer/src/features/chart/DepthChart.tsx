/**
 * Cumulative depth of the watched book beside the book table: price across (lightweight-charts'
 * options chart, whose horizontal scale is a price), the size resting at that price or better up
 * the side, bids green on the left, asks red on the right. Fed by `book.watch` (the stream the
 * ladder uses) and redrawn at most once per animation frame.
 */
import { useEffect, useMemo, useRef } from 'react';
import { AreaSeries, createOptionsChart, LineType, type IChartApiBase, type ISeriesApi } from 'lightweight-charts';
import type { Instrument } from '../../../../src-main/engine/domain/instrument';
import { animationFrameScheduler } from '../../store/frame-scheduler';
import { depthCurve, type DepthPoint } from './chart-model';
import { BORDER, chartTheme } from './chart-theme';
import { useChart, watchDepth } from './chart-actions';

const plot = (pts: readonly DepthPoint[]) => pts.map((p) => ({ time: Number(p.price), value: Number(p.total) }));

export function DepthChart({ inst }: { inst: Instrument }) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<{ api: IChartApiBase<number>; bids: ISeriesApi<'Area', number>; asks: ISeriesApi<'Area', number> }>(undefined);
  const book = useChart((s) => (s.depthOf?.instrumentId === inst.id && s.depthOf.venue === inst.venue ? s.book : undefined));
  const error = useChart((s) => s.depthError);
  const curve = useMemo(() => depthCurve(book?.bids ?? [], book?.asks ?? []), [book]);

  useEffect(() => watchDepth(inst.venue, inst.symbol, inst.id), [inst]);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const theme = chartTheme(10);
    const api = createOptionsChart(el, {
      ...theme,
      grid: { ...theme.grid, vertLines: { visible: false } },
      timeScale: { borderColor: BORDER },
      handleScroll: false,
      handleScale: false,
    });
    const side = (color: string, fill: string) =>
      api.addSeries(AreaSeries, { lineColor: color, topColor: fill, bottomColor: 'rgba(0,0,0,0)', lineWidth: 1, lineType: LineType.WithSteps, priceLineVisible: false, lastValueVisible: false });
    chart.current = { api, bids: side('#22c07a', 'rgba(34, 192, 122, 0.35)'), asks: side('#f2546b', 'rgba(242, 84, 107, 0.35)') };
    return () => {
      chart.current = undefined;
      api.remove();
    };
  }, []);

  useEffect(
    () =>
      animationFrameScheduler(() => {
        const c = chart.current;
        if (!c) return;
        c.bids.setData(plot(curve.bids));
        c.asks.setData(plot(curve.asks));
        c.api.timeScale().fitContent();
      }),
    [curve],
  );

  return (
    <div className="depth-chart" data-testid="depth-chart" data-bids={curve.bids.length} data-asks={curve.asks.length} aria-label={`${inst.symbol} depth`}>
      <div ref={box} className="chart-canvas" />
      {(error || curve.bids.length + curve.asks.length === 0) && <div className="chart-empty muted">{error ?? 'No book yet'}</div>}
    </div>
  );
}
