/**
 * Watches the quote stream for the armed price alerts (kept in memory by instrument, so a quote
 * costs one map lookup) and fires each once: recorded as fired first, then announced as a
 * `priceAlert` event, which the window toasts and the desktop shell notifies like any other alert.
 */
import type { PriceAlert } from '../domain/price-alert';
import { triggers, watchedPrice } from '../domain/price-alert';
import type { Quote } from '../domain/order';
import type { PriceAlertsRepo } from '../store/price-alerts-repo';

export interface PriceAlertMonitorDeps {
  readonly repo: PriceAlertsRepo;
  readonly now: () => number;
  readonly fired: (a: PriceAlert) => void;
}

export class PriceAlertMonitor {
  private readonly armed = new Map<string, PriceAlert[]>();

  constructor(private readonly d: PriceAlertMonitorDeps) {
    for (const a of d.repo.list()) this.arm(a);
  }

  private static key(venue: string, instrumentId: string): string {
    return `${venue}\u0000${instrumentId}`;
  }

  private arm(a: PriceAlert): void {
    const k = PriceAlertMonitor.key(a.venue, a.instrumentId);
    this.armed.set(k, [...(this.armed.get(k) ?? []), a]);
  }

  private disarm(a: Pick<PriceAlert, 'id' | 'venue' | 'instrumentId'>): void {
    const k = PriceAlertMonitor.key(a.venue, a.instrumentId);
    const left = (this.armed.get(k) ?? []).filter((x) => x.id !== a.id);
    if (left.length) this.armed.set(k, left);
    else this.armed.delete(k);
  }

  add(a: PriceAlert): void {
    this.d.repo.add(a);
    this.arm(a);
  }

  remove(id: string): PriceAlert | undefined {
    const a = this.d.repo.byId(id);
    if (!a) return undefined;
    this.d.repo.remove(id);
    this.disarm(a);
    return a;
  }

  onQuote(venue: string, q: Quote): void {
    const list = this.armed.get(PriceAlertMonitor.key(venue, q.instrumentId));
    if (!list) return;
    const price = watchedPrice(q);
    if (!price) return;
    for (const a of list) {
      if (!triggers(a, price)) continue;
      this.disarm(a);
      const at = price.toFixed();
      const ts = this.d.now();
      if (this.d.repo.fire(a.id, ts, at)) this.d.fired({ ...a, firedAt: ts, firedPrice: at });
    }
  }
}
