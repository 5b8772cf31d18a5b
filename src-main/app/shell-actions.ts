/**
 * What the menu and the tray do: engine commands as the trader (actor `user`, transport
 * `internal`), each confirmed in a native dialog first, with the engine's own message on failure.
 */
import type { EngineApi } from '../engine/api/engine-api';
import type { CallContext } from '../engine/api/engine-api';
import type { MenuActions } from './menu';

export interface Ask {
  readonly message: string;
  readonly detail: string;
  /** The label of the button that goes ahead ("Halt Trading"); the other is "Cancel". */
  readonly confirm: string;
}

export interface ShellActionDeps {
  readonly engine: EngineApi;
  /** A modal question; resolves true when the trader chose `confirm`. */
  ask(q: Ask): Promise<boolean>;
  /** An error or an outcome the trader should read. */
  tell(kind: 'info' | 'error', message: string, detail?: string): void;
  openDataFolder(): void;
  showWindow(): void;
}

const CTX: CallContext = { actor: 'user', transport: 'internal' };

export interface ShellActions extends MenuActions {
  /** Confirm, then trip the kill switch (the tray and the menu share it). */
  killSwitch(): void;
  /** Same as killSwitch, resolved when done (for tests and the tray). */
  tripKillSwitch(): Promise<void>;
  cancelAllNow(): Promise<void>;
  reconcileNow(): Promise<void>;
}

export function shellActions(d: ShellActionDeps): ShellActions {
  const tripKillSwitch = async () => {
    const ok = await d.ask({
      message: 'Trip the kill switch?',
      detail: 'Trading halts on every venue, every working order is cancelled and strategies stop. Reset it from the window or `tradeport kill-switch reset`.',
      confirm: 'Halt Trading',
    });
    if (!ok) return;
    const r = await d.engine.call('killSwitch.trip', { mode: 'halted', reason: 'Kill switch from the application menu' }, CTX);
    if (!r.ok) d.tell('error', 'The kill switch did not trip', r.error.message);
  };
  const cancelAllNow = async () => {
    const ks = await d.engine.call('killSwitch.status', {});
    const n = ks.ok ? ks.value.workingOrders : undefined;
    if (n === 0) {
      d.tell('info', 'There are no working orders to cancel.');
      return;
    }
    const ok = await d.ask({
      message: n === undefined ? 'Cancel all working orders?' : `Cancel ${n} working order${n === 1 ? '' : 's'} on every venue?`,
      detail: 'Protective stops and bracket exits are cancelled too.',
      confirm: 'Cancel Orders',
    });
    if (!ok) return;
    const r = await d.engine.call('order.cancelAll', {}, CTX);
    if (!r.ok) d.tell('error', 'Cancel all failed', r.error.message);
  };
  const reconcileNow = async () => {
    const r = await d.engine.call('reconcile.run', {}, CTX);
    if (!r.ok) d.tell('error', 'Reconciliation failed', r.error.message);
  };
  return {
    killSwitch: () => void tripKillSwitch(),
    tripKillSwitch,
    cancelAll: () => void cancelAllNow(),
    cancelAllNow,
    reconcile: () => void reconcileNow(),
    reconcileNow,
    openDataFolder: () => d.openDataFolder(),
    showWindow: () => d.showWindow(),
  };
}
