/**
 * Serves the built renderer (out/renderer) read-only. Only GET/HEAD, only files inside the root,
 * every response with the CSP and no-sniff headers.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { contentSecurityPolicy } from './csp';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

export function mimeType(file: string): string {
  return MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

export function securityHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(),
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}

/**
 * Maps a URL path to a file under `root`, or undefined when it would escape the root. Decoding
 * happens before the check so `%2e%2e/` cannot slip past it.
 */
export function resolveStaticPath(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  if (decoded.split('/').some((seg) => seg === '..')) return undefined;
  const absRoot = path.resolve(root);
  const rel = decoded.replace(/^\/+/, '');
  const file = path.resolve(absRoot, rel === '' ? 'index.html' : rel);
  if (file !== absRoot && !file.startsWith(absRoot + path.sep)) return undefined;
  return file;
}

function sendText(res: ServerResponse, status: number, text: string, extra: Record<string, string> = {}) {
  res.writeHead(status, { ...securityHeaders(), 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...extra });
  res.end(text);
}

export function serveStatic(root: string | undefined, req: IncomingMessage, res: ServerResponse): void {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    sendText(res, 405, 'Method not allowed\n', { Allow: 'GET, HEAD' });
    return;
  }
  if (!root) {
    sendText(res, 404, 'Not found\n');
    return;
  }
  const urlPath = (req.url ?? '/').split('?')[0]!.split('#')[0]!;
  let file = resolveStaticPath(root, urlPath);
  if (!file) {
    sendText(res, 403, 'Forbidden\n');
    return;
  }
  let stat = statFile(file);
  // Client-side routes (no extension) get the app shell; a missing asset stays a 404.
  if (!stat && path.extname(file) === '') {
    file = path.join(path.resolve(root), 'index.html');
    stat = statFile(file);
  }
  if (stat?.isDirectory()) {
    file = path.join(file, 'index.html');
    stat = statFile(file);
  }
  if (!stat || !stat.isFile()) {
    const built = statFile(path.join(path.resolve(root), 'index.html'));
    if (!built) sendText(res, 503, 'The renderer is not built. Run `npm run build` first.\n');
    else sendText(res, 404, 'Not found\n');
    return;
  }
  const isHtml = path.extname(file) === '.html';
  res.writeHead(200, {
    ...securityHeaders(),
    'Content-Type': mimeType(file),
    'Content-Length': String(stat.size),
    // Vite fingerprints assets; the HTML shell must always be revalidated to pick up a new build.
    'Cache-Control': !isHtml && urlPath.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const stream = fs.createReadStream(file);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}

function statFile(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file);
  } catch {
    return undefined;
  }
}
