/** The README promises only what this build has: its venue table and where preferences live. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { VENUE_FACTORIES } from '../../src-main/engine/venues/registry';

const readme = fs.readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');

describe('README stays true', () => {
  it('every venue it calls available is a venue kind this build registers, and every registered kind is listed', () => {
    const available = readme.split('\n').filter((l) => /^\|.*\|\s*available\s*\|$/.test(l));
    expect(available.length).toBe(VENUE_FACTORIES.size);
    const labels = [...VENUE_FACTORIES.values()].map((f) => f.info.label.split(' (')[0]!.toLowerCase());
    for (const row of available)
      expect(
        labels.some((l) => row.toLowerCase().includes(l)),
        row,
      ).toBe(true);
  });
  it('promises no layout or theme preference (only window bounds are stored)', () => {
    expect(readme).not.toMatch(/layout, theme|theme preference/i);
  });
});
