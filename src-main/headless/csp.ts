/**
 * The renderer's Content-Security-Policy, one definition for the Electron session headers and the
 * headless static server (the `<meta>` tag in src-renderer/index.html repeats it for file://, where
 * no response headers exist).
 */
export interface CspOptions {
  /**
   * Vite's dev server injects an inline React-refresh preamble and talks HMR over its own socket;
   * only the dev build may relax the policy for that.
   */
  readonly dev?: boolean;
}

export function contentSecurityPolicy(opts: CspOptions = {}): string {
  const script = opts.dev ? "script-src 'self' 'unsafe-inline'" : "script-src 'self'";
  return [
    "default-src 'self'",
    script,
    "style-src 'self' 'unsafe-inline'",
    "connect-src 'self' ws://127.0.0.1:* ws://localhost:*",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
