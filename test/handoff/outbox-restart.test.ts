import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryData, type Repositories } from '../../core';
import { createSqliteData } from '../../stores/sqlite';
import { createRig, key, type Rig } from './support';

/** Data whose close() is the process going away: what was written stays (like a database file). */
function surviving(inner: Repositories): Repositories {
  return { ...inner, commit: (c) => inner.commit(c), close: async () => {} };
}

describe('handoff outbox: agent replies are never dropped', () => {
  let rig: Rig;
  afterEach(() => rig.close());

  it('a reply that fails to deliver is kept and delivered on retry, in order', async () => {
    rig = await createRig();
    await rig.say('o1', 'human please');
    rig.channel.failNext(1);
    const first = await rig.service.reply(key('o1'), 'anna', { text: 'first' });
    assert.deepEqual(first, { ok: true, delivery: 'queued' });
    const second = await rig.service.reply(key('o1'), 'anna', { text: 'second' });
    assert.deepEqual(second, { ok: true, delivery: 'queued' }, 'a later message waits behind the undelivered one');
    assert.deepEqual(
      rig.channel.to('o1').filter((m) => m.from === 'agent'),
      [],
    );
    assert.equal((await rig.service.metrics()).outboxPending, 2);
    assert.equal(await rig.service.flushOutbox(), 0);
    assert.deepEqual(
      rig.channel
        .to('o1')
        .filter((m) => m.from === 'agent')
        .map((m) => m.text),
      ['first', 'second'],
    );
    const delivered = rig.events.filter((e) => e.type === 'handoff.agent_message').map((e) => e.type === 'handoff.agent_message' && e.delivery);
    assert.deepEqual(delivered, ['queued', 'queued']);
  });
});

describe('handoff across a restart', () => {
  const stores: Array<{ name: string; open: () => Repositories; cleanup: () => void }> = [];
  const memory = createMemoryData();
  stores.push({ name: 'in memory (kept across engines)', open: () => surviving(memory), cleanup: () => undefined });
  const dir = mkdtempSync(join(tmpdir(), 'kefu-handoff-'));
  stores.push({
    name: 'SQLite (closed and reopened)',
    open: () => createSqliteData({ path: join(dir, 'kefu.db') }),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  });
  after(() => {
    for (const s of stores) s.cleanup();
  });

  for (const s of stores) {
    it(`keeps the queue, assignments, tickets and the outbox (${s.name})`, async () => {
      const team = [{ id: 'solo', name: 'Sam', skills: ['general'], languages: ['en' as const], capacity: 1, status: 'online' as const }];
      const first = await createRig({ data: s.open(), agents: team });
      await first.say('p1', 'human please');
      await first.say('p2', 'human please');
      first.channel.failNext(1);
      assert.deepEqual(await first.service.reply(key('p1'), 'solo', { text: 'sent during the outage' }), { ok: true, delivery: 'queued' });
      await first.close(); // the process stops with the reply undelivered

      const rig = await createRig({ data: s.open(), agents: team });
      try {
        await rig.service.idle(); // registering delivers what the outbox kept
        assert.deepEqual(
          rig.channel.to('p1').map((m) => m.text),
          ['sent during the outage'],
        );
        assert.equal((await rig.service.get(key('p1')))?.agentId, 'solo');
        assert.deepEqual(
          (await rig.service.queue()).items.map((q) => q.record.key),
          [key('p2')],
        );
        assert.equal(await rig.say('p1', 'thanks!'), '', 'still with the agent: the bot stays silent');

        assert.ok((await rig.service.resolve(key('p1'), 'solo')).ok);
        await rig.service.idle();
        assert.equal((await rig.service.get(key('p2')))?.agentId, 'solo', 'the queue survived and is routed');
        await rig.service.setAgentStatus('solo', 'offline');
        const metrics = await rig.service.metrics();
        assert.equal(metrics.tickets.open, 1);
        assert.equal(metrics.conversations, 2);
      } finally {
        await rig.close();
      }
    });
  }
});
