import path from 'node:path';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const require_ = createRequire(import.meta.url);
const { electronProblem, crashAdvice } = require_('../../../bin/start-check.cjs') as {
  electronProblem: (m: { root: string; platform: string; env: Record<string, string | undefined>; exists: (p: string) => boolean; read: (p: string) => string }) => string | undefined;
  crashAdvice: (code: number) => string;
};

const root = '/app';
const el = (...p: string[]) => path.join(root, 'node_modules', 'electron', ...p);
const machine = (files: Record<string, string>, env: Record<string, string | undefined> = { DISPLAY: ':0' }, platform = 'linux') => ({
  root,
  platform,
  env,
  exists: (p: string) => p in files,
  read: (p: string) => files[p] ?? '',
});

describe('npm start: where Electron cannot start, say why and point to npm run serve', () => {
  it('no Electron binary (download skipped) is named, with browser mode as the way on', () => {
    const msg = electronProblem(machine({ [el('package.json')]: '{}' }));
    expect(msg).toContain("Electron's program is not on this machine");
    expect(msg).toContain('npm run serve');
  });
  it('no display on Linux is named', () => {
    const files = { [el('package.json')]: '{}', [el('path.txt')]: 'electron', [el('dist', 'electron')]: '' };
    expect(electronProblem(machine(files, {}))).toContain('no display');
    expect(electronProblem(machine(files, { WAYLAND_DISPLAY: 'wayland-0' }))).toBeUndefined();
    expect(electronProblem(machine(files))).toBeUndefined();
  });
  it('a crash at start points to browser mode too', () => {
    expect(crashAdvice(1)).toContain('npm run serve');
  });
});
