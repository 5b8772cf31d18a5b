/**
 * The one way a test waits: poll until the awaited thing is there. A loaded CI machine makes any
 * fixed sleep either too short (flaky) or too long (slow); polling is neither.
 */
export interface UntilOptions {
  /** Real milliseconds before giving up; generous, because it only costs time when the test fails. */
  readonly timeoutMs?: number;
  /** What is awaited, named in the timeout error. */
  readonly what?: string;
  readonly intervalMs?: number;
}

type Pending = undefined | null | false;

/**
 * Polls `predicate` (sync or async) until it returns something other than undefined, null or
 * false, and resolves with that value. A throw counts as "not yet"; the last one is quoted if
 * the wait times out.
 */
export async function until<T>(predicate: () => T | Pending | Promise<T | Pending>, opts: UntilOptions = {}): Promise<T> {
  const { timeoutMs = 5000, what = 'condition', intervalMs = 5 } = opts;
  const end = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await predicate();
      if (v !== undefined && v !== null && v !== false) return v;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > end) {
      const cause = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${cause}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
