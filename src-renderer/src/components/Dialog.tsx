/** A small modal: Esc or the backdrop cancels, focus goes to the first field (or the dialog). */
import { useEffect, useRef, type ReactNode } from 'react';
import { createPortal } from 'react-dom';

export function Dialog(props: { title: string; testId: string; tone?: 'danger' | 'warn'; className?: string; onCancel: () => void; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    const first = el?.querySelector<HTMLElement>('input, select, textarea');
    (first ?? el)?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        props.onCancel();
      }
    };
    document.addEventListener('keydown', onKey, true);
    return () => document.removeEventListener('keydown', onKey, true);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per open
  }, []);
  return createPortal(
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && props.onCancel()}>
      <div ref={ref} className={`modal ${props.tone ?? ''} ${props.className ?? ''}`} role="dialog" aria-modal="true" aria-label={props.title} data-testid={props.testId} tabIndex={-1}>
        <div className="modal-head">{props.title}</div>
        {props.children}
      </div>
    </div>,
    document.body,
  );
}
