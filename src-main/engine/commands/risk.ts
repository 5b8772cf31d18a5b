/** Commands for the kill switch and the risk limits. */
import type { RiskLimitView } from '../api/commands';
import { TradeportError } from '../api/errors';
import type { CommandHandlers } from '../api/engine-api';
import { findInstrumentOnDemand } from '../venues/market-views';
import type { KillSwitchOps } from '../risk/kill-switch-ops';
import { describeScope, KEY_OF_FIELD, LIMIT_FIELDS, resolveLimits, type EffectiveLimits, type LimitField } from '../domain/risk-limits';
import type { RiskService } from '../risk/risk-service';
import type { VenueManager } from '../venues/venue-manager';

export interface RiskCommandsDeps {
  readonly killSwitch: KillSwitchOps;
  readonly risk: RiskService;
  readonly venues: Pick<VenueManager, 'get' | 'require' | 'record'>;
}

type RiskCommand = 'killSwitch.trip' | 'killSwitch.reset' | 'killSwitch.status' | 'risk.get' | 'risk.set';

export function riskCommands(d: RiskCommandsDeps): Pick<CommandHandlers, RiskCommand> {
  const { killSwitch, risk, venues } = d;
  return {
    'killSwitch.trip': (i, ctx) => killSwitch.trip(i.mode, i.flatten, i.reason ?? `Tripped by ${ctx.actor} (${ctx.transport}).`, ctx.actor),
    'killSwitch.reset': (i, ctx) => killSwitch.reset({ confirm: i.confirm, actor: ctx.actor, ...(i.note ? { note: i.note } : {}) }),
    'killSwitch.status': () => killSwitch.status(),
    'risk.get': async (i) => {
      if (i.symbol && !i.venue) throw new TradeportError('invalid_input', 'Limits for a symbol need its venue too (--venue).');
      const inst = i.venue && i.symbol ? await findInstrumentOnDemand(venues, i.venue, i.symbol) : undefined;
      const limits = resolveLimits(risk.config, i.venue ?? '', inst?.id ?? '');
      return {
        venue: i.venue ?? null,
        symbol: inst?.symbol ?? null,
        instrumentId: inst?.id ?? null,
        effective: LIMIT_FIELDS.map((f) => limitView(limits, f, inst?.symbol)),
        configured: risk.config,
        killSwitch: risk.killSwitch.state,
      };
    },
    'risk.set': async (i) => {
      if (i.venue && !venues.record(i.venue)) throw new TradeportError('unknown_venue', `Unknown venue "${i.venue}".`);
      const inst = i.venue && i.symbol ? await findInstrumentOnDemand(venues, i.venue, i.symbol) : undefined;
      risk.set({ field: i.field, value: i.value, venue: i.venue, instrumentId: inst?.id });
      const limits = resolveLimits(risk.config, i.venue ?? '', inst?.id ?? '');
      return { key: i.key, value: i.value, venue: i.venue ?? null, symbol: inst?.symbol ?? null, instrumentId: inst?.id ?? null, effective: limitView(limits, i.field, inst?.symbol) };
    },
  };
}

function limitView(limits: EffectiveLimits, f: LimitField, symbol?: string): RiskLimitView {
  const l = limits[f];
  return { key: KEY_OF_FIELD[f], value: l.value === null ? null : l.value.toFixed(), scope: describeScope(l.scope, symbol) };
}
