/**
 * The durable outbox's lane rules (core/delivery.ts), with a scripted channel: order within a
 * conversation, a refusal for good kept as failed while the lane goes on, a platform that keeps
 * failing parks only its own conversation, old messages given up, and what was pending when the
 * process stopped sent by the next one.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Channel, type ConversationRef, type Engine, KefuError, type OutboundMessage, type SendVerdict } from '../../core';
import { createSqliteData } from '../../stores/sqlite';
import { eventually } from '../adapters/conformance';
import { createEchoEngine } from '../support/telegram-test-kit';

/** A platform that refuses what `script` says for a text (once per entry), and records what it took. */
function scriptedChannel(script: Map<string, Array<'retry' | 'permanent'>>): Channel & { took: string[] } {
  const took: string[] = [];
  return {
    name: 'fake',
    delivery: 'outbox',
    took,
    async send(ref: ConversationRef, messages: readonly OutboundMessage[]) {
      for (const m of messages) {
        const next = script.get(m.text)?.shift();
        if (next) throw new KefuError('KEFU_ERR_CHANNEL_SEND_FAILED', `${next}: ${m.text}`);
        took.push(`${ref.conversationId}:${m.text}`);
      }
    },
    classifySendError: (err: unknown): SendVerdict => ({
      kind: String((err as Error).message).startsWith('permanent') ? 'permanent' : 'retry',
      code: 'KEFU_ERR_CHANNEL_SEND_FAILED',
    }),
  };
}

const ref = (id: string): ConversationRef => ({ channel: 'fake', conversationId: id, userId: id });
const say = (...texts: string[]) => texts.map((text) => ({ text, locale: 'en' as const, from: 'agent' as const }));

describe('core delivery (the durable outbox)', () => {
  let engine: Engine;
  afterEach(async () => engine?.close());

  it('a refusal for good is kept as failed with its code and the conversation goes on, in order', async () => {
    engine = createEchoEngine();
    const ch = scriptedChannel(new Map([['b', ['permanent']]]));
    engine.addChannel(ch);
    const pushed = await engine.push(ref('c1'), say('a', 'b', 'c'));
    assert.equal(pushed.state, 'failed');
    assert.deepEqual(ch.took, ['c1:a', 'c1:c']);
    const failed = (await engine.data.messages.failed()).items;
    assert.deepEqual(
      failed.map((m) => [m.text, m.delivery?.state, m.delivery?.lastError]),
      [['b', 'failed', 'KEFU_ERR_CHANNEL_SEND_FAILED']],
    );
  });

  it('a platform that keeps failing parks only that conversation; it is delivered later, in order', async () => {
    engine = createEchoEngine();
    const ch = scriptedChannel(new Map([['x1', ['retry', 'retry']]]));
    engine.addChannel(ch);
    const parked = await engine.push(ref('slow'), say('x1', 'x2'));
    assert.equal(parked.state, 'queued');
    assert.equal((await engine.push(ref('fast'), say('y1'))).state, 'sent', 'another conversation is not held up');
    await eventually(() => (ch.took.length === 3 ? true : undefined));
    assert.deepEqual(ch.took, ['fast:y1', 'slow:x1', 'slow:x2']);
    assert.equal(await engine.data.messages.countPending(), 0);
  });

  it('what was pending when the process stopped is sent by the next one, once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kefu-delivery-'));
    try {
      const path = join(dir, 'kefu.db');
      const first = createEchoEngine(undefined, createSqliteData({ path }));
      const down = scriptedChannel(new Map([['later', ['retry']]]));
      first.addChannel(down);
      assert.equal((await first.push(ref('c9'), say('later', 'and this'))).state, 'queued');
      await first.close();
      assert.deepEqual(down.took, []);

      engine = createEchoEngine(undefined, createSqliteData({ path }));
      const up = scriptedChannel(new Map());
      engine.addChannel(up); // a restart is a fresh chance: the waiting lane is sent now, not after its backoff
      await eventually(() => (up.took.length === 2 ? true : undefined));
      await engine.delivery.idle();
      assert.deepEqual(up.took, ['c9:later', 'c9:and this']);
      assert.equal(await engine.data.messages.countPending(), 0);
    } finally {
      await engine?.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
