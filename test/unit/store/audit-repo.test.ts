import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src-main/engine/store/db';
import { AuditRepo } from '../../../src-main/engine/store/audit-repo';

function repoWith(actions: readonly string[]): { repo: AuditRepo; db: ReturnType<typeof openDatabase> } {
  const db = openDatabase(':memory:');
  const repo = new AuditRepo(db);
  actions.forEach((action, i) => repo.append({ ts: 1_000 + i, actor: 'user', transport: 'cli', action, venue: null, ok: true, detail: {} }));
  return { repo, db };
}

describe('AuditRepo.list by action prefix', () => {
  it('matches the prefix exactly, newest first: "_" and "%" in it are characters, not wildcards', () => {
    const { repo } = repoWith(['order.place', 'order.cancel', 'orderXplace', 'venue.add', 'order_place', 'order%x', 'oneClick.arm']);
    expect(repo.list({ action: 'order.' }).map((e) => e.action)).toEqual(['order.cancel', 'order.place']);
    expect(repo.list({ action: 'order_' }).map((e) => e.action)).toEqual(['order_place']);
    expect(repo.list({ action: 'order%' }).map((e) => e.action)).toEqual(['order%x']);
    expect(repo.list({ action: 'order.place' }).map((e) => e.action)).toEqual(['order.place']);
    expect(repo.list({ action: 'nothing' })).toEqual([]);
    // ASCII case is ignored, as the LIKE filter before it did.
    expect(repo.list({ action: 'ONECLICK.' }).map((e) => e.action)).toEqual(['oneClick.arm']);
  });

  it('reads only the matching rows through the action index', () => {
    const { repo, db } = repoWith(['order.place']);
    // The query the repo itself prepares, explained with the arguments it ran with.
    const seen: Array<{ sql: string; args: unknown[] }> = [];
    const prepare = db.prepare.bind(db);
    db.prepare = ((sql: string) => {
      const st = prepare(sql);
      const all = st.all.bind(st);
      st.all = ((...args: unknown[]) => (seen.push({ sql, args }), all(...args))) as typeof st.all;
      return st;
    }) as typeof db.prepare;
    repo.list({ action: 'order.' });
    const q = seen.find((x) => x.sql.includes('FROM audit_log'))!;
    const plan = prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(...q.args) as Array<{ detail: string }>;
    expect(plan.map((r) => r.detail).join(' | ')).toMatch(/USING INDEX audit_log_action/);
  });
});
