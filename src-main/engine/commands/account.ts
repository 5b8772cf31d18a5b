/** `account.summary`: the header's net liquidation, buying power and today's P&L (portfolio/account-summary.ts). */
import type { CommandHandlers } from '../api/engine-api';
import type { AccountSummaryView } from '../api/commands';
import { accountSummary } from '../portfolio/account-summary';
import type { Clock } from '../ports/clock';
import type { RiskService } from '../risk/risk-service';
import type { PortfolioRepo } from '../store/portfolio-repo';
import type { VenueManager } from '../venues/venue-manager';

export interface AccountCommandsDeps {
  readonly venues: Pick<VenueManager, 'get' | 'list'>;
  readonly portfolio: PortfolioRepo;
  readonly risk: Pick<RiskService, 'accountCurrency' | 'fxToAccount' | 'pnlToday'>;
  readonly clock: Clock;
}

/** The account now: also what the equity history samples (portfolio/equity-history.ts). */
export function accountNow(d: AccountCommandsDeps): AccountSummaryView {
  return accountSummary({
    currency: d.risk.accountCurrency,
    now: d.clock.now(),
    pnlToday: d.risk.pnlToday(),
    venues: d.venues.list().map((v) => {
      const conn = d.venues.get(v.name);
      return {
        name: v.name,
        balances: d.portfolio.balances(v.name),
        positions: d.portfolio.positions(v.name),
        instrument: (id: string) => conn?.instrument(id),
        quote: (id: string) => conn?.quote(id),
        rate: (asset: string) => d.risk.fxToAccount(v.name, asset),
        figures: conn?.accountFigures?.(),
      };
    }),
  });
}

export function accountCommands(d: AccountCommandsDeps): Pick<CommandHandlers, 'account.summary'> {
  return { 'account.summary': () => accountNow(d) };
}
