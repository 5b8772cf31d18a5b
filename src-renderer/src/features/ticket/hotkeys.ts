/**
 * The ticket's hotkeys (B / S side, Enter preview, Ctrl+Enter place, Esc clear, / symbol) work
 * wherever focus is — a quote row, a tab, the blotter — except where the key means something
 * else: typing in a text box, a select's type-ahead, a button's own Enter, an open dialog.
 * `hotkeyAction` is pure (tested in Node); `focusOf` reads the DOM.
 */

export interface Focus {
  /** Focus is inside the order ticket. */
  readonly inTicket: boolean;
  /**
   * number: a text box for numbers (the ticket's quantity and prices have no letters to lose);
   * letters: a text box where letters are typed (symbol search, anything outside the ticket);
   * select: letters pick options; button: Enter activates it; side-button: the ticket's Buy/Sell,
   * where Enter previews; other: the page, a panel, a table row, a checkbox.
   */
  readonly kind: 'number' | 'letters' | 'select' | 'button' | 'side-button' | 'other';
}

export type HotkeyAction = 'place' | 'preview' | 'clear' | 'buy' | 'sell' | 'focus-symbol';

export interface KeyPress {
  readonly key: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly altKey: boolean;
  readonly shiftKey: boolean;
}

export function hotkeyAction(e: KeyPress, f: Focus, dialogOpen: boolean): HotkeyAction | undefined {
  // A dialog owns the keyboard (Esc closes it; Enter confirms what it asks).
  if (dialogOpen) return undefined;
  // Outside the ticket, a text box or select keeps every key for itself.
  const foreignField = !f.inTicket && (f.kind === 'number' || f.kind === 'letters' || f.kind === 'select');
  if (e.key === 'Enter') {
    if (e.altKey || e.shiftKey || foreignField) return undefined;
    if (e.ctrlKey || e.metaKey) return 'place';
    return f.kind === 'button' ? undefined : 'preview';
  }
  if (e.key === 'Escape') return f.inTicket || f.kind === 'other' ? 'clear' : undefined;
  if (e.ctrlKey || e.metaKey || e.altKey || foreignField || f.kind === 'letters' || f.kind === 'select') return undefined;
  const k = e.key.toLowerCase();
  if (k === 'b') return 'buy';
  if (k === 's') return 'sell';
  if (e.key === '/') return 'focus-symbol';
  return undefined;
}

/** Where a key press lands, as `hotkeyAction` needs it. */
export function focusOf(target: EventTarget | null, ticket: HTMLElement | null): Focus {
  if (!(target instanceof HTMLElement)) return { inTicket: false, kind: 'other' };
  const inTicket = !!ticket && ticket.contains(target);
  if (target instanceof HTMLSelectElement) return { inTicket, kind: 'select' };
  if (target instanceof HTMLTextAreaElement || target.isContentEditable) return { inTicket, kind: 'letters' };
  if (target instanceof HTMLInputElement) {
    if (target.type === 'checkbox' || target.type === 'radio') return { inTicket, kind: 'other' };
    if (target.type === 'button' || target.type === 'submit' || target.type === 'reset') return { inTicket, kind: 'button' };
    return { inTicket, kind: inTicket && target.dataset.letters !== 'true' ? 'number' : 'letters' };
  }
  if (target instanceof HTMLButtonElement || target instanceof HTMLAnchorElement || target.getAttribute('role') === 'tab') {
    return { inTicket, kind: target.dataset.enterPreviews === 'true' ? 'side-button' : 'button' };
  }
  return { inTicket, kind: 'other' };
}

/** An open modal dialog owns the keyboard. */
export function dialogOpen(doc: Document): boolean {
  return doc.querySelector('[aria-modal="true"]') !== null;
}
