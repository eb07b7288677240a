/**
 * The expert tier over real HTTP: `POST /console/api/conversations/:key/escalate-expert` { skill?, note }
 * works for the assigned agent only (a colleague gets 403, a supervisor who does not have it 409
 * KEFU_ERR_HANDOFF_NOT_ASSIGNED), needs a note, and hands the conversation to the expert queue,
 * which only experts (Li Lei in the demo team) can claim.
 */
import assert from 'node:assert/strict';
import type { HandoffRecord } from '../../plugins/handoff';
import { createKeywordClassifier } from '../support/keyword-classifier';
import { postMessage, type RunningApp, startApp } from '../support/server';
import { asPage, asScript, conv, login, type Staff } from './console-support';

describe('console: escalate to an expert', function () {
  this.timeout(30_000);
  let s: RunningApp;
  let anna: Staff;
  let wang: Staff;
  let lilei: Staff;

  before(async () => {
    s = await startApp({}, { classifier: createKeywordClassifier() });
    for (const a of await s.app.handoff.agents()) await s.app.handoff.setAgentStatus(a.id, 'away'); // escalations wait in the queue
    await postMessage(s.url, { conversationId: 'e1', text: 'where is my order?' });
    await postMessage(s.url, { conversationId: 'e1', text: 'I need a human' });
    [anna, wang, lilei] = await Promise.all([login(s.url, 'anna'), login(s.url, 'wang'), login(s.url, 'lilei')]);
    for (const a of await s.app.handoff.agents()) await s.app.handoff.setAgentStatus(a.id, 'away');
    assert.equal((await asPage(s.url, anna, 'POST', conv('web:e1', 'claim'), {})).status, 200);
  });
  after(() => s?.stop());

  it('refuses a colleague (403), a supervisor without the conversation (409), an empty note and unknown fields (400)', async () => {
    const tries = [
      await asPage(s.url, wang, 'POST', conv('web:e1', 'escalate-expert'), { note: 'mine now' }),
      await asPage(s.url, lilei, 'POST', conv('web:e1', 'escalate-expert'), { note: 'mine now' }),
      await asPage(s.url, anna, 'POST', conv('web:e1', 'escalate-expert'), { note: '  ' }),
      await asPage(s.url, anna, 'POST', conv('web:e1', 'escalate-expert'), { note: 'x', level: 'boss' }),
      await asPage(s.url, anna, 'POST', conv('web:e1', 'escalate-expert'), {}),
    ];
    assert.deepEqual(
      tries.map((t) => [t.status, t.json.error?.code]),
      [
        [403, 'KEFU_ERR_CONSOLE_FORBIDDEN'],
        [409, 'KEFU_ERR_HANDOFF_NOT_ASSIGNED'],
        [400, 'KEFU_ERR_HANDOFF_INPUT_INVALID'],
        [400, 'KEFU_ERR_HANDOFF_INPUT_INVALID'],
        [400, 'KEFU_ERR_HANDOFF_INPUT_INVALID'],
      ],
    );
    assert.equal((await s.app.handoff.get('web:e1'))?.level, undefined);
  });

  it('the assigned agent escalates with a note; only an expert claims it', async () => {
    const up = await asScript<{ record: HandoffRecord }>(s.url, anna, 'POST', conv('web:e1', 'escalate-expert'), { skill: 'refunds', note: 'refund over the limit' });
    assert.equal(up.status, 200);
    assert.deepEqual([up.json.record.state, up.json.record.level, up.json.record.escalatedBy, up.json.record.skill], ['queued', 'expert', 'anna', 'refunds']);
    const byWang = await asPage(s.url, wang, 'POST', conv('web:e1', 'claim'), {});
    assert.deepEqual([byWang.status, byWang.json.error?.code], [403, 'KEFU_ERR_HANDOFF_EXPERT_ONLY']);
    const byLilei = await asPage<{ record: HandoffRecord }>(s.url, lilei, 'POST', conv('web:e1', 'claim'), {});
    assert.equal(byLilei.status, 200);
    assert.equal(byLilei.json.record.agentId, 'lilei');
    const seen = await asPage<{ transcript: Array<{ from: string; text: string }> }>(s.url, lilei, 'GET', conv('web:e1'));
    assert.ok(
      seen.json.transcript.some((m) => m.from === 'note' && m.text === 'refund over the limit'),
      'the expert reads the note',
    );
  });
});
