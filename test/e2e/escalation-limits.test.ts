/**
 * Limits on asking for a person (issue 9: 300 "human" requests put 496 entries in the agent queue):
 * per web client address and per conversation, each an hour's bucket. Past a limit the customer
 * is told when to try again and stays with the bot; no handoff is opened; 0 turns a limit off.
 */
import assert from 'node:assert/strict';
import { createKeywordClassifier } from '../support/keyword-classifier';
import { postMessage, replyText, startApp } from '../support/server';

const HUMAN = 'talk to a human please';

describe('escalation limits', function () {
  this.timeout(30_000);

  it('one address gets 3 escalations an hour; the 4th is told to wait and opens nothing', async () => {
    const s = await startApp({ WEB_ESCALATIONS_PER_IP_PER_HOUR: '3' }, { classifier: createKeywordClassifier() });
    try {
      for (let i = 0; i < 3; i++) {
        const r = await postMessage(s.url, { conversationId: `ip-${i}`, text: HUMAN });
        assert.equal(r.status, 200);
        assert.ok(await s.app.handoff.get(`web:ip-${i}`), `escalation ${i + 1} opened a handoff`);
      }
      const refused = await postMessage(s.url, { conversationId: 'ip-3', text: HUMAN });
      assert.equal(refused.status, 200);
      assert.match(replyText(refused.json), /asked for a person several times.*about \d+ min/s);
      assert.equal(await s.app.handoff.get('web:ip-3'), undefined, 'no handoff for the 4th');
      const zh = await postMessage(s.url, { conversationId: 'ip-4', text: '转人工' });
      assert.match(replyText(zh.json), /多次请求人工客服/);
    } finally {
      await s.stop();
    }
  });

  it('one conversation gets 2 escalations an hour (asked, cancelled, asked again, cancelled, refused)', async () => {
    const s = await startApp({ ESCALATIONS_PER_CONVERSATION_PER_HOUR: '2' }, { classifier: createKeywordClassifier() });
    try {
      for (const agent of ['anna', 'wang', 'lilei']) assert.ok((await s.app.handoff.setAgentStatus(agent, 'away')).ok);
      for (let i = 0; i < 2; i++) {
        await postMessage(s.url, { conversationId: 'again', text: HUMAN });
        assert.equal((await s.app.handoff.get('web:again'))?.state, 'queued');
        assert.match(replyText((await postMessage(s.url, { conversationId: 'again', text: 'cancel' })).json), /back with the bot/);
      }
      const third = await postMessage(s.url, { conversationId: 'again', text: HUMAN });
      assert.match(replyText(third.json), /asked for a person several times/);
      assert.equal((await s.app.handoff.get('web:again'))?.state, 'cancelled', 'still the cancelled one: nothing new queued');
      assert.equal(s.app.handoff.queueSize(), 0);
    } finally {
      await s.stop();
    }
  });

  it('0 switches the limits off', async () => {
    const s = await startApp({ WEB_ESCALATIONS_PER_IP_PER_HOUR: '0', ESCALATIONS_PER_CONVERSATION_PER_HOUR: '0' }, { classifier: createKeywordClassifier() });
    try {
      for (let i = 0; i < 40; i++) await postMessage(s.url, { conversationId: `free-${i}`, text: HUMAN });
      assert.ok(await s.app.handoff.get('web:free-39'), 'the 40th from one address is escalated');
    } finally {
      await s.stop();
    }
  });
});
