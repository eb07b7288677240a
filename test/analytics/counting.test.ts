/**
 * Exact counting under concurrency: many turns at once on one engine, and two engines (two
 * writers, as two server processes) on one SQLite file; every turn and conversation is counted
 * once. A store that fails keeps the counts and saves them when it is back.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine, type Engine, MemoryStore, type SessionState, type SessionStore, silentLogger } from '../../core';
import { type AnalyticsService, bucketKey, createAnalytics, parseBucket } from '../../core/analytics';
import { createBucketWriter } from '../../core/analytics/buckets';
import { demoDialogs } from '../../dialogs';
import { createSqliteStore } from '../../stores/sqlite';
import { createKeywordClassifier } from '../support/keyword-classifier';

const NOW = Date.UTC(2025, 0, 6, 12);

async function engineOn(store: SessionStore<unknown>): Promise<{ engine: Engine; analytics: AnalyticsService }> {
  const engine = createEngine({ classifier: createKeywordClassifier(undefined, { delayMs: 2 }), dialogs: demoDialogs, store: store as SessionStore<SessionState>, now: () => NOW });
  const { service, plugin } = createAnalytics();
  await engine.register(plugin, undefined);
  return { engine, analytics: service };
}

function turns(engine: Engine, prefix: string, conversations: number, perConversation: number): Promise<unknown>[] {
  const out: Promise<unknown>[] = [];
  for (let c = 0; c < conversations; c++) {
    for (let t = 0; t < perConversation; t++) out.push(engine.handle({ channel: 'web', conversationId: `${prefix}${c}`, userId: `u${c}`, text: t % 2 ? 'hello' : 'thanks' }));
  }
  return out;
}

describe('analytics counting', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'kefu-analytics-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('counts 240 concurrent turns of 40 conversations exactly', async () => {
    const store = new MemoryStore<unknown>();
    const { engine, analytics } = await engineOn(store);
    await Promise.all(turns(engine, 'c', 40, 6));
    await analytics.idle();
    const b = parseBucket((await store.read(bucketKey('2025-01-06', 'web', 'en')))?.value);
    assert.deepEqual([b?.conversations, b?.turns, b?.botTurns, b?.intents], [40, 240, 240, { thanks: 120, greeting: 120 }]);
    await engine.close();
  });

  it('two engines on one SQLite file (two writers) lose no count', async function () {
    this.timeout(60_000);
    const path = join(dir, 'two-writers.db');
    const stores = [createSqliteStore<unknown>({ path }), createSqliteStore<unknown>({ path })];
    const [a, b] = await Promise.all(stores.map(engineOn));
    await Promise.all([...turns(a!.engine, 'a', 30, 5), ...turns(b!.engine, 'b', 30, 5)]);
    await Promise.all([a!.analytics.idle(), b!.analytics.idle()]);
    const bucket = parseBucket((await stores[0]!.read(bucketKey('2025-01-06', 'web', 'en')))?.value);
    assert.deepEqual([bucket?.conversations, bucket?.turns, bucket?.intents.thanks, bucket?.intents.greeting], [60, 300, 180, 120]);
    const report = await a!.analytics.report({ from: '2025-01-06', to: '2025-01-06' });
    assert.equal(report.totals.turns, 300);
    await a!.engine.close();
    await b!.engine.close();
  });

  it('two writers racing on one bucket (slow reads widen every race) add up exactly', async function () {
    this.timeout(60_000);
    const path = join(dir, 'race.db');
    const slow = (inner: SessionStore<unknown>): SessionStore<unknown> => ({
      ...inner,
      read: async (k) => {
        const r = await inner.read(k);
        await new Promise((res) => setTimeout(res, 1 + Math.floor(Math.random() * 3)));
        return r;
      },
    });
    const stores = [createSqliteStore<unknown>({ path }), createSqliteStore<unknown>({ path })];
    const writers = stores.map((s) => createBucketWriter(slow(s), silentLogger));
    const delta = { day: '2025-01-06', channel: 'web', locale: 'zh' as const, conversations: 0, turns: 1, botTurns: 0, fallbackTurns: 0, noneTurns: 0, intents: {} };
    for (let i = 0; i < 40; i++) {
      for (const w of writers) w.add(delta);
      await new Promise((res) => setTimeout(res, 1));
    }
    await Promise.all(writers.map((w) => w.idle()));
    assert.equal(parseBucket((await stores[0]!.read(bucketKey('2025-01-06', 'web', 'zh')))?.value)?.turns, 80);
    for (const s of stores) await s.close();
  });

  it('keeps counts while the store fails and saves them when it is back', async () => {
    const inner = new MemoryStore<unknown>();
    let down = true;
    const flaky: SessionStore<unknown> = {
      read: (k) => inner.read(k),
      write: (k, v, e) => (down ? Promise.reject(new Error('disk unplugged')) : inner.write(k, v, e)),
      delete: (k) => inner.delete(k),
      list: (p, l) => inner.list(p, l),
      close: () => inner.close(),
    };
    const writer = createBucketWriter(flaky, silentLogger, { retryMs: 20 });
    const delta = { day: '2025-01-06', channel: 'web', locale: 'en' as const, conversations: 1, turns: 1, botTurns: 1, fallbackTurns: 0, noneTurns: 0, intents: {} };
    writer.add(delta);
    writer.add(delta);
    await writer.idle(); // the first attempt gives up after the store retries (about 3 s)
    assert.equal(await inner.read(bucketKey('2025-01-06', 'web', 'en')), undefined);
    writer.add(delta);
    down = false;
    for (let i = 0; i < 200 && !(await inner.read(bucketKey('2025-01-06', 'web', 'en'))); i++) await new Promise((r) => setTimeout(r, 10));
    await writer.idle();
    assert.equal(parseBucket((await inner.read(bucketKey('2025-01-06', 'web', 'en')))?.value)?.turns, 3);
    await writer.close();
  }).timeout(20_000);
});
