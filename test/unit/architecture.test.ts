import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

function files(dir: string, exts: RegExp): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...files(p, exts));
    else if (exts.test(e.name)) out.push(p);
  }
  return out;
}

const root = path.resolve(__dirname, '../..');
const importsOf = (src: string) => [...src.matchAll(/(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"]([^'"]+)['"]/g)].map((m) => m[1]!);

describe('layering', () => {
  it('the engine never imports electron, React or renderer code', () => {
    const offenders: string[] = [];
    for (const f of files(path.join(root, 'src-main/engine'), /\.tsx?$/)) {
      for (const spec of importsOf(fs.readFileSync(f, 'utf8'))) {
        if (spec === 'electron' || spec.startsWith('electron/') || spec === 'react' || spec.startsWith('react-') || spec.includes('src-renderer') || spec.includes('/app/')) offenders.push(`${path.relative(root, f)} → ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });
  it('the renderer never imports Node or Electron modules', () => {
    const banned = /^(node:|fs$|path$|child_process$|net$|electron$|better-sqlite3$|keytar$|ws$)/;
    const offenders: string[] = [];
    for (const f of files(path.join(root, 'src-renderer/src'), /\.tsx?$/)) {
      for (const spec of importsOf(fs.readFileSync(f, 'utf8'))) if (banned.test(spec)) offenders.push(`${path.relative(root, f)} → ${spec}`);
    }
    expect(offenders).toEqual([]);
  });
  it('the contract shared with the renderer imports no Node code', () => {
    const offenders: string[] = [];
    for (const dir of ['src-main/engine/api', 'src-main/engine/domain']) {
      for (const f of files(path.join(root, dir), /\.ts$/)) {
        for (const spec of importsOf(fs.readFileSync(f, 'utf8'))) if (/^(node:|fs$|path$|better-sqlite3$|keytar$|ws$)/.test(spec)) offenders.push(`${path.relative(root, f)} → ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
