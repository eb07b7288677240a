/**
 * GET /api/web/messages when the page's cursor is past every message the server keeps: the
 * conversation was erased (or its messages expired) and the customer went on writing, so numbering
 * began again at 1. The answer starts over at 0 and says so (`restarted`); the chat page then follows
 * the new numbering (test/web/chat-live.browser.test.ts) instead of waiting past seqs that will not come.
 */
import assert from 'node:assert/strict';
import { eraseConversation } from '../../server/erasure';
import { createKeywordClassifier } from '../support/keyword-classifier';
import { asCustomer, postMessage, type RunningApp, startApp } from '../support/server';

interface History {
  after: number;
  cursor: number;
  restarted?: boolean;
  messages: { seq: number; from: string; text: string }[];
}

describe('web chat history after the numbering began again', function () {
  this.timeout(20_000);
  let s: RunningApp;
  before(async () => {
    s = await startApp({}, { classifier: createKeywordClassifier() });
  });
  after(async () => s?.stop());

  const history = async (after: number): Promise<History> => {
    const res = await fetch(`${s.url}/api/web/messages?conversationId=r1&after=${after}`, { headers: asCustomer(s.url, 'r1') });
    assert.equal(res.status, 200);
    return (await res.json()) as History;
  };

  it('a cursor past the newest message reads from the start again, flagged restarted; a current one does not', async () => {
    for (let i = 0; i < 3; i++) assert.equal((await postMessage(s.url, { conversationId: 'r1', text: 'hello' })).status, 200);
    const before = await history(0);
    const cursor = before.cursor;
    assert.ok(cursor >= 6, `three turns stored (cursor ${cursor})`);
    assert.deepEqual(await history(cursor), { conversationId: 'r1', after: cursor, cursor, messages: [], more: false });

    await eraseConversation(s.app.engine.data, 'web:r1', 'test');
    assert.equal((await postMessage(s.url, { conversationId: 'r1', text: 'hello again' })).status, 200);

    const again = await history(cursor);
    assert.equal(again.restarted, true);
    assert.equal(again.after, 0);
    assert.deepEqual(
      again.messages.map((m) => [m.seq, m.from]),
      [
        [1, 'customer'],
        [2, 'bot'],
      ],
    );
    assert.equal(again.messages[0]?.text, 'hello again');
    const current = await history(again.cursor);
    assert.equal(current.restarted, undefined);
    assert.deepEqual(current.messages, []);
  });
});
