/**
 * Erasure by customer and retention: the customer links every commit writes (and what deletes
 * them), and each repository's `deleteOlderThan` (by age, a page at a time, never what is still
 * active: pending messages, queued or assigned handoffs, open or pending tickets).
 */
import assert from 'node:assert/strict';
import { customerIdOf, type Repositories } from '../../../core/data';
import { allPages, handoff, inboxEntry, message, session, ticket } from '../fixtures';
import type { SuiteContext } from '../harness';

const refOf = (key: string, userId: string) => ({ channel: key.split(':')[0] ?? 'web', conversationId: key.split(':')[1] ?? 'c', userId });

/** A turn of `userId` in conversation `key` (a new session), with one message written at `at`. */
const turn = (data: Repositories, key: string, userId: string, at = 1000) =>
  data.commit({ key, ref: refOf(key, userId), session: { value: session(), expectedVersion: 0 }, messages: [message({ at, from: 'customer' })] });

const keysOf = (data: Repositories, customer: string) => allPages((after) => data.sessions.conversationsOf(customer, { limit: 2, ...(after ? { after } : {}) }));

export function retentionSuite({ open, test, clock }: SuiteContext): void {
  describe('customer links and retention', () => {
    test('a customer’s conversations are listed by key, paged, and only theirs', async () => {
      const { data } = await open();
      for (const key of ['web:c3', 'web:c1', 'web:c2']) await turn(data, key, 'u42');
      await turn(data, 'web:other', 'u7');
      await turn(data, 'telegram:42', '42');
      assert.deepEqual(await keysOf(data, 'web:u42'), ['web:c1', 'web:c2', 'web:c3']);
      assert.deepEqual(await keysOf(data, 'telegram:42'), ['telegram:42']);
      assert.deepEqual(await keysOf(data, 'web:42'), [], 'a user id on another channel is another customer');
      assert.equal(customerIdOf({ channel: 'wechat', userId: 'o6_bmjrPTlm6' }), 'wechat:o6_bmjrPTlm6');
    });

    test('a visitor whose conversation is their own customer is listed in key order among their others, on every page', async () => {
      const { data } = await open();
      for (const key of ['web:v', 'web:a', 'web:z', 'web:b']) await turn(data, key, 'v'); // web:v is the visitor's own
      assert.deepEqual(await keysOf(data, 'web:v'), ['web:a', 'web:b', 'web:v', 'web:z']);
      const one = await allPages((after) => data.sessions.conversationsOf('web:v', { limit: 1, ...(after ? { after } : {}) }));
      assert.deepEqual(one, ['web:a', 'web:b', 'web:v', 'web:z']);
      const three = await allPages((after) => data.sessions.conversationsOf('web:v', { limit: 3, ...(after ? { after } : {}) }));
      assert.deepEqual(three, ['web:a', 'web:b', 'web:v', 'web:z']);
      await turn(data, 'web:solo', 'solo');
      assert.deepEqual(await keysOf(data, 'web:solo'), ['web:solo']);
      await data.sessions.delete('web:v');
      assert.deepEqual(await keysOf(data, 'web:v'), ['web:a', 'web:b', 'web:z']);
    });

    test('a push links its conversation too; deleting the session deletes the link, and only that one', async () => {
      const { data } = await open();
      await data.commit({ key: 'web:p', ref: refOf('web:p', 'u1'), messages: [message({ from: 'agent' })] });
      await turn(data, 'web:q', 'u1');
      assert.deepEqual(await keysOf(data, 'web:u1'), ['web:p', 'web:q']);
      await data.sessions.delete('web:q');
      assert.deepEqual(await keysOf(data, 'web:u1'), ['web:p']);
    });

    test('the link outlives the session’s expiry', async () => {
      const { data } = await open({ sessionTtlSeconds: 60 });
      await turn(data, 'web:idle', 'u9');
      clock().tick(61_000);
      await data.sessions.sweep();
      assert.equal(await data.sessions.read('web:idle'), undefined);
      assert.deepEqual(await keysOf(data, 'web:u9'), ['web:idle']);
    });

    test('links of conversations with no commit since the cutoff go, a page at a time', async () => {
      const { data } = await open();
      const start = clock().now();
      await turn(data, 'web:old1', 'u1');
      await turn(data, 'web:old2', 'u1');
      clock().tick(10_000);
      await turn(data, 'web:new', 'u1');
      assert.equal(await data.sessions.deleteLinksOlderThan(start + 5000, 1), 1);
      assert.equal(await data.sessions.deleteLinksOlderThan(start + 5000, 10), 1);
      assert.equal(await data.sessions.deleteLinksOlderThan(start + 5000, 10), 0);
      assert.deepEqual(await keysOf(data, 'web:u1'), ['web:new']);
    });

    test('messages older than the cutoff go, a page at a time; newer ones and the outbox stay', async () => {
      const { data } = await open();
      const ref = refOf('web:m', 'u1');
      await data.commit({
        key: 'web:m',
        ref,
        messages: [
          message({ text: 'old 1', at: 100 }),
          message({ text: 'old 2', at: 200 }),
          message({ text: 'to send', at: 300, deliver: true }),
          message({ text: 'new', at: 5000 }),
        ],
      });
      await data.commit({ key: 'web:n', ref: refOf('web:n', 'u2'), messages: [message({ text: 'old 3', at: 150 })] });
      assert.equal(await data.messages.deleteOlderThan(1000, 2), 2);
      assert.equal(await data.messages.deleteOlderThan(1000, 10), 1);
      assert.equal(await data.messages.deleteOlderThan(1000, 10), 0);
      assert.deepEqual(
        (await data.messages.after('web:m', 0, 10)).map((m) => m.text),
        ['to send', 'new'],
      );
      assert.deepEqual(await data.messages.after('web:n', 0, 10), []);
      assert.equal((await data.messages.pending('web:m', 10)).length, 1, 'a message waiting in the outbox is kept whatever its age');
    });

    test('a conversation whose newest messages retention deleted numbers on after them; erasure starts it over', async () => {
      const { data } = await open();
      const ref = refOf('web:r', 'u1');
      const texts = async (key: string, after: number) => (await data.messages.after(key, after, 10)).map((m) => m.text);
      const seqs = async (key: string) => (await data.messages.after(key, 0, 10)).map((m) => m.seq);
      await data.commit({ key: 'web:r', ref, messages: [message({ text: 'one', at: 100 }), message({ text: 'two', at: 200 })] });
      await data.commit({ key: 'web:s', ref, messages: [message({ text: 'waits', at: 100, deliver: true }), message({ text: 'said', at: 200 })] });
      assert.equal(await data.messages.deleteOlderThan(1000, 10), 3);
      assert.equal(await data.messages.lastSeq('web:r'), 2);
      assert.equal(await data.messages.lastSeq('web:s'), 2, 'the newest went, an older one waiting in the outbox stayed');
      await data.commit({ key: 'web:r', ref, messages: [message({ text: 'three', at: 5000 })] });
      await data.commit({ key: 'web:s', ref, messages: [message({ text: 'later', at: 5000 })] });
      assert.deepEqual(await texts('web:r', 2), ['three'], 'a page holding cursor 2 finds what came next');
      assert.deepEqual(await seqs('web:r'), [3]);
      assert.deepEqual(await texts('web:s', 2), ['later']);
      await data.messages.eraseConversation('web:r');
      await data.commit({ key: 'web:r', ref, messages: [message({ text: 'anew', at: 6000 })] });
      assert.deepEqual(await seqs('web:r'), [1]);
    });

    test('finished handoffs updated before the cutoff go; active ones never', async () => {
      const { data } = await open();
      await data.handoffs.create(handoff({ id: 'h1', state: 'resolved', updatedAt: 100, links: { 'slack.thread_ts': 't1' } }));
      await data.handoffs.create(handoff({ id: 'h2', state: 'cancelled', updatedAt: 200 }));
      await data.handoffs.create(handoff({ id: 'h3', state: 'ticket', updatedAt: 300 }));
      await data.handoffs.create(handoff({ id: 'h4', state: 'queued', updatedAt: 100 }));
      await data.handoffs.create(handoff({ id: 'h5', state: 'assigned', agentId: 'a1', updatedAt: 100 }));
      await data.handoffs.create(handoff({ id: 'h6', state: 'resolved', updatedAt: 5000 }));
      assert.equal(await data.handoffs.deleteOlderThan(1000, 2), 2);
      assert.equal(await data.handoffs.deleteOlderThan(1000, 10), 1);
      assert.equal(await data.handoffs.deleteOlderThan(1000, 10), 0);
      for (const id of ['h1', 'h2', 'h3']) assert.equal(await data.handoffs.get(id), undefined);
      for (const id of ['h4', 'h5', 'h6']) assert.ok(await data.handoffs.get(id), id);
      assert.equal(await data.handoffs.byLink('slack.thread_ts', 't1'), undefined, 'its links went with it');
    });

    test('resolved and closed tickets updated before the cutoff go; open and pending ones never', async () => {
      const { data } = await open();
      await data.tickets.create(ticket({ id: 'T-1', status: 'resolved', updatedAt: 100 }));
      await data.tickets.create(ticket({ id: 'T-2', status: 'closed', updatedAt: 200 }));
      await data.tickets.create(ticket({ id: 'T-3', status: 'open', updatedAt: 100 }));
      await data.tickets.create(ticket({ id: 'T-4', status: 'pending', updatedAt: 100 }));
      await data.tickets.create(ticket({ id: 'T-5', status: 'closed', updatedAt: 5000 }));
      assert.equal(await data.tickets.deleteOlderThan(1000, 1), 1);
      assert.equal(await data.tickets.deleteOlderThan(1000, 10), 1);
      assert.equal(await data.tickets.deleteOlderThan(1000, 10), 0);
      assert.deepEqual((await allPages((after) => data.tickets.list({}, after ? { after } : {}))).map((t) => t.id).sort(), ['T-3', 'T-4', 'T-5']);
    });

    test('inbox entries last seen before the cutoff go, whatever their status', async () => {
      const { data } = await open();
      await data.inbox.put(inboxEntry({ id: 'zh-1', lastAt: 100 }), 0);
      await data.inbox.put(inboxEntry({ id: 'zh-2', lastAt: 200, status: 'labelled', intent: 'faq.payment' }), 0);
      await data.inbox.put(inboxEntry({ id: 'zh-3', lastAt: 5000 }), 0);
      assert.equal(await data.inbox.deleteOlderThan(1000, 1), 1);
      assert.equal(await data.inbox.deleteOlderThan(1000, 10), 1);
      assert.equal(await data.inbox.deleteOlderThan(1000, 10), 0);
      assert.equal(await data.inbox.count(), 1);
      assert.ok(await data.inbox.get('zh-3'));
    });
  });
}
