/**
 * Where the window's hotkeys (features/hotkeys: B / S side, Enter preview, Ctrl+Enter place, Esc
 * clear, / symbol, ? list — remappable) act: wherever focus is — a quote row, a tab, the blotter —
 * except where the key means something else: typing in a text box, a select's type-ahead, a
 * button's own Enter, an open dialog. `hotkeyAction` is pure (tested in Node); `focusOf` reads the
 * DOM. The kill switch is not here: it works from anywhere (safety/KillSwitch.tsx).
 */
import { actionOf, chordOf, DEFAULT_BINDINGS, type Bindings, type HotkeyId, type KeyPress } from '../hotkeys/hotkeys-model';

export type { KeyPress } from '../hotkeys/hotkeys-model';

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

export type HotkeyAction = Exclude<HotkeyId, 'kill-switch'>;

export function hotkeyAction(e: KeyPress, f: Focus, dialogOpen: boolean, bindings: Bindings = DEFAULT_BINDINGS): HotkeyAction | undefined {
  // A dialog owns the keyboard (Esc closes it; Enter confirms what it asks).
  if (dialogOpen) return undefined;
  // Outside the ticket, a text box or select keeps every key for itself.
  if (!f.inTicket && (f.kind === 'number' || f.kind === 'letters' || f.kind === 'select')) return undefined;
  const chord = chordOf(e);
  const action = actionOf(bindings, chord);
  if (!chord || !action || action === 'kill-switch') return undefined;
  const typed = !/^(Ctrl|Alt)\+/.test(chord) && (e.key.length === 1 || chord === 'Space');
  // A symbol box or a select takes typed characters.
  if (typed && (f.kind === 'letters' || f.kind === 'select')) return undefined;
  if (f.kind === 'button') {
    // A focused button keeps its own Enter and Space; outside the ticket, its Esc too.
    if (chord === 'Enter' || chord === 'Space') return undefined;
    if (chord === 'Escape' && !f.inTicket) return undefined;
  }
  return action;
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
