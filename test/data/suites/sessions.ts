/** SessionRepo and `commit`: versioned compare-and-set, all-or-nothing, TTL, corrupt rows, durability. */
import assert from 'node:assert/strict';
import { expectCode, ROUND_TRIP_VALUES } from '../../stores/suite-helpers';
import { message, REF, session } from '../fixtures';
import type { SuiteContext } from '../harness';

export function sessionSuite({ open, test, clock }: SuiteContext): void {
  describe('sessions and commit', () => {
    test('reads an absent session as undefined', async () => {
      const { data } = await open();
      assert.equal(await data.sessions.read('web:none'), undefined);
    });

    test('the first commit needs expectedVersion 0 and creates version 1; a second create conflicts', async () => {
      const { data } = await open();
      assert.deepEqual(await data.commit({ key: 'web:c1', ref: REF, session: { value: session({ n: 1 }), expectedVersion: 1 }, messages: [] }), { ok: false, conflict: true });
      assert.equal(await data.sessions.read('web:c1'), undefined);
      assert.equal((await data.commit({ key: 'web:c1', ref: REF, session: { value: session({ n: 1 }), expectedVersion: 0 }, messages: [] })).ok, true);
      assert.deepEqual(await data.sessions.read('web:c1'), { value: session({ n: 1 }), version: 1 });
      const again = await data.commit({ key: 'web:c1', ref: REF, session: { value: session({ n: 2 }), expectedVersion: 0 }, messages: [message()] });
      assert.deepEqual(again, { ok: false, conflict: true });
      assert.deepEqual((await data.sessions.read('web:c1'))?.value?.data, { n: 1 });
      assert.equal(await data.messages.lastSeq('web:c1'), 0, 'a conflicting commit stores none of its messages');
    });

    test('each commit raises the version by one; a stale version conflicts and changes nothing', async () => {
      const { data } = await open();
      for (let v = 0; v < 4; v++) assert.equal((await data.commit({ key: 'web:c1', ref: REF, session: { value: session({ v }), expectedVersion: v }, messages: [] })).ok, true);
      assert.equal((await data.sessions.read('web:c1'))?.version, 4);
      assert.equal((await data.commit({ key: 'web:c1', ref: REF, session: { value: session({ v: 'stale' }), expectedVersion: 2 }, messages: [message()] })).ok, false);
      assert.deepEqual((await data.sessions.read('web:c1'))?.value?.data, { v: 3 });
    });

    test('20 concurrent commits with the same expected version: exactly one wins', async () => {
      const { data } = await open();
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          data.commit({ key: 'web:race', ref: REF, session: { value: session({ i }), expectedVersion: 0 }, messages: [message({ text: `from ${i}` })] }),
        ),
      );
      assert.equal(results.filter((r) => r.ok).length, 1);
      assert.equal((await data.messages.after('web:race', 0, 50)).length, 1, 'only the winner added its message');
    });

    test('two connections racing read-modify-write loops lose no update', async function () {
      const h = await open();
      if (!h.another) return this.skip();
      const other = await h.another();
      const bump = async (d: typeof h.data) => {
        for (let done = 0; done < 10; ) {
          const found = await d.sessions.read('web:count');
          const n = ((found?.value?.data.n as number | undefined) ?? 0) + 1;
          if ((await d.commit({ key: 'web:count', ref: REF, session: { value: session({ n }), expectedVersion: found?.version ?? 0 }, messages: [] })).ok) done += 1;
        }
      };
      await Promise.all([bump(h.data), bump(other), bump(h.data), bump(other)]);
      assert.equal((await h.data.sessions.read('web:count'))?.value?.data.n, 40);
    });

    test('values round-trip exactly (unicode, emoji, escapes, nesting, odd keys)', async () => {
      const { data } = await open();
      const value = session({ all: ROUND_TRIP_VALUES });
      await data.commit({ key: 'web:rt', ref: REF, session: { value, expectedVersion: 0 }, messages: [] });
      assert.deepEqual((await data.sessions.read('web:rt'))?.value, value);
    });

    test('callers never share objects with the store', async () => {
      const { data } = await open();
      const value = session({ list: [1] });
      await data.commit({ key: 'web:c', ref: REF, session: { value, expectedVersion: 0 }, messages: [] });
      (value.data.list as number[]).push(2);
      const read = await data.sessions.read('web:c');
      assert.deepEqual(read?.value?.data.list, [1]);
      (read?.value?.data.list as number[] | undefined)?.push(3);
      assert.deepEqual((await data.sessions.read('web:c'))?.value?.data.list, [1]);
    });

    test('a session that JSON cannot hold is refused with KEFU_ERR_STORE_VALUE_INVALID and nothing is stored', async () => {
      const { data } = await open();
      const value = session({ big: 10n as unknown as number });
      await expectCode(data.commit({ key: 'web:bad', ref: REF, session: { value, expectedVersion: 0 }, messages: [message()] }), 'KEFU_ERR_STORE_VALUE_INVALID');
      assert.equal(await data.sessions.read('web:bad'), undefined);
      assert.equal(await data.messages.lastSeq('web:bad'), 0);
    });

    test('a session expires after the TTL without commits; expectedVersion 0 then starts it afresh; sweep deletes it', async () => {
      const { data } = await open({ sessionTtlSeconds: 60 });
      await data.commit({ key: 'web:t', ref: REF, session: { value: session({ a: 1 }), expectedVersion: 0 }, messages: [] });
      clock().tick(59_000);
      assert.equal((await data.sessions.read('web:t'))?.version, 1);
      await data.commit({ key: 'web:t', ref: REF, session: { value: session({ a: 2 }), expectedVersion: 1 }, messages: [] });
      clock().tick(59_000);
      assert.equal((await data.sessions.read('web:t'))?.version, 2, 'each commit restarts the clock');
      clock().tick(2_000);
      assert.equal(await data.sessions.read('web:t'), undefined);
      assert.equal((await data.commit({ key: 'web:t', ref: REF, session: { value: session({ a: 3 }), expectedVersion: 2 }, messages: [] })).ok, false);
      assert.equal((await data.commit({ key: 'web:t', ref: REF, session: { value: session({ a: 3 }), expectedVersion: 0 }, messages: [] })).ok, true);
      assert.deepEqual(await data.sessions.read('web:t'), { value: session({ a: 3 }), version: 1 });
      await data.commit({ key: 'web:u', ref: REF, session: { value: session(), expectedVersion: 0 }, messages: [] });
      clock().tick(61_000);
      assert.ok((await data.sessions.sweep()) >= 1);
      assert.equal(await data.sessions.read('web:u'), undefined);
    });

    test('without a TTL sessions never expire', async () => {
      const { data } = await open();
      await data.commit({ key: 'web:k', ref: REF, session: { value: session(), expectedVersion: 0 }, messages: [] });
      clock().tick(10 * 365 * 86_400_000);
      assert.equal((await data.sessions.read('web:k'))?.version, 1);
    });

    test('delete removes a session; deleting an absent one is fine', async () => {
      const { data } = await open();
      await data.commit({ key: 'web:d', ref: REF, session: { value: session(), expectedVersion: 0 }, messages: [] });
      await data.sessions.delete('web:d');
      await data.sessions.delete('web:d');
      assert.equal(await data.sessions.read('web:d'), undefined);
    });

    test('a corrupt session row is reported with its key and read as null with its version, so the next commit replaces it', async function () {
      const h = await open();
      if (!h.corrupt) return this.skip();
      await h.data.commit({ key: 'web:x', ref: REF, session: { value: session(), expectedVersion: 0 }, messages: [] });
      await h.corrupt('sessions', 'web:x');
      const read = await h.data.sessions.read('web:x');
      assert.deepEqual(read, { value: null, version: 1 });
      assert.deepEqual(
        h.corruptRows.map((r) => [r.table, r.id, r.code]),
        [['sessions', 'web:x', 'KEFU_ERR_STORE_VALUE_INVALID']],
      );
      assert.equal((await h.data.commit({ key: 'web:x', ref: REF, session: { value: session({ fresh: true }), expectedVersion: 1 }, messages: [] })).ok, true);
      assert.deepEqual((await h.data.sessions.read('web:x'))?.value?.data, { fresh: true });
    });

    test('after close() every call rejects with KEFU_ERR_STORE_CLOSED, and close() can repeat', async () => {
      const { data } = await open();
      await data.close();
      await data.close();
      await expectCode(data.sessions.read('web:a'), 'KEFU_ERR_STORE_CLOSED');
      await expectCode(data.commit({ key: 'web:a', ref: REF, messages: [message()] }), 'KEFU_ERR_STORE_CLOSED');
      await expectCode(data.handoffs.queue(), 'KEFU_ERR_STORE_CLOSED');
      await expectCode(data.meta.nextSeq('x'), 'KEFU_ERR_STORE_CLOSED');
    });

    test('sessions, messages and their versions survive close() and reopening', async function () {
      const h = await open();
      if (!h.reopen) return this.skip();
      await h.data.commit({ key: 'web:p', ref: REF, session: { value: session({ kept: '持久' }), expectedVersion: 0 }, messages: [message({ text: '你好', deliver: true })] });
      await h.data.close();
      const again = await h.reopen();
      assert.deepEqual(await again.sessions.read('web:p'), { value: session({ kept: '持久' }), version: 1 });
      assert.deepEqual(
        (await again.messages.pending('web:p', 10)).map((m) => m.text),
        ['你好'],
      );
    });
  });
}
