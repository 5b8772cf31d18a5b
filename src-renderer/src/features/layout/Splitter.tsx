/**
 * A panel edge to drag (or move with the arrow keys when focused): the ticket's width, the book's
 * width, the height of the quotes row. Sizes are kept in the layout store (clamped there).
 */
import { useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { DEFAULT_PANELS, LIMITS } from './layout-model';
import { layoutStore, useLayout } from './layout-instance';

type Kind = 'ticket' | 'book' | 'rows';

const LABEL: Record<Kind, string> = { ticket: 'Order ticket width', book: 'Book width', rows: 'Quotes row height' };
const KEY_STEP = { ticket: 16, book: 16, rows: 2 };

/** The current height of the quotes row in % of the main column, measured when the layout has none yet. */
function topPctNow(el: HTMLElement): number {
  const col = el.closest('.col-main');
  const row = el.closest('.row-top');
  if (!col || !row) return 40;
  return (row.getBoundingClientRect().height / col.getBoundingClientRect().height) * 100;
}

export function Splitter(props: { kind: Kind }) {
  const { kind } = props;
  const panels = useLayout((s) => s.panels);
  const start = useRef<{ x: number; y: number; value: number } | undefined>(undefined);
  const [dragging, setDragging] = useState(false);
  const value = kind === 'ticket' ? panels.ticketWidth : kind === 'book' ? panels.bookWidth : panels.topPct;
  const limits = kind === 'ticket' ? LIMITS.ticketWidth : kind === 'book' ? LIMITS.bookWidth : LIMITS.topPct;

  const move = (el: HTMLElement, x: number, y: number) => {
    const s = start.current;
    if (!s) return;
    const scale = layoutStore.getState().fontScale;
    if (kind === 'ticket') layoutStore.getState().panelsTo({ ticketWidth: s.value + (x - s.x) / scale });
    else if (kind === 'book') layoutStore.getState().panelsTo({ bookWidth: s.value - (x - s.x) / scale });
    else {
      const col = el.closest('.col-main')?.getBoundingClientRect();
      if (col && col.height > 0) layoutStore.getState().panelsTo({ topPct: ((y - col.top) / col.height) * 100 });
    }
  };

  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const grow = kind === 'rows' ? e.key === 'ArrowDown' : kind === 'ticket' ? e.key === 'ArrowRight' : e.key === 'ArrowLeft';
    const shrink = kind === 'rows' ? e.key === 'ArrowUp' : kind === 'ticket' ? e.key === 'ArrowLeft' : e.key === 'ArrowRight';
    if (!grow && !shrink) return;
    e.preventDefault();
    const now = value ?? topPctNow(e.currentTarget);
    const next = now + (grow ? KEY_STEP[kind] : -KEY_STEP[kind]);
    layoutStore.getState().panelsTo(kind === 'ticket' ? { ticketWidth: next } : kind === 'book' ? { bookWidth: next } : { topPct: next });
  };

  return (
    <div
      className={`splitter ${kind} ${dragging ? 'dragging' : ''}`}
      role="separator"
      aria-label={LABEL[kind]}
      aria-orientation={kind === 'rows' ? 'horizontal' : 'vertical'}
      aria-valuemin={limits.min}
      aria-valuemax={limits.max}
      aria-valuenow={Math.round(value ?? (kind === 'rows' ? 40 : DEFAULT_PANELS[kind === 'ticket' ? 'ticketWidth' : 'bookWidth']))}
      tabIndex={0}
      data-testid={`splitter-${kind}`}
      onKeyDown={onKey}
      onPointerDown={(e: PointerEvent<HTMLDivElement>) => {
        e.preventDefault();
        e.currentTarget.setPointerCapture(e.pointerId);
        start.current = { x: e.clientX, y: e.clientY, value: value ?? topPctNow(e.currentTarget) };
        setDragging(true);
      }}
      onPointerMove={(e) => move(e.currentTarget, e.clientX, e.clientY)}
      onPointerUp={(e) => {
        move(e.currentTarget, e.clientX, e.clientY);
        start.current = undefined;
        setDragging(false);
      }}
      onPointerCancel={() => {
        start.current = undefined;
        setDragging(false);
      }}
      onDoubleClick={() =>
        layoutStore.getState().panelsTo(kind === 'ticket' ? { ticketWidth: DEFAULT_PANELS.ticketWidth } : kind === 'book' ? { bookWidth: DEFAULT_PANELS.bookWidth } : { topPct: undefined })
      }
    />
  );
}
