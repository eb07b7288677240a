/** HandoffRepo and TicketRepo: one active handoff per conversation, CAS, the queue order, paging, lookups. */
import assert from 'node:assert/strict';
import { expectCode } from '../../stores/suite-helpers';
import { allPages, handoff, ticket } from '../fixtures';
import type { SuiteContext } from '../harness';

export function handoffSuite({ open, test }: SuiteContext): void {
  describe('handoffs', () => {
    test('a conversation has at most one active handoff; once it ends, a new one can start', async () => {
      const { data } = await open();
      assert.equal(await data.handoffs.create(handoff({ id: 'h1', key: 'web:c' })), 'ok');
      assert.equal(await data.handoffs.create(handoff({ id: 'h2', key: 'web:c' })), 'exists');
      assert.equal(await data.handoffs.create(handoff({ id: 'h1', key: 'web:other' })), 'exists', 'ids are unique too');
      const active = await data.handoffs.active('web:c');
      assert.deepEqual([active?.value.id, active?.version], ['h1', 1]);
      assert.equal(await data.handoffs.update({ ...(active?.value ?? handoff({ id: 'h1' })), state: 'resolved', resolvedAt: 2000, updatedAt: 2000 }, 1), 'ok');
      assert.equal(await data.handoffs.active('web:c'), undefined);
      assert.equal(await data.handoffs.create(handoff({ id: 'h2', key: 'web:c', requestedAt: 3000 })), 'ok');
      assert.equal((await data.handoffs.latest('web:c'))?.value.id, 'h2');
      assert.equal((await data.handoffs.get('h1'))?.value.state, 'resolved');
    });

    test('update is a compare-and-set on the version; an unknown record conflicts', async () => {
      const { data } = await open();
      await data.handoffs.create(handoff({ id: 'h1' }));
      assert.equal(await data.handoffs.update(handoff({ id: 'h1', state: 'assigned', agentId: 'anna' }), 1), 'ok');
      assert.equal(await data.handoffs.update(handoff({ id: 'h1', state: 'queued' }), 1), 'conflict');
      assert.deepEqual([(await data.handoffs.get('h1'))?.value.agentId, (await data.handoffs.get('h1'))?.version], ['anna', 2]);
      assert.equal(await data.handoffs.update(handoff({ id: 'nope' }), 1), 'conflict');
      assert.equal(await data.handoffs.get('nope'), undefined);
    });

    test('erasing a conversation deletes its handoffs (and links) and tickets in every state, and nothing else', async () => {
      const { data } = await open();
      await data.handoffs.create(handoff({ id: 'e1', key: 'web:gone', requestedAt: 1000, links: { 'slack.thread': 'T1' } }));
      await data.handoffs.update(handoff({ id: 'e1', key: 'web:gone', requestedAt: 1000, state: 'resolved', links: { 'slack.thread': 'T1' } }), 1);
      await data.handoffs.create(handoff({ id: 'e2', key: 'web:gone', requestedAt: 2000 }));
      await data.handoffs.create(handoff({ id: 'k1', key: 'web:kept' }));
      await data.tickets.create(ticket({ id: 'T-1', key: 'web:gone', status: 'resolved' }));
      await data.tickets.create(ticket({ id: 'T-2', key: 'web:gone' }));
      await data.tickets.create(ticket({ id: 'T-3', key: 'web:kept' }));
      assert.equal(await data.handoffs.eraseConversation('web:gone'), 2);
      assert.equal(await data.tickets.eraseConversation('web:gone'), 2);
      assert.equal(await data.handoffs.latest('web:gone'), undefined);
      assert.equal(await data.handoffs.byLink('slack.thread', 'T1'), undefined, 'its links went with it');
      assert.equal(await data.tickets.get('T-1'), undefined);
      assert.equal(await data.tickets.openFor('web:gone'), undefined);
      assert.equal((await data.handoffs.active('web:kept'))?.value.id, 'k1', 'another conversation keeps its handoff');
      assert.equal((await data.tickets.get('T-3'))?.value.key, 'web:kept');
      await data.sessions.delete('web:gone'); // an erasure deletes the session too (on MongoDB it holds the active slot)
      assert.equal(await data.handoffs.create(handoff({ id: 'e3', key: 'web:gone' })), 'ok', 'the conversation may escalate again');
      assert.equal(await data.handoffs.eraseConversation('web:nobody'), 0);
    });

    test('20 concurrent escalations of one conversation: exactly one is stored', async () => {
      const { data } = await open();
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => data.handoffs.create(handoff({ id: `race${i}`, key: 'web:race' }))));
      assert.equal(results.filter((r) => r === 'ok').length, 1);
      assert.equal((await data.handoffs.countByState()).queued, 1);
    });

    test('the queue lists queued handoffs only: higher priority first, then earlier, then id; paged with a cursor', async () => {
      const { data } = await open();
      const specs: Array<[string, number, number]> = [
        ['a', 0, 300],
        ['b', 2, 500],
        ['c', 0, 100],
        ['d', 1, 100],
        ['e', 0, 100],
        ['f', 2, 400],
      ];
      for (const [id, priority, requestedAt] of specs) await data.handoffs.create(handoff({ id, priority, requestedAt }));
      await data.handoffs.create(handoff({ id: 'x', state: 'assigned', agentId: 'anna', priority: 9 }));
      const order = await allPages((after) => data.handoffs.queue({ limit: 2, ...(after ? { after } : {}) }));
      assert.deepEqual(
        order.map((r) => r.id),
        ['f', 'b', 'd', 'c', 'e', 'a'],
      );
      const first = await data.handoffs.queue({ limit: 4 });
      assert.equal(first.items.length, 4);
      assert.ok(first.next);
      assert.deepEqual((await data.handoffs.queue({ limit: 10 })).next, undefined);
    });

    test('a bad limit or a cursor from elsewhere is KEFU_ERR_PAGE_INVALID', async () => {
      const { data } = await open();
      await expectCode(data.handoffs.queue({ limit: 0 }), 'KEFU_ERR_PAGE_INVALID');
      await expectCode(data.handoffs.queue({ limit: 1.5 }), 'KEFU_ERR_PAGE_INVALID');
      await expectCode(data.handoffs.queue({ after: 'not-a-cursor' }), 'KEFU_ERR_PAGE_INVALID');
      await expectCode(data.handoffs.queue({ after: Buffer.from('["x"]').toString('base64url') }), 'KEFU_ERR_PAGE_INVALID');
    });

    test('list by state and by agent, most recently updated first', async () => {
      const { data } = await open();
      await data.handoffs.create(handoff({ id: 'a1', state: 'assigned', agentId: 'anna', updatedAt: 10 }));
      await data.handoffs.create(handoff({ id: 'a2', state: 'assigned', agentId: 'anna', updatedAt: 30 }));
      await data.handoffs.create(handoff({ id: 'w1', state: 'assigned', agentId: 'wang', updatedAt: 20 }));
      await data.handoffs.create(handoff({ id: 'r1', state: 'resolved', agentId: 'anna', updatedAt: 40 }));
      const ids = async (filter: Parameters<typeof data.handoffs.list>[0]) =>
        (await allPages((after) => data.handoffs.list(filter, { limit: 1, ...(after ? { after } : {}) }))).map((r) => r.id);
      assert.deepEqual(await ids({ state: 'assigned' }), ['a2', 'w1', 'a1']);
      assert.deepEqual(await ids({ state: 'assigned', agentId: 'anna' }), ['a2', 'a1']);
      assert.deepEqual(await ids({ agentId: 'anna' }), ['r1', 'a2', 'a1']);
      assert.deepEqual(await ids({ state: 'cancelled' }), []);
      assert.deepEqual(await data.handoffs.agentLoads(), { anna: 2, wang: 1 });
    });

    test('requestedBetween is a half-open range, oldest first', async () => {
      const { data } = await open();
      for (const [id, at] of [
        ['h1', 100],
        ['h2', 200],
        ['h3', 300],
        ['h4', 200],
      ] as const)
        await data.handoffs.create(handoff({ id, requestedAt: at, state: 'resolved' }));
      const got = await allPages((after) => data.handoffs.requestedBetween(200, 300, { limit: 1, ...(after ? { after } : {}) }));
      assert.deepEqual(
        got.map((r) => r.id),
        ['h2', 'h4'],
      );
    });

    test('byLink finds the most recent handoff carrying a link; countByState counts every state', async () => {
      const { data } = await open();
      await data.handoffs.create(handoff({ id: 'old', key: 'slack:U1', state: 'resolved', requestedAt: 1, links: { 'slack.thread_ts': '111.1' } }));
      await data.handoffs.create(handoff({ id: 'new', key: 'slack:U1', requestedAt: 2, links: { 'slack.thread_ts': '111.1' } }));
      await data.handoffs.create(handoff({ id: 'other', key: 'slack:U2', links: { 'slack.thread_ts': '222.2' } }));
      assert.equal((await data.handoffs.byLink('slack.thread_ts', '111.1'))?.value.id, 'new');
      assert.equal(await data.handoffs.byLink('slack.thread_ts', '333.3'), undefined);
      const moved = await data.handoffs.get('other');
      await data.handoffs.update({ ...(moved?.value ?? handoff({ id: 'other' })), links: { 'slack.thread_ts': '444.4' } }, 1);
      assert.equal(await data.handoffs.byLink('slack.thread_ts', '222.2'), undefined, 'a changed link is found by its new value only');
      assert.equal((await data.handoffs.byLink('slack.thread_ts', '444.4'))?.value.id, 'other');
      assert.deepEqual(await data.handoffs.countByState(), { queued: 2, assigned: 0, resolved: 1, ticket: 0, cancelled: 0 });
    });

    test('a corrupt handoff is reported and left out of the queue', async function () {
      const h = await open();
      if (!h.corrupt) return this.skip();
      await h.data.handoffs.create(handoff({ id: 'ok1' }));
      await h.data.handoffs.create(handoff({ id: 'bad' }));
      await h.corrupt('handoffs', 'bad');
      assert.deepEqual(
        (await h.data.handoffs.queue()).items.map((r) => r.id),
        ['ok1'],
      );
      assert.deepEqual(
        h.corruptRows.map((r) => [r.table, r.id]),
        [['handoffs', 'bad']],
      );
    });
  });

  describe('tickets', () => {
    test('create, read, compare-and-set update', async () => {
      const { data } = await open();
      assert.equal(await data.tickets.create(ticket({ id: 'T-000001' })), 'ok');
      assert.equal(await data.tickets.create(ticket({ id: 'T-000001' })), 'exists');
      const t = await data.tickets.get('T-000001');
      assert.deepEqual([t?.value.transcript[0]?.text, t?.version], ['我要退款', 1]);
      assert.equal(await data.tickets.update({ ...(t?.value ?? ticket({ id: 'x' })), status: 'pending', assigneeId: 'wang' }, 1), 'ok');
      assert.equal(await data.tickets.update({ ...(t?.value ?? ticket({ id: 'x' })), status: 'closed' }, 1), 'conflict');
      assert.equal((await data.tickets.get('T-000001'))?.value.status, 'pending');
      assert.equal(await data.tickets.update(ticket({ id: 'T-404' }), 1), 'conflict');
    });

    test('list filters by status and assignee: higher priority first, then oldest; paged', async () => {
      const { data } = await open();
      await data.tickets.create(ticket({ id: 'T-1', priority: 0, createdAt: 1 }));
      await data.tickets.create(ticket({ id: 'T-2', priority: 2, createdAt: 5 }));
      await data.tickets.create(ticket({ id: 'T-3', priority: 0, createdAt: 0, assigneeId: 'anna' }));
      await data.tickets.create(ticket({ id: 'T-4', status: 'closed', priority: 9 }));
      const ids = async (filter: Parameters<typeof data.tickets.list>[0]) =>
        (await allPages((after) => data.tickets.list(filter, { limit: 1, ...(after ? { after } : {}) }))).map((t) => t.id);
      assert.deepEqual(await ids({ status: 'open' }), ['T-2', 'T-3', 'T-1']);
      assert.deepEqual(await ids({}), ['T-4', 'T-2', 'T-3', 'T-1']);
      assert.deepEqual(await ids({ assigneeId: 'anna' }), ['T-3']);
      assert.deepEqual(await data.tickets.countByStatus(), { open: 3, pending: 0, resolved: 0, closed: 1 });
    });

    test('openFor finds the conversation’s newest open or pending ticket', async () => {
      const { data } = await open();
      await data.tickets.create(ticket({ id: 'T-1', key: 'web:c', status: 'closed', createdAt: 1 }));
      assert.equal(await data.tickets.openFor('web:c'), undefined);
      await data.tickets.create(ticket({ id: 'T-2', key: 'web:c', status: 'pending', createdAt: 2 }));
      await data.tickets.create(ticket({ id: 'T-3', key: 'web:d', createdAt: 3 }));
      assert.equal((await data.tickets.openFor('web:c'))?.value.id, 'T-2');
    });
  });
}
