/**
 * The API shape of a multi-leg ticket's legs (an option vertical), checked at the boundary as far
 * as the text allows: exactly two legs, one bought and one sold, in equal ratio, and — where the
 * legs are named by display symbol (`AAPL:OPT:C:150:20260320`) — two options on the same
 * underlying and expiry, both calls or both puts, at different strikes. Legs named by instrument
 * id are checked the same way once the engine has resolved them (oms/multi-leg.ts).
 *
 * Shared with the renderer: no Node imports.
 */
import { z } from 'zod';
import { optionTermsOfSymbol, verticalProblem } from '../domain/order-legs';

const orderLegSchema = z
  .object({
    /** Display symbol or instrument id of the leg's option. */
    symbol: z.string().trim().min(1).max(64),
    side: z.enum(['buy', 'sell']),
    /** Contracts of this leg per spread. */
    ratio: z.number().int().min(1).max(100).default(1),
  })
  .strict();

export const orderLegsSchema = z
  .array(orderLegSchema)
  .length(2, 'a multi-leg order is a vertical spread: exactly two legs, one to buy and one to sell')
  .superRefine((legs, ctx) => {
    const problem = verticalProblem(legs.map((l) => ({ symbol: l.symbol, side: l.side, ratio: l.ratio, option: optionTermsOfSymbol(l.symbol) })));
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

export type OrderLegInput = z.input<typeof orderLegSchema>;
