import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// js-yaml ships with electron-builder (the same parser it uses for this file).
const yaml = createRequire(import.meta.url)('js-yaml') as { load(src: string): unknown };

describe('electron-builder fuses', () => {
  it('packages the app with every fuse Electron’s security guide asks for', () => {
    const config = yaml.load(fs.readFileSync(path.resolve(__dirname, '../../../electron-builder.yml'), 'utf8')) as { electronFuses?: Record<string, unknown> };
    expect(config.electronFuses).toBeDefined();
    const f = config.electronFuses!;
    expect(f.runAsNode).toBe(false);
    expect(f.enableCookieEncryption).toBe(true);
    expect(f.enableNodeOptionsEnvironmentVariable).toBe(false);
    expect(f.enableNodeCliInspectArguments).toBe(false);
    expect(f.enableEmbeddedAsarIntegrityValidation).toBe(true);
    expect(f.onlyLoadAppFromAsar).toBe(true);
  });

  it('keeps the app in an asar archive, which the integrity and only-from-asar fuses need', () => {
    const config = yaml.load(fs.readFileSync(path.resolve(__dirname, '../../../electron-builder.yml'), 'utf8')) as { asar?: unknown };
    expect(config.asar === undefined || config.asar === true).toBe(true);
  });
});
