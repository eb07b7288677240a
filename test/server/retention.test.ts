/**
 * Retention (server/retention.ts) with a fake clock: each kind older than its period goes, what is
 * active stays, one audit entry per sweep (the chain still verifies), one sweep a day across
 * instances sharing a store, and a kind without a period is kept.
 */
import assert from 'node:assert/strict';
import { createMemoryData, loadConfig, type Repositories, silentLogger } from '../../core';
import { createAuditLog } from '../../plugins/audit';
import { type RetentionPeriods, retentionIsOn, retentionPeriodsOf, startRetention } from '../../server/retention';
import { handoff, inboxEntry, message, REF, session, ticket } from '../data/fixtures';
import { createClock } from '../stores/suite-helpers';

const DAY = 86_400_000;
const PERIODS: RetentionPeriods = { messagesDays: 30, handoffsDays: 90, ticketsDays: 90, inboxDays: 7, sessionsDays: 0 };

async function fill(data: Repositories, at: (daysAgo: number) => number): Promise<void> {
  const ref = { ...REF, conversationId: 'old' };
  await data.commit({ key: 'web:old', ref, session: { value: session(), expectedVersion: 0 }, messages: [message({ at: at(40) }), message({ at: at(40), deliver: true })] });
  await data.commit({ key: 'web:new', ref: { ...REF, conversationId: 'new' }, messages: [message({ at: at(1) })] });
  await data.handoffs.create(handoff({ id: 'h-old', state: 'resolved', updatedAt: at(100) }));
  await data.handoffs.create(handoff({ id: 'h-waiting', state: 'queued', updatedAt: at(100) }));
  await data.tickets.create(ticket({ id: 'T-old', status: 'closed', updatedAt: at(100) }));
  await data.tickets.create(ticket({ id: 'T-open', status: 'open', updatedAt: at(100) }));
  await data.inbox.put(inboxEntry({ id: 'zh-old', lastAt: at(8) }), 0);
  await data.inbox.put(inboxEntry({ id: 'zh-new', lastAt: at(2) }), 0);
}

describe('retention sweep', () => {
  it('deletes each kind past its period, keeps what is active, and audits the counts', async () => {
    const clock = createClock(Date.UTC(2026, 0, 1));
    const data = createMemoryData({ now: clock.now });
    await fill(data, (days) => clock.now() - days * DAY);
    // The conversation's last commit is now: its customer link stays although its old messages go.
    const retention = startRetention({ data, periods: PERIODS, log: silentLogger, now: clock.now });
    try {
      const counts = await retention.sweepIfDue();
      assert.deepEqual(counts, { messages: 1, customerLinks: 0, handoffs: 1, tickets: 1, inbox: 1, sessions: 0 });
      assert.equal((await data.messages.after('web:old', 0, 10)).length, 1, 'the message still in the outbox stays');
      assert.equal((await data.messages.after('web:new', 0, 10)).length, 1);
      assert.equal(await data.handoffs.get('h-old'), undefined);
      assert.ok(await data.handoffs.get('h-waiting'), 'a queued handoff is never deleted');
      assert.equal(await data.tickets.get('T-old'), undefined);
      assert.ok(await data.tickets.get('T-open'), 'an open ticket is never deleted');
      assert.deepEqual(
        (await data.inbox.list({})).items.map((e) => e.id),
        ['zh-new'],
      );

      const audit = createAuditLog({ data });
      assert.equal((await audit.verify()).ok, true);
      const [entry] = (await audit.page({ limit: 1 })).entries;
      assert.deepEqual([entry?.actor, entry?.action, entry?.detail.messages, entry?.detail.inbox], ['retention', 'retention', 1, 1]);

      assert.equal(await retention.sweepIfDue(), undefined, 'once a day');
      clock.tick(31 * DAY);
      const later = await retention.sweepIfDue();
      assert.equal(later?.customerLinks, 2, 'links with no commit since the cutoff go');
      assert.equal(later?.inbox, 1);
      assert.equal((await audit.verify()).ok, true);
    } finally {
      await retention.stop();
    }
  });

  it('instances sharing a store sweep once a day between them; a kind without a period is kept', async () => {
    const clock = createClock(Date.UTC(2026, 0, 1));
    const data = createMemoryData({ now: clock.now });
    await fill(data, (days) => clock.now() - days * DAY);
    const periods = { ...PERIODS, inboxDays: 0 };
    const a = startRetention({ data, periods, log: silentLogger, now: clock.now });
    const b = startRetention({ data, periods, log: silentLogger, now: clock.now });
    try {
      const results = await Promise.all([a.sweepIfDue(), b.sweepIfDue()]);
      assert.equal(results.filter((r) => r !== undefined).length, 1);
      assert.equal(await data.inbox.count(), 2);
      assert.equal((await createAuditLog({ data }).page({ limit: 10 })).entries.filter((e) => e.action === 'retention').length, 1);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  it('expired sessions are swept with SESSION_TTL_DAYS', async () => {
    const clock = createClock(Date.UTC(2026, 0, 1));
    const data = createMemoryData({ now: clock.now, sessionTtlSeconds: DAY / 1000 });
    await data.commit({ key: 'web:idle', ref: REF, session: { value: session(), expectedVersion: 0 }, messages: [] });
    clock.tick(2 * DAY);
    const retention = startRetention({ data, periods: { ...PERIODS, sessionsDays: 1 }, log: silentLogger, now: clock.now });
    try {
      assert.equal((await retention.sweepIfDue())?.sessions, 1);
    } finally {
      await retention.stop();
    }
  });
});

describe('retention config', () => {
  it('is off unless a RETENTION_* period is set (SESSION_TTL_DAYS alone is swept by the stores)', () => {
    assert.equal(retentionIsOn(retentionPeriodsOf(loadConfig({}))), false);
    const on = retentionPeriodsOf(loadConfig({ RETENTION_TICKETS_DAYS: '365' }));
    assert.equal(retentionIsOn(on), true);
    assert.deepEqual(on, { messagesDays: 0, handoffsDays: 0, ticketsDays: 365, inboxDays: 0, sessionsDays: 30 });
  });
});
