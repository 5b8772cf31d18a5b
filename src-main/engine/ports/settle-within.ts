/** Answering at once while long work goes on: a trip's sweep, a cancel-all over thousands of orders. */

/** Above this many orders a sweep answers at once instead of waiting up to a second. */
export const LARGE_SWEEP = 200;

/**
 * Starts `fn` for every item (all run concurrently), giving the event loop a turn every `chunk`
 * starts: a venue whose cancel finishes synchronously would otherwise run thousands of them in one
 * go, and no timer (the answer, a heartbeat) could run until the last one was done.
 */
export async function startAllYielding<T>(items: readonly T[], fn: (item: T) => Promise<void>, chunk = 50): Promise<void> {
  const running: Promise<void>[] = [];
  for (let i = 0; i < items.length; i++) {
    running.push(fn(items[i]!));
    if (i % chunk === chunk - 1) await new Promise<void>((r) => setImmediate(r));
  }
  await Promise.all(running);
}

/** The promise's value if it settles within `ms`, else undefined (it keeps running). */
export async function settleWithin<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
    timer.unref?.();
  });
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}
