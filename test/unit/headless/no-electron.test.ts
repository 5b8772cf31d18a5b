import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../../..');

describe('headless layer', () => {
  it('never imports electron or app/ (the CLI and serve run under plain Node)', () => {
    const offenders: string[] = [];
    const dir = path.join(root, 'src-main/headless');
    for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.ts'))) {
      const src = fs.readFileSync(path.join(dir, f), 'utf8');
      for (const m of src.matchAll(/(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"]([^'"]+)['"]/g)) {
        const spec = m[1]!;
        if (spec === 'electron' || spec.startsWith('electron/') || spec.includes('/app/') || spec === 'electron-store') offenders.push(`${f} → ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('the preload loads nothing but electron at runtime (sandboxed preloads cannot)', () => {
    const src = fs.readFileSync(path.join(root, 'src-preload/index.ts'), 'utf8');
    const runtime = [...src.matchAll(/^import\s+(?!type\b)(?:[^'"]*?from\s+)?['"]([^'"]+)['"]/gm)].map((m) => m[1]);
    // The transport module is types plus two string constants; the bundler inlines them.
    expect(runtime.sort()).toEqual(['../src-main/engine/api/transport', 'electron']);
    const transport = fs.readFileSync(path.join(root, 'src-main/engine/api/transport.ts'), 'utf8');
    expect([...transport.matchAll(/^import\s+(?!type\b)/gm)]).toEqual([]);
  });
});
