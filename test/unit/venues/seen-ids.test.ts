import { describe, expect, it } from 'vitest';
import { SeenIds } from '../../../src-main/engine/venues/seen-ids';

describe('SeenIds', () => {
  it('answers true only the first time an id is added', () => {
    const s = new SeenIds(10);
    expect(s.add('f1')).toBe(true);
    expect(s.add('f1')).toBe(false);
    expect(s.has('f1')).toBe(true);
    expect(s.has('f2')).toBe(false);
  });

  it('keeps the newest ids up to its capacity and forgets the oldest first', () => {
    const s = new SeenIds(3);
    for (const id of ['a', 'b', 'c', 'd']) s.add(id);
    expect(s.size).toBe(3);
    expect(s.has('a')).toBe(false);
    expect(['b', 'c', 'd'].every((id) => s.has(id))).toBe(true);
    // A repeat does not refresh or grow anything.
    expect(s.add('b')).toBe(false);
    s.add('e');
    expect(s.has('b')).toBe(false);
    expect(s.has('e')).toBe(true);
    expect(s.size).toBe(3);
  });

  it('stays at its capacity over a long day of fills', () => {
    const s = new SeenIds(1_000);
    for (let i = 0; i < 100_000; i++) s.add(`exec-${i}`);
    expect(s.size).toBe(1_000);
    expect(s.has('exec-98999')).toBe(false);
    expect(s.has('exec-99000')).toBe(true);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new SeenIds(0)).toThrow(/positive integer/);
    expect(() => new SeenIds(1.5)).toThrow(/positive integer/);
  });
});
