/**
 * One conformance suite for every SessionStore (BullMQ's adapter-conformance idea): each store's
 * test file calls `runStoreSuite(name, factory)`. The factory gets the options to build the store
 * with (an injected clock, a TTL) and returns the store plus, where the backend has them, a way to
 * reopen the same data after close() and a second independent handle on the same data.
 */
import assert from 'node:assert/strict';
import type { SessionStore, StoreOptions } from '../../core';
import { type Clock, createClock, expectCode, ROUND_TRIP_VALUES } from './suite-helpers';

export interface StoreHandle {
  store: SessionStore<unknown>;
  /** Opens the same data again (after the suite closed `store`): the durability check. */
  reopen?: () => Promise<SessionStore<unknown>>;
  /** A second connection to the same data, used alongside `store` by the concurrency check. */
  another?: () => Promise<SessionStore<unknown>>;
  cleanup: () => Promise<void>;
}

export type StoreFactory = (storeOpts: StoreOptions) => Promise<StoreHandle>;

export interface StoreSuiteOptions {
  /** Cases this store cannot pass yet, by title, with the reason; they are registered as pending. */
  pending?: Record<string, string>;
}

export function runStoreSuite(name: string, factory: StoreFactory, opts: StoreSuiteOptions = {}): void {
  describe(`store conformance: ${name}`, () => {
    let clock: Clock;
    const opened: SessionStore<unknown>[] = [];
    const cleanups: Array<() => Promise<void>> = [];

    async function open(storeOpts: StoreOptions = {}): Promise<StoreHandle> {
      const handle = await factory({ now: clock.now, ...storeOpts });
      opened.push(handle.store);
      cleanups.push(handle.cleanup);
      const track = (fn?: () => Promise<SessionStore<unknown>>) =>
        fn &&
        (async () => {
          const s = await fn();
          opened.push(s);
          return s;
        });
      return { ...handle, reopen: track(handle.reopen), another: track(handle.another) };
    }

    beforeEach(() => {
      clock = createClock();
    });

    afterEach(async () => {
      for (const s of opened.splice(0)) await s.close();
      for (const c of cleanups.splice(0)) await c();
    });

    const pending = opts.pending ?? {};
    function test(title: string, fn: (this: Mocha.Context) => Promise<void>): void {
      const reason = pending[title];
      if (reason !== undefined) it.skip(`${title} (pending: ${reason})`, fn);
      else it(title, fn);
    }

    test('reads an absent key as undefined', async () => {
      const { store } = await open();
      assert.equal(await store.read('absent'), undefined);
    });

    test('the first write needs expectedVersion 0 and creates version 1', async () => {
      const { store } = await open();
      assert.equal(await store.write('k', { n: 1 }, 1), 'conflict');
      assert.equal(await store.read('k'), undefined);
      assert.equal(await store.write('k', { n: 1 }, 0), 'ok');
      assert.deepEqual(await store.read('k'), { value: { n: 1 }, version: 1 });
      assert.equal(await store.write('k', { n: 2 }, 0), 'conflict', 'a second "create" must conflict');
      assert.deepEqual(await store.read('k'), { value: { n: 1 }, version: 1 });
    });

    test('each write increments the version by one', async () => {
      const { store } = await open();
      for (let v = 0; v < 5; v++) assert.equal(await store.write('k', { v }, v), 'ok');
      assert.deepEqual(await store.read('k'), { value: { v: 4 }, version: 5 });
    });

    test('a stale or future version gets conflict and changes nothing', async () => {
      const { store } = await open();
      await store.write('k', 'a', 0);
      await store.write('k', 'b', 1);
      assert.equal(await store.write('k', 'stale', 1), 'conflict');
      assert.equal(await store.write('k', 'future', 3), 'conflict');
      assert.deepEqual(await store.read('k'), { value: 'b', version: 2 });
    });

    test('20 concurrent read-modify-write loops lose no update', async () => {
      const { store, another } = await open();
      const second = another ? await another() : store;
      let conflicts = 0;
      const increment = async (s: SessionStore<unknown>) => {
        for (;;) {
          const cur = await s.read('counter');
          const n = cur ? (cur.value as { n: number }).n : 0;
          if ((await s.write('counter', { n: n + 1 }, cur?.version ?? 0)) === 'ok') return;
          conflicts += 1;
        }
      };
      const worker = async (i: number) => {
        for (let j = 0; j < 3; j++) await increment(i % 2 === 0 ? store : second);
      };
      await Promise.all(Array.from({ length: 20 }, (_, i) => worker(i)));
      assert.deepEqual(await store.read('counter'), { value: { n: 60 }, version: 60 });
      assert.ok(conflicts > 0, 'the loops should have raced (otherwise this test proves nothing)');
    });

    test('delete removes a key, deleting an absent key is fine, and the key starts over', async () => {
      const { store } = await open();
      await store.write('k', 1, 0);
      await store.write('other', 2, 0);
      await store.delete('k');
      await store.delete('never-written');
      assert.equal(await store.read('k'), undefined);
      assert.equal(await store.write('k', 3, 1), 'conflict');
      assert.equal(await store.write('k', 3, 0), 'ok');
      assert.deepEqual(await store.read('k'), { value: 3, version: 1 });
      assert.deepEqual(await store.read('other'), { value: 2, version: 1 });
    });

    test('list filters by prefix, puts the oldest update first and honours the limit', async () => {
      const { store } = await open();
      for (const key of ['a:2', 'a:1', 'b:1', 'a:3', 'a']) {
        await store.write(key, key, 0);
        clock.tick(10);
      }
      await store.write('a:2', 'a:2 again', 1);
      const listed = await store.list('a:');
      assert.deepEqual(listed, [
        { key: 'a:1', value: 'a:1', version: 1 },
        { key: 'a:3', value: 'a:3', version: 1 },
        { key: 'a:2', value: 'a:2 again', version: 2 },
      ]);
      assert.deepEqual(
        (await store.list('a:', 2)).map((r) => r.key),
        ['a:1', 'a:3'],
      );
      assert.deepEqual(await store.list('a:', 0), []);
      assert.deepEqual(
        (await store.list('')).map((r) => r.key),
        ['a:1', 'b:1', 'a:3', 'a', 'a:2'],
      );
      assert.deepEqual(await store.list('zzz'), []);
    });

    test('list treats every prefix character literally', async () => {
      const { store } = await open();
      const keys = ['x%_1', 'xab1', 'x.*1', 'xx1', 'x[a]1', 'xa1', 'x\\1', 'x^$|()+?{}1', 'X%_1', '会话:😀:1', '会话:x'];
      for (const key of keys) await store.write(key, 1, 0);
      for (const prefix of ['x%_', 'x.*', 'x[a]', 'x\\', 'x^$|()+?{}', '会话:😀']) {
        const got = (await store.list(prefix)).map((r) => r.key);
        assert.deepEqual(
          got,
          keys.filter((k) => k.startsWith(prefix)),
          `prefix ${JSON.stringify(prefix)}`,
        );
      }
    });

    test('a record expires after ttlSeconds without writes, and each write restarts the clock', async () => {
      const { store } = await open({ ttlSeconds: 60 });
      await store.write('k', 'v1', 0);
      clock.tick(40_000);
      await store.write('k', 'v2', 1);
      clock.tick(60_000);
      assert.deepEqual(await store.read('k'), { value: 'v2', version: 2 }, 'still live at exactly ttl since the last write');
      assert.equal((await store.list('')).length, 1);
      clock.tick(1);
      assert.equal(await store.read('k'), undefined);
      assert.deepEqual(await store.list(''), []);
    });

    test('keys under keepPrefixes never expire', async () => {
      const { store } = await open({ ttlSeconds: 60, keepPrefixes: ['audit:', 'ticket:'] });
      await store.write('audit:000001', 'entry', 0);
      await store.write('session', 's', 0);
      clock.tick(365 * 86_400_000);
      assert.deepEqual(await store.read('audit:000001'), { value: 'entry', version: 1 });
      assert.equal(await store.read('session'), undefined);
      assert.deepEqual(
        (await store.list('')).map((r) => r.key),
        ['audit:000001'],
      );
    });

    test('an expired key is written afresh with expectedVersion 0; its old version conflicts', async () => {
      const { store } = await open({ ttlSeconds: 60 });
      await store.write('k', 'old', 0);
      await store.write('k', 'old', 1);
      clock.tick(61_000);
      assert.equal(await store.write('k', 'stale', 2), 'conflict');
      assert.equal(await store.write('k', 'new', 0), 'ok');
      assert.deepEqual(await store.read('k'), { value: 'new', version: 1 });
      assert.equal(await store.write('k', 'again', 0), 'conflict');
    });

    test('values and keys round-trip exactly (unicode, emoji, nested objects)', async () => {
      const { store } = await open();
      for (const [i, value] of ROUND_TRIP_VALUES.entries()) {
        const key = `rt:${i}:客服:👩‍💻`;
        assert.equal(await store.write(key, value, 0), 'ok');
        assert.deepStrictEqual((await store.read(key))?.value, value, `value #${i}`);
        clock.tick(1);
      }
      const listed = await store.list('rt:');
      assert.deepStrictEqual(
        listed.map((r) => r.value),
        ROUND_TRIP_VALUES,
      );
      assert.deepStrictEqual(
        listed.map((r) => r.key),
        ROUND_TRIP_VALUES.map((_, i) => `rt:${i}:客服:👩‍💻`),
      );
    });

    test('callers never share objects with the store', async () => {
      const { store } = await open();
      const value = { list: [1], inner: { a: 'x' } };
      await store.write('k', value, 0);
      value.list.push(2);
      const first = (await store.read('k'))?.value as typeof value;
      first.inner.a = 'changed';
      assert.deepEqual((await store.read('k'))?.value, { list: [1], inner: { a: 'x' } });
    });

    test('a value that is not JSON is refused with KEFU_ERR_STORE_VALUE_INVALID and nothing is stored', async () => {
      const { store } = await open();
      const cyclic: { self?: unknown } = {};
      cyclic.self = cyclic;
      for (const bad of [undefined, () => 1, 10n, cyclic, Symbol('s')]) {
        await expectCode(store.write('bad', bad, 0), 'KEFU_ERR_STORE_VALUE_INVALID');
      }
      assert.equal(await store.read('bad'), undefined);
    });

    test('list refuses a negative or fractional limit with KEFU_ERR_STORE_OPTIONS_INVALID', async () => {
      const { store } = await open();
      await expectCode(store.list('', -1), 'KEFU_ERR_STORE_OPTIONS_INVALID');
      await expectCode(store.list('', 1.5), 'KEFU_ERR_STORE_OPTIONS_INVALID');
    });

    test('after close() every call rejects with KEFU_ERR_STORE_CLOSED, and close() can repeat', async () => {
      const { store } = await open();
      await store.write('k', 1, 0);
      await store.close();
      await store.close();
      await expectCode(store.read('k'), 'KEFU_ERR_STORE_CLOSED');
      await expectCode(store.write('k', 2, 1), 'KEFU_ERR_STORE_CLOSED');
      await expectCode(store.delete('k'), 'KEFU_ERR_STORE_CLOSED');
      await expectCode(store.list(''), 'KEFU_ERR_STORE_CLOSED');
    });

    test('data and versions survive close() and reopening', async function (this: Mocha.Context) {
      const handle = await open({ ttlSeconds: 3600 });
      if (!handle.reopen) return this.skip();
      await handle.store.write('s:1', { step: 'ask', 中文: '你好' }, 0);
      await handle.store.write('s:1', { step: 'done', 中文: '你好' }, 1);
      await handle.store.write('s:2', [1, 2, 3], 0);
      await handle.store.delete('s:2');
      await handle.store.close();
      const again = await handle.reopen();
      assert.deepEqual(await again.read('s:1'), { value: { step: 'done', 中文: '你好' }, version: 2 });
      assert.equal(await again.read('s:2'), undefined);
      assert.equal(await again.write('s:1', 'next', 1), 'conflict');
      assert.equal(await again.write('s:1', 'next', 2), 'ok');
      assert.deepEqual(await again.list('s:'), [{ key: 's:1', value: 'next', version: 3 }]);
    });
  });
}
