/**
 * The shape of a venue's documented request limits. Each venue declares its own numbers in its
 * folder (venues/<v>/<v>-limits.ts) from ../shared/venues/*.md, with their source so a reviewer
 * can check them against the venue's current page; the limiter enforces them per API key.
 *
 * Two kinds of budget exist because venues count in two ways:
 * - `window`: at most `limit` cost units in any `windowMs` (most
 *   venues). Enforced as a sliding window, which is stricter than the venues' fixed
 *   windows: any fixed window is also a sliding one, so we can never exceed theirs.
 * - `decay`: a counter that rises by the cost of each call and decays at a constant rate, with
 *   a ceiling (leaky-bucket venues). This is a token bucket seen from the other side.
 */

/** Lower runs first. Cancels reduce risk, so they never wait behind new orders or queries. */
export const Priority = { cancel: 0, order: 1, query: 2 } as const;
export type Priority = (typeof Priority)[keyof typeof Priority];

export type BudgetSpec =
  | { readonly kind: 'window'; readonly id: string; readonly limit: number; readonly windowMs: number; readonly source: string }
  | { readonly kind: 'decay'; readonly id: string; readonly max: number; readonly decayPerSec: number; readonly source: string };

export interface GroupSpec {
  /** Cost on each budget this group draws from (budget id → units). */
  readonly costs: Readonly<Record<string, number>>;
  readonly priority: Priority;
}

/**
 * Which response headers the venue uses to report its own count of our usage: the
 * `x-ratelimit-remaining/limit/reset` trio, none, or one header per budget (budget id → header
 * name) carrying the units already used.
 */
export type HeaderScheme = 'ratelimit' | 'none' | { readonly usage: Readonly<Record<string, string>> };

export interface VenueLimits {
  readonly venue: string;
  /** Shown in messages ("<venue> banned this IP…"). */
  readonly displayName: string;
  readonly budgets: readonly BudgetSpec[];
  readonly groups: Readonly<Record<string, GroupSpec>>;
  readonly headers: HeaderScheme;
  /** Ban length to assume when a 418 arrives without Retry-After. */
  readonly defaultBanMs?: number;
}

/** One minute in ms, for the windows venues declare. */
export const MINUTE_MS = 60_000;
