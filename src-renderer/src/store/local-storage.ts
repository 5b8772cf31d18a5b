/** The page's localStorage, or none where the browser blocks it (the features then keep their state for the session). */
export function windowStorage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}
