/**
 * The account's P&L curve with TradingView's lightweight-charts: cumulative realized P&L per day,
 * ending at today's realized plus open P&L. Green above zero, red below. New data is drawn on the
 * next animation frame, at most once per frame, like the tables.
 */
import { useEffect, useRef } from 'react';
import { BORDER, chartTheme } from '../chart/chart-theme';
import { BaselineSeries, createChart, type IChartApi, type ISeriesApi, type UTCTimestamp } from 'lightweight-charts';
import { animationFrameScheduler } from '../../store/frame-scheduler';
import type { ChartPoint } from './portfolio-model';

/** `baseline`: the value drawn as the zero line (P&L: 0; equity: where the curve starts). */
export function PnlChart({
  points,
  currency,
  baseline = 0,
  testId = 'pnl-chart',
  label = 'P&L curve',
  empty = 'No closed trades yet: the curve starts with the first realized P&L.',
}: {
  points: readonly ChartPoint[];
  currency: string;
  baseline?: number;
  testId?: string;
  label?: string;
  empty?: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<{ api: IChartApi; series: ISeriesApi<'Baseline'> }>(undefined);
  const pending = useRef<() => void>(undefined);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const api = createChart(el, { ...chartTheme(), timeScale: { borderColor: BORDER, timeVisible: true } });
    const series = api.addSeries(BaselineSeries, {
      baseValue: { type: 'price', price: 0 },
      topLineColor: '#22c07a',
      topFillColor1: 'rgba(34, 192, 122, 0.28)',
      topFillColor2: 'rgba(34, 192, 122, 0.04)',
      bottomLineColor: '#f2546b',
      bottomFillColor1: 'rgba(242, 84, 107, 0.04)',
      bottomFillColor2: 'rgba(242, 84, 107, 0.28)',
      priceFormat: { type: 'price', precision: 2, minMove: 0.01 },
    });
    chart.current = { api, series };
    return () => {
      pending.current?.();
      chart.current = undefined;
      api.remove();
    };
  }, []);

  useEffect(() => {
    pending.current?.();
    pending.current = animationFrameScheduler(() => {
      pending.current = undefined;
      const c = chart.current;
      if (!c) return;
      c.series.applyOptions({ baseValue: { type: 'price', price: baseline } });
      c.series.setData(points.map((p) => ({ time: p.time as UTCTimestamp, value: p.value })));
      c.api.timeScale().fitContent();
    });
  }, [points, baseline]);

  return (
    <div className="pnl-chart" data-testid={testId} data-points={points.length} aria-label={`${label} in ${currency}`}>
      <div ref={box} className="pnl-chart-canvas" />
      {points.length === 0 && <div className="pnl-chart-empty muted">{empty}</div>}
    </div>
  );
}
