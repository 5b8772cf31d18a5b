/**
 * Three builds:
 *  - main: the Electron entry (out/main/index.js) and the CLI / headless server (out/main/cli.js),
 *    which runs under plain Node and must never import electron;
 *  - preload: one CommonJS file (sandboxed preloads cannot load ES modules or node_modules);
 *  - renderer: the React app rooted at src-renderer/.
 */
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';
import { contentSecurityPolicy } from './src-main/headless/csp';

// Native addons must be loaded from disk (and unpacked from the asar); ccxt is large and loads its
// exchanges lazily, so bundling it would only slow the build and the start.
const NODE_EXTERNALS = ['better-sqlite3', 'keytar', 'ccxt', 'electron-store', 'ws', 'bufferutil', 'utf-8-validate'];

/** Vite's dev server needs an inline React-refresh preamble; relax the meta CSP only in dev. */
function devCsp(): Plugin {
  return {
    name: 'tradeport:dev-csp',
    apply: 'serve',
    transformIndexHtml(html) {
      return html.replace(/(http-equiv="Content-Security-Policy"\s+content=")[^"]*"/, `$1${contentSecurityPolicy({ dev: true }).replace(/; frame-ancestors 'none'/, '')}"`);
    },
  };
}

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      externalizeDeps: { include: NODE_EXTERNALS },
      rolldownOptions: {
        input: {
          index: resolve(__dirname, 'src-main/index.ts'),
          cli: resolve(__dirname, 'src-main/headless/cli.ts'),
        },
        external: NODE_EXTERNALS,
        output: {
          format: 'cjs',
          entryFileNames: '[name].js',
          chunkFileNames: 'chunks/[name]-[hash].js',
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // Everything the preload needs is inlined; a sandboxed preload can require only 'electron'.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve(__dirname, 'src-preload/index.ts') },
        output: {
          format: 'cjs',
          entryFileNames: '[name].js',
        },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src-renderer'),
    plugins: [react(), devCsp()],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      emptyOutDir: true,
      rolldownOptions: {
        input: { index: resolve(__dirname, 'src-renderer/index.html') },
      },
    },
  },
});
