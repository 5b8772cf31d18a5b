import { Priority, type VenueLimits } from '../../net/venue-limits';

export type KrakenTier = 'starter' | 'intermediate' | 'pro';

/**
 * Kraken spot REST: a per-key call counter with a ceiling that decays per second, by tier
 * (starter 15 / −0.33 s⁻¹, intermediate 20 / −0.5, pro 20 / −1). History calls cost 2. Orders
 * are counted on a separate per-pair trading counter (starter 60 / −1 s⁻¹); a cancel of a young
 * order costs more there, which this conservative single cost does not model.
 */
export function krakenLimits(tier: KrakenTier = 'starter'): VenueLimits {
  const rest = { starter: { max: 15, decay: 0.33 }, intermediate: { max: 20, decay: 0.5 }, pro: { max: 20, decay: 1 } }[tier];
  const trade = { starter: { max: 60, decay: 1 }, intermediate: { max: 125, decay: 2.34 }, pro: { max: 180, decay: 3.75 } }[tier];
  return {
    venue: 'kraken',
    displayName: 'Kraken',
    headers: 'none',
    budgets: [
      // One below Kraken's ceiling: Kraken counts a call when it arrives, we when we send it, and the
      // counter decays in between, so Kraken's count can run a fraction ahead of ours.
      { kind: 'decay', id: 'calls', max: rest.max - 1, decayPerSec: rest.decay, source: `Kraken REST rate limits (${tier}; ceiling ${rest.max}, kept 1 below)` },
      { kind: 'decay', id: 'trading', max: trade.max, decayPerSec: trade.decay, source: `Kraken trading rate limits (${tier})` },
      { kind: 'window', id: 'public', limit: 1, windowMs: 1000, source: 'Kraken public endpoints: ~1 call/s' },
    ],
    groups: {
      public: { costs: { public: 1 }, priority: Priority.query },
      query: { costs: { calls: 1 }, priority: Priority.query },
      history: { costs: { calls: 2 }, priority: Priority.query },
      orderNew: { costs: { trading: 1 }, priority: Priority.order },
      orderCancel: { costs: { trading: 1 }, priority: Priority.cancel },
      cancelAll: { costs: { calls: 1 }, priority: Priority.cancel },
    },
  };
}
