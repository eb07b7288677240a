/** MessageRepo: order and cursors, audiences, and the outbox lanes (pending, due, retry, sent, failed). */
import assert from 'node:assert/strict';
import type { Repositories } from '../../../core/data';
import { expectCode } from '../../stores/suite-helpers';
import { allPages, message, REF } from '../fixtures';
import type { SuiteContext } from '../harness';

const push = (data: Repositories, key: string, ...texts: Array<string | { text: string; deliver?: boolean; from?: 'note' | 'agent' | 'customer'; notBefore?: number }>) =>
  data.commit({
    key,
    ref: { ...REF, conversationId: key.split(':')[1] ?? 'c' },
    messages: texts.map((t) => (typeof t === 'string' ? message({ text: t }) : message(t))),
  });

export function messageSuite({ open, test, clock }: SuiteContext): void {
  describe('messages and the outbox', () => {
    test('erasing a conversation deletes its messages and its outbox lane, and nothing else', async () => {
      const { data } = await open();
      await push(data, 'web:gone', 'hello', { text: 'to send', deliver: true });
      await push(data, 'web:kept', 'stay');
      assert.equal(await data.messages.eraseConversation('web:gone'), 2);
      assert.deepEqual(await data.messages.after('web:gone', 0, 10), []);
      assert.deepEqual(await data.messages.pending('web:gone', 10), [], 'nothing left to deliver');
      await data.sessions.delete('web:gone'); // an erasure deletes the session too: the conversation starts over
      assert.equal(await data.messages.lastSeq('web:gone'), 0);
      assert.deepEqual(
        (await data.messages.after('web:kept', 0, 10)).map((m) => m.text),
        ['stay'],
      );
      assert.equal(await data.messages.eraseConversation('web:nobody'), 0);
    });

    test('commits append in order with per-conversation seqs 1, 2, 3…; the result returns them stored', async () => {
      const { data } = await open();
      const first = await push(data, 'web:a', 'one', 'two');
      assert.ok(first.ok);
      assert.deepEqual(
        first.messages.map((m) => [m.key, m.seq, m.text]),
        [
          ['web:a', 1, 'one'],
          ['web:a', 2, 'two'],
        ],
      );
      await push(data, 'web:b', 'other conversation');
      await push(data, 'web:a', 'three');
      assert.deepEqual(
        (await data.messages.after('web:a', 0, 50)).map((m) => [m.seq, m.text]),
        [
          [1, 'one'],
          [2, 'two'],
          [3, 'three'],
        ],
      );
      assert.equal(await data.messages.lastSeq('web:a'), 3);
      assert.equal(await data.messages.lastSeq('web:b'), 1);
    });

    test('after() pages forward from a seq; before() gives the newest page before a seq, oldest first', async () => {
      const { data } = await open();
      await push(data, 'web:p', ...Array.from({ length: 7 }, (_, i) => `m${i + 1}`));
      assert.deepEqual(
        (await data.messages.after('web:p', 2, 3)).map((m) => m.text),
        ['m3', 'm4', 'm5'],
      );
      assert.deepEqual(
        (await data.messages.after('web:p', 7, 3)).map((m) => m.text),
        [],
      );
      assert.deepEqual(
        (await data.messages.before('web:p', undefined, 3)).map((m) => m.text),
        ['m5', 'm6', 'm7'],
      );
      assert.deepEqual(
        (await data.messages.before('web:p', 5, 3)).map((m) => m.text),
        ['m2', 'm3', 'm4'],
      );
      await expectCode(data.messages.after('web:p', 0, 0), 'KEFU_ERR_PAGE_INVALID');
      await expectCode(data.messages.after('web:p', 0, 501), 'KEFU_ERR_PAGE_INVALID');
    });

    test('content round-trips: Chinese text, quick replies, attachments, intent, agent', async () => {
      const { data } = await open();
      const m = message({
        from: 'agent',
        text: '您好，我是王芳 👋 "quoted" \\ back',
        locale: 'zh',
        agentId: 'wang',
        quickReplies: [{ label: '确认修改', payload: 'yes' }],
        attachments: [{ kind: 'image', url: 'https://example.test/a.png', name: '图.png' }],
        intent: 'refund.request',
      });
      await data.commit({ key: 'web:rt', ref: REF, messages: [m] });
      const [stored] = await data.messages.after('web:rt', 0, 10);
      const { key, seq, ...rest } = stored ?? { key: '', seq: 0 };
      assert.deepEqual([key, seq], ['web:rt', 1]);
      assert.deepEqual(rest, m);
    });

    test('customers never read internal notes; staff do', async () => {
      const { data } = await open();
      await push(data, 'web:n', 'hello', { text: 'customer seems upset', from: 'note' }, 'bye');
      assert.deepEqual(
        (await data.messages.after('web:n', 0, 10, 'customer')).map((m) => m.text),
        ['hello', 'bye'],
      );
      assert.deepEqual(
        (await data.messages.before('web:n', undefined, 10, 'customer')).map((m) => m.text),
        ['hello', 'bye'],
      );
      assert.equal((await data.messages.after('web:n', 0, 10, 'staff')).length, 3);
    });

    test('concurrent pushes to one conversation get distinct, increasing seqs', async () => {
      const { data } = await open();
      await Promise.all(Array.from({ length: 20 }, (_, i) => push(data, 'web:c', `p${i}`)));
      const seqs = (await data.messages.after('web:c', 0, 50)).map((m) => m.seq);
      assert.equal(seqs.length, 20);
      assert.equal(new Set(seqs).size, 20);
      assert.deepEqual(
        seqs,
        [...seqs].sort((a, b) => a - b),
      );
    });

    test('messages to deliver are pending in order, with their ref; the others are not in the outbox', async () => {
      const { data } = await open();
      await push(data, 'telegram:42', { text: 'customer said', from: 'customer' }, { text: 'r1', deliver: true }, { text: 'r2', deliver: true });
      const pending = await data.messages.pending('telegram:42', 10);
      assert.deepEqual(
        pending.map((m) => [m.text, m.delivery?.state, m.delivery?.attempts]),
        [
          ['r1', 'pending', 0],
          ['r2', 'pending', 0],
        ],
      );
      assert.deepEqual(pending[0]?.ref, { ...REF, conversationId: '42' });
      assert.equal((await data.messages.after('telegram:42', 0, 10))[0]?.delivery, undefined);
      assert.equal(await data.messages.countPending(), 2);
      assert.deepEqual(await data.messages.dueLanes(clock().now(), 10), ['telegram:42']);
      assert.equal(await data.messages.nextDueAt(), clock().now());
    });

    test('markSent takes messages out of the outbox and keeps them in the transcript', async () => {
      const { data } = await open();
      const r = await push(data, 'telegram:1', { text: 'a', deliver: true }, { text: 'b', deliver: true });
      assert.ok(r.ok);
      await data.messages.markSent('telegram:1', [r.messages[0]?.seq as number], clock().now());
      assert.deepEqual(
        (await data.messages.pending('telegram:1', 10)).map((m) => m.text),
        ['b'],
      );
      await data.messages.markSent('telegram:1', [r.messages[1]?.seq as number], clock().now());
      assert.equal(await data.messages.countPending(), 0);
      assert.deepEqual(await data.messages.dueLanes(clock().now(), 10), []);
      assert.equal(await data.messages.nextDueAt(), undefined);
      const sent = await data.messages.after('telegram:1', 0, 10);
      assert.deepEqual(
        sent.map((m) => [m.text, m.delivery?.state, m.delivery?.doneAt]),
        [
          ['a', 'sent', clock().now()],
          ['b', 'sent', clock().now()],
        ],
      );
    });

    test('markRetry parks the whole lane until its time; other lanes stay due; the longest waiting lane comes first', async () => {
      const { data } = await open();
      const t0 = clock().now();
      const a = await push(data, 'telegram:a', { text: 'a1', deliver: true }, { text: 'a2', deliver: true });
      clock().tick(10);
      await push(data, 'telegram:b', { text: 'b1', deliver: true });
      assert.ok(a.ok);
      assert.deepEqual(await data.messages.dueLanes(clock().now(), 10), ['telegram:a', 'telegram:b']);
      await data.messages.markRetry('telegram:a', a.messages[0]?.seq as number, { attempts: 1, nextAttemptAt: t0 + 60_000, lastError: 'KEFU_ERR_CHANNEL_SEND_FAILED' });
      assert.deepEqual(await data.messages.dueLanes(clock().now(), 10), ['telegram:b']);
      assert.equal(await data.messages.nextDueAt(), clock().now(), 'lane b is due since it was written');
      const [head] = await data.messages.pending('telegram:a', 10);
      assert.deepEqual([head?.delivery?.attempts, head?.delivery?.lastError, head?.delivery?.nextAttemptAt], [1, 'KEFU_ERR_CHANNEL_SEND_FAILED', t0 + 60_000]);
      clock().tick(60_000);
      assert.deepEqual(await data.messages.dueLanes(clock().now(), 10), ['telegram:b', 'telegram:a'], 'b has waited longer than a');
      assert.equal((await data.messages.dueLanes(clock().now(), 1)).length, 1, 'limit is honoured');
    });

    test('notBefore holds a message back; release() makes it due at once', async () => {
      const { data } = await open();
      const r = await push(data, 'wechat:o1', { text: 'passive?', deliver: true, notBefore: clock().now() + 4500 });
      assert.ok(r.ok);
      assert.deepEqual(await data.messages.dueLanes(clock().now(), 10), []);
      assert.equal(await data.messages.nextDueAt(), clock().now() + 4500);
      await data.messages.release('wechat:o1', [r.messages[0]?.seq as number], clock().now());
      assert.deepEqual(await data.messages.dueLanes(clock().now(), 10), ['wechat:o1']);
    });

    test('markFailed gives a message up: out of the outbox, listed newest first with its reason', async () => {
      const { data } = await open();
      const r = await push(data, 'slack:D1', { text: 'x', deliver: true }, { text: 'y', deliver: true });
      assert.ok(r.ok);
      await data.messages.markFailed('slack:D1', r.messages[0]?.seq as number, { attempts: 3, lastError: 'KEFU_ERR_CHANNEL_AUTH', at: clock().now() });
      clock().tick(5);
      await data.messages.markFailed('slack:D1', r.messages[1]?.seq as number, { attempts: 1, lastError: 'KEFU_ERR_CHANNEL_SEND_FAILED', at: clock().now() });
      assert.equal(await data.messages.countPending(), 0);
      const failed = await allPages((after) => data.messages.failed({ limit: 1, ...(after ? { after } : {}) }));
      assert.deepEqual(
        failed.map((m) => [m.text, m.delivery?.state, m.delivery?.lastError]),
        [
          ['y', 'failed', 'KEFU_ERR_CHANNEL_SEND_FAILED'],
          ['x', 'failed', 'KEFU_ERR_CHANNEL_AUTH'],
        ],
      );
    });

    test('a corrupt message is reported and left out of lists', async function () {
      const h = await open();
      if (!h.corrupt) return this.skip();
      await push(h.data, 'web:z', 'keep 1', 'damaged', 'keep 2');
      await h.corrupt('messages', 'web:z#2');
      assert.deepEqual(
        (await h.data.messages.after('web:z', 0, 10)).map((m) => m.text),
        ['keep 1', 'keep 2'],
      );
      assert.deepEqual(
        h.corruptRows.map((r) => [r.table, r.id]),
        [['messages', 'web:z#2']],
      );
    });

    test('pending messages survive reopening', async function () {
      const h = await open();
      if (!h.reopen) return this.skip();
      await push(h.data, 'telegram:d', { text: 'durable', deliver: true });
      await h.data.close();
      const again = await h.reopen();
      assert.deepEqual(await again.messages.dueLanes(clock().now(), 5), ['telegram:d']);
    });
  });
}
