/** CounterRepo, AuditRepo, InboxRepo, MetaRepo. */
import assert from 'node:assert/strict';
import { allPages, inboxEntry } from '../fixtures';
import type { SuiteContext } from '../harness';

export function smallRepoSuite({ open, test }: SuiteContext): void {
  describe('counters', () => {
    test('add sums deltas per scope and name; get and range read them back in scope order', async () => {
      const { data } = await open();
      await data.counters.add([
        { scope: 'day:2025-01-02:web:en', values: { turns: 2, 'intent:order.status': 1 } },
        { scope: 'day:2025-01-01:web:zh', values: { turns: 1 } },
      ]);
      await data.counters.add([{ scope: 'day:2025-01-02:web:en', values: { turns: 3, botTurns: 1 } }]);
      await data.counters.add([{ scope: 'day:2025-02-01:web:en', values: { turns: 7 } }]);
      assert.deepEqual(await data.counters.get('day:2025-01-02:web:en'), { turns: 5, 'intent:order.status': 1, botTurns: 1 });
      assert.deepEqual(await data.counters.get('day:1999-01-01:web:en'), {});
      assert.deepEqual(await data.counters.range('day:2025-01-01', 'day:2025-01-31~'), [
        { scope: 'day:2025-01-01:web:zh', values: { turns: 1 } },
        { scope: 'day:2025-01-02:web:en', values: { turns: 5, 'intent:order.status': 1, botTurns: 1 } },
      ]);
    });

    test('concurrent adds from two connections lose nothing', async () => {
      const h = await open();
      const other = h.another ? await h.another() : h.data;
      await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? other : h.data).counters.add([{ scope: 'all', values: { turns: 1, odd: i % 2 } }])));
      assert.deepEqual(await h.data.counters.get('all'), { turns: 40, odd: 20 });
    });
  });

  describe('audit rows', () => {
    test('insert takes a seq once; get, last, scan and before read them back', async () => {
      const { data } = await open();
      assert.equal(await data.audit.last(), undefined);
      for (let seq = 1; seq <= 5; seq++) assert.equal(await data.audit.insert(seq, { seq, actor: 'anna', note: '审计' }), 'ok');
      assert.equal(await data.audit.insert(3, { seq: 3, actor: 'mallory' }), 'conflict');
      assert.deepEqual(await data.audit.get(3), { seq: 3, value: { seq: 3, actor: 'anna', note: '审计' } });
      assert.equal(await data.audit.get(9), undefined);
      assert.equal((await data.audit.last())?.seq, 5);
      assert.deepEqual(
        (await data.audit.scan(1, 3)).map((r) => r.seq),
        [2, 3, 4],
      );
      assert.deepEqual(
        (await data.audit.before(5, 2)).map((r) => r.seq),
        [4, 3],
      );
    });

    test('two writers racing for one seq: exactly one gets it', async () => {
      const h = await open();
      const other = h.another ? await h.another() : h.data;
      const results = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? other : h.data).audit.insert(1, { by: i })));
      assert.equal(results.filter((r) => r === 'ok').length, 1);
    });

    test('a damaged entry reads back as unreadable (for verification to name), not as an error', async function () {
      const h = await open();
      if (!h.corrupt) return this.skip();
      await h.data.audit.insert(1, { a: 1 });
      await h.data.audit.insert(2, { a: 2 });
      await h.corrupt('audit', '2');
      const rows = await h.data.audit.scan(0, 10);
      assert.deepEqual(rows[0], { seq: 1, value: { a: 1 } });
      assert.ok(rows[1] && 'unreadable' in rows[1] && rows[1].seq === 2);
    });
  });

  describe('inbox', () => {
    test('put is a compare-and-set; get and delete', async () => {
      const { data } = await open();
      assert.equal(await data.inbox.put(inboxEntry({ id: 'zh-1' }), 0), 'ok');
      assert.equal(await data.inbox.put(inboxEntry({ id: 'zh-1', count: 9 }), 0), 'conflict');
      assert.equal(await data.inbox.put(inboxEntry({ id: 'zh-1', count: 2 }), 1), 'ok');
      assert.deepEqual([(await data.inbox.get('zh-1'))?.value.count, (await data.inbox.get('zh-1'))?.version], [2, 2]);
      await data.inbox.delete(['zh-1', 'absent']);
      assert.equal(await data.inbox.get('zh-1'), undefined);
      assert.equal(await data.inbox.count(), 0);
    });

    test('list: open first, then most frequent, most recent; filters; paged', async () => {
      const { data } = await open();
      await data.inbox.put(inboxEntry({ id: 'a', count: 1, lastAt: 5 }), 0);
      await data.inbox.put(inboxEntry({ id: 'b', count: 3, lastAt: 1 }), 0);
      await data.inbox.put(inboxEntry({ id: 'c', count: 1, lastAt: 9 }), 0);
      await data.inbox.put(inboxEntry({ id: 'd', count: 99, status: 'labelled', intent: 'faq.payment' }), 0);
      await data.inbox.put(inboxEntry({ id: 'e', count: 5, locale: 'en', text: 'invoice?' }), 0);
      const ids = async (filter: Parameters<typeof data.inbox.list>[0]) =>
        (await allPages((after) => data.inbox.list(filter, { limit: 2, ...(after ? { after } : {}) }))).map((e) => e.id);
      assert.deepEqual(await ids({}), ['e', 'b', 'c', 'a', 'd']);
      assert.deepEqual(await ids({ status: 'open', locale: 'zh' }), ['b', 'c', 'a']);
      assert.deepEqual(await ids({ status: 'labelled' }), ['d']);
      assert.equal(await data.inbox.count(), 5);
    });

    test('pruneCandidates: exported, dismissed, then rare old open entries; never labelled ones', async () => {
      const { data } = await open();
      await data.inbox.put(inboxEntry({ id: 'open-rare-old', count: 1, lastAt: 1 }), 0);
      await data.inbox.put(inboxEntry({ id: 'open-rare-new', count: 1, lastAt: 2 }), 0);
      await data.inbox.put(inboxEntry({ id: 'open-common', count: 50 }), 0);
      await data.inbox.put(inboxEntry({ id: 'dismissed', status: 'dismissed', count: 100 }), 0);
      await data.inbox.put(inboxEntry({ id: 'exported', status: 'exported', count: 100 }), 0);
      await data.inbox.put(inboxEntry({ id: 'labelled', status: 'labelled', count: 0 }), 0);
      assert.deepEqual(
        (await data.inbox.pruneCandidates(4)).map((e) => e.id),
        ['exported', 'dismissed', 'open-rare-old', 'open-rare-new'],
      );
      assert.equal((await data.inbox.pruneCandidates(10)).length, 5);
    });
  });

  describe('meta values and sequences', () => {
    test('put is a compare-and-set; get reads the value and version', async () => {
      const { data } = await open();
      assert.equal(await data.meta.get('agent-status:anna'), undefined);
      assert.equal(await data.meta.put('agent-status:anna', { status: 'away' }, 0), 'ok');
      assert.equal(await data.meta.put('agent-status:anna', { status: 'online' }, 0), 'conflict');
      assert.equal(await data.meta.put('agent-status:anna', { status: 'online' }, 1), 'ok');
      assert.deepEqual(await data.meta.get('agent-status:anna'), { value: { status: 'online' }, version: 2 });
    });

    test('nextSeq hands out each number once, also to concurrent callers on two connections', async () => {
      const h = await open();
      const other = h.another ? await h.another() : h.data;
      assert.equal(await h.data.meta.nextSeq('ticket'), 1);
      assert.equal(await h.data.meta.nextSeq('ticket', 3), 4);
      const got = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? other : h.data).meta.nextSeq('ticket')));
      assert.equal(new Set(got).size, 30);
      assert.deepEqual(
        [...got].sort((a, b) => a - b),
        Array.from({ length: 30 }, (_, i) => i + 5),
      );
      assert.equal(await h.data.meta.nextSeq('other'), 1, 'sequences are independent');
    });
  });
}
