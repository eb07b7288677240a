/**
 * The thread relay's bookkeeping (adapters/slack/agent-relay.ts) with the handoff service and Slack
 * faked: a line that comes after a later one is still posted, a line is never queued twice, and
 * the stored cursor stays below every line Slack has not taken yet.
 */
import assert from 'node:assert/strict';
import { silentLogger } from '../../core';
import type { ActionResult, HandoffRecord, HandoffService } from '../../plugins/handoff';
import type { ThreadPost } from '../../adapters/slack/agent';
import { createThreadRelay, isThreadLine, LINK_RELAYED, type RelayMark } from '../../adapters/slack/agent-relay';
import type { Thread, ThreadRegistry } from '../../adapters/slack/agent-threads';

const THREAD: Thread = { channel: 'C0SUPPORT', ts: '1712.0001' };
const RECORD = { id: 'h1', key: 'web:c1', links: {}, requestedAt: 0 } as unknown as HandoffRecord;

function rig() {
  const posts: Array<{ text: string; relay?: RelayMark }> = [];
  const cursors: string[] = [];
  const handoff = {
    setLink: async (_key: string, name: string, value: string): Promise<ActionResult<{ record: HandoffRecord }>> => {
      if (name === LINK_RELAYED) cursors.push(value);
      return { ok: true, record: RECORD };
    },
  } as unknown as HandoffService;
  const threads: ThreadRegistry = { forRecord: async () => THREAD, forThread: async () => undefined, save: async () => {} };
  const send = async (_thread: Thread, item: ThreadPost) => {
    if (item.kind === 'post') posts.push({ text: item.post.text, ...(item.relay ? { relay: item.relay } : {}) });
  };
  const relay = createThreadRelay({ handoff, threads, send, label: async () => (id) => id ?? 'nobody', log: silentLogger });
  const mark = (seq: number): RelayMark => ({ key: RECORD.key, recordId: RECORD.id, seq });
  return { relay, posts, cursors, mark };
}

describe('slack thread relay', () => {
  it('posts a line that comes after a later one, never one seq twice, and keeps the cursor below what Slack has not taken', async () => {
    const { relay, posts, cursors, mark } = rig();
    await relay.relayLive(RECORD, THREAD, 12, { text: 'customer, seq 12' });
    await relay.relayLive(RECORD, THREAD, 11, { text: 'console reply, seq 11 (its delivery took a while)' });
    await relay.relayLive(RECORD, THREAD, 12, { text: 'customer, seq 12 again' });
    assert.deepEqual(
      posts.map((p) => p.text),
      ['customer, seq 12', 'console reply, seq 11 (its delivery took a while)'],
    );
    await relay.taken(mark(12));
    assert.deepEqual(cursors, ['10'], 'seq 11 is still waiting: the cursor stays below it');
    await relay.taken(mark(11));
    assert.deepEqual(cursors, ['10', '12']);
    await relay.relayLive(RECORD, THREAD, 13, { text: 'customer, seq 13' });
    relay.givenUp(mark(13));
    await relay.relayLive(RECORD, THREAD, 14, { text: 'customer, seq 14' });
    await relay.taken(mark(14));
    assert.deepEqual(cursors, ['10', '12'], 'a given-up line holds the cursor too');
  });

  it('relays customer messages and other desks’ replies and notes, not what was written in Slack nor the bot', () => {
    const m = (from: 'customer' | 'agent' | 'note' | 'bot', desk?: string) => ({ key: 'k', seq: 1, id: 'i', at: 0, text: 't', from, ...(desk ? { desk } : {}) });
    assert.deepEqual([m('customer'), m('agent', 'console'), m('note', 'console'), m('agent', 'slack'), m('note', 'slack'), m('agent'), m('bot')].map(isThreadLine), [
      true,
      true,
      true,
      false,
      false,
      false,
      false,
    ]);
  });
});
