/**
 * The execution ids a connector has already reported, kept for the newest `capacity` only, so a
 * terminal left running for weeks does not grow one entry per fill forever. A venue repeats an
 * execution while its order is alive (each order update carries all of its fills, a reconnect
 * re-sends the day's), not tens of thousands of fills later; and the journal ignores a fill id it
 * already holds (UNIQUE venue + venue_fill_id), so forgetting the oldest costs at most a repeat
 * the journal drops.
 */
/** Drops a Map's oldest entries (insertion order) beyond `capacity`: per-execution records kept the same way. */
export function trimOldest<K, V>(m: Map<K, V>, capacity: number): void {
  while (m.size > capacity) {
    const oldest = m.keys().next();
    if (oldest.done) return;
    m.delete(oldest.value);
  }
}

export class SeenIds {
  private readonly ids = new Set<string>();

  constructor(private readonly capacity = 50_000) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`SeenIds capacity must be a positive integer (got ${capacity})`);
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  /** Remembers `id`; true the first time it is seen. Past capacity the oldest id is forgotten. */
  add(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ids.size > this.capacity) {
      // A Set iterates in insertion order: the first is the oldest.
      const oldest = this.ids.values().next();
      if (!oldest.done) this.ids.delete(oldest.value);
    }
    return true;
  }

  get size(): number {
    return this.ids.size;
  }
}
