/**
 * Window preferences kept in localStorage (hotkeys, watchlists, layout): the page's storage, or
 * none where the browser blocks it (the features then keep their state for the session).
 */

export type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem'>;

export function windowStorage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

/** One key of `storage`: read once at start, written after each accepted change; a blocked or full storage is not an error. */
export function persisted(storage: KeyValueStorage | undefined, key: string): { readonly initial: string | null | undefined; write(value: unknown): void } {
  let initial: string | null | undefined;
  try {
    initial = storage?.getItem(key);
  } catch {
    initial = undefined;
  }
  return {
    initial,
    write(value) {
      try {
        storage?.setItem(key, JSON.stringify(value));
      } catch {
        // Storage full or blocked: the change still holds for this session.
      }
    },
  };
}

/** Stored JSON, or undefined when absent or unreadable (each feature then falls back to its defaults). */
export function parseStored(raw: string | null | undefined): unknown {
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}
