/** The desk's look for every lightweight-charts chart (price, depth, P&L and equity): dark, quiet grid, muted text. */
import { ColorType } from 'lightweight-charts';

export const GRID = '#1d232c';
export const BORDER = '#2a323e';

/** Options shared by every chart; each adds its own time-scale settings. */
export function chartTheme(fontSize = 11) {
  return {
    autoSize: true,
    layout: { background: { type: ColorType.Solid, color: 'transparent' }, textColor: '#aab3c0', fontSize },
    grid: { vertLines: { color: GRID }, horzLines: { color: GRID } },
    rightPriceScale: { borderColor: BORDER },
  } as const;
}
