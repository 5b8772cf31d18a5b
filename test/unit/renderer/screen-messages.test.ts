import { describe, expect, it } from 'vitest';
import { forScreen } from '../../../src-renderer/src/api/screen-messages';
import { riskErrorText } from '../../../src-renderer/src/features/safety/safety-model';

/** Messages as the engine words them for every transport (copied from its sources). */
const ENGINE = [
  'Order quantity 150 exceeds your max order quantity of 100 (global limit). Reduce the quantity or raise the limit (tradeport risk set).',
  'Trading is halted by the kill switch (Tripped from the app (hotkey).). No new orders are accepted until it is reset ("tradeport kill-switch reset --confirm").',
  'Stored risk limits could not be read; the built-in defaults apply until they are set again (tradeport risk set).',
  'No order "o-1" on paper. List working orders with: tradeport orders',
  'Venue "ib" is configured but not running. Check its settings and secrets (tradeport secret status ib).',
  'Unknown setting "apiKey". "apiKey" is a secret: set it with `tradeport secret set <venue> apiKey` (read from stdin).',
  'Venue "paper" still has working orders. Cancel them first (tradeport cancel-all paper).',
  'paper has no instrument "ZZZ". Search with: tradeport instruments paper ZZZ',
];

describe('messages on screen point at things that exist in the app', () => {
  it('no CLI command and no menu the app does not have', () => {
    for (const m of ENGINE) {
      const shown = forScreen(m);
      expect(shown, m).not.toMatch(/tradeport |Settings →|Risk →|--confirm/);
    }
  });
  it('each pointer becomes the place in the app that does the job', () => {
    expect(forScreen(ENGINE[0]!)).toContain('raise the limit in the Risk tab (Account panel).');
    expect(forScreen(ENGINE[1]!)).toContain('until it is reset (Reset… on the kill-switch banner).');
    expect(forScreen(ENGINE[6]!)).toBe('Venue "paper" still has working orders. Cancel them first (Cancel all, in the Working tab).');
    expect(forScreen(ENGINE[7]!)).toBe('paper has no instrument "ZZZ". Type part of the name in the Symbol box and pick it from the list.');
  });
  it('risk-tab errors name the limit in words, not its key', () => {
    const labels = { price_collar_pct: 'Price collar', max_order_qty: 'Max order quantity' };
    expect(riskErrorText('"value": price_collar_pct must be at most 100, got 500.', labels)).toBe('Price collar must be at most 100, got 500.');
    expect(riskErrorText('max_order_qty must be a whole number, got 1.5.', labels)).toBe('Max order quantity must be a whole number, got 1.5.');
  });
});
