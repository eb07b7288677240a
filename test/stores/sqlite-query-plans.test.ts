/**
 * Nothing on a turn or a console refresh reads a whole table: every statement the SQLite
 * repositories run while a turn is committed, the queue, lists and outbox are read is checked with
 * EXPLAIN QUERY PLAN against a database holding thousands of rows.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { newSession } from '../../core/session';
import { createSqliteData } from '../../stores/sqlite';
import { handoff, inboxEntry, message, REF, ticket } from '../data/fixtures';

/** A plan step that reads a whole table or sorts rows in a temporary tree. */
const FULL_READ = /^(SCAN kefu_\w+$|USE TEMP B-TREE)/;

describe('SQLite: every repository query reads an index', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'kefu-plans-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('with 3,000 handoffs, tickets, messages and inbox entries, no statement scans a table or sorts in a temp tree', async () => {
    const path = join(dir, 'kefu.db');
    const seen = new Set<string>();
    const db = new Database(path);
    db.pragma('synchronous = OFF'); // filling only: no need to wait for the disk
    const data = createSqliteData({ db });
    for (let i = 0; i < 3000; i++) {
      const state = i % 3 === 0 ? 'queued' : i % 3 === 1 ? 'assigned' : 'resolved';
      await data.handoffs.create(
        handoff({ id: `h${i}`, state, agentId: state === 'queued' ? undefined : `a${i % 5}`, requestedAt: i, updatedAt: i, links: { 'slack.thread_ts': `t${i}` } }),
      );
      await data.tickets.create(ticket({ id: `T-${i}`, status: i % 2 ? 'open' : 'closed', assigneeId: `a${i % 4}`, createdAt: i }));
      await data.inbox.put(inboxEntry({ id: `zh-${i}`, count: i % 7, lastAt: i }), 0);
      await data.commit({ key: `web:c${i % 300}`, ref: REF, messages: [message({ deliver: i % 2 === 0 })] });
    }
    db.exec('ANALYZE');
    // From here on, record every statement the repositories prepare.
    const traced = new Database(path, { verbose: (sql) => seen.add(String(sql)) });
    const t = createSqliteData({ db: traced });
    const s = newSession(REF, 1);
    await t.commit({ key: 'web:c1', ref: REF, session: { value: s, expectedVersion: 0 }, messages: [message(), message({ deliver: true })] });
    await t.sessions.read('web:c1');
    const page = await t.handoffs.queue({ limit: 20 });
    await t.handoffs.queue({ limit: 20, after: page.next });
    await t.handoffs.list({ agentId: 'a1' });
    await t.handoffs.list({ state: 'assigned' }, { limit: 10 });
    await t.handoffs.requestedBetween(100, 200);
    await t.handoffs.active('web:h3');
    await t.handoffs.latest('web:h3');
    await t.handoffs.byLink('slack.thread_ts', 't42');
    await t.handoffs.agentLoads();
    const h = await t.handoffs.get('h3');
    if (h) await t.handoffs.update({ ...h.value, state: 'assigned', agentId: 'a2' }, h.version);
    await t.tickets.list({ status: 'open' });
    await t.tickets.list({ assigneeId: 'a1' });
    await t.tickets.openFor('web:T-7');
    await t.inbox.list({ status: 'open' });
    await t.inbox.pruneCandidates(10);
    await t.messages.after('web:c5', 0, 50);
    await t.messages.before('web:c5', undefined, 50, 'customer');
    const lanes = await t.messages.dueLanes(Date.now() + 1000, 10);
    await t.messages.pending(lanes[0] ?? 'web:c0', 10);
    await t.messages.nextDueAt();
    await t.messages.failed();
    await t.counters.range('day:2026-01-01', 'day:2026-12-31');
    await t.meta.nextSeq('ticket');
    await t.sessions.conversationsOf('web:u1', { limit: 10 });
    await t.sessions.deleteLinksOlderThan(100, 10);
    await t.messages.deleteOlderThan(100, 10);
    await t.handoffs.deleteOlderThan(100, 10);
    await t.tickets.deleteOlderThan(100, 10);
    await t.inbox.deleteOlderThan(100, 10);
    await t.sessions.delete('web:c2');

    const offenders: string[] = [];
    for (const sql of seen) {
      if (!/^\s*(SELECT|UPDATE|DELETE|INSERT)/i.test(sql)) continue;
      const plan = traced.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as Array<{ detail: string }>;
      const bad = plan.filter((p) => FULL_READ.test(p.detail));
      if (bad.length) offenders.push(`${sql.replace(/\s+/g, ' ').slice(0, 160)}\n    → ${bad.map((p) => p.detail).join('; ')}`);
    }
    assert.ok(seen.size > 20, `traced ${seen.size} statements`);
    assert.deepEqual(offenders, []);
    await t.close();
    await data.close();
    traced.close();
    db.close();
  });
});
