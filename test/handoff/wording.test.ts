import assert from 'node:assert/strict';
import type { AgentProfile } from '../../plugins/handoff';
import { createRig, key, type Rig } from './support';

const ANNA: AgentProfile = { id: 'anna', name: 'Anna', skills: ['orders', 'general'], languages: ['en'], capacity: 3, status: 'online' };
const WANG: AgentProfile = { id: 'wang', name: '王芳 Wang Fang', skills: ['refunds', 'orders'], languages: ['zh'], capacity: 3, status: 'online' };

describe('handoff wording per state (en, zh)', () => {
  let rig: Rig;
  afterEach(() => rig.close());

  it('an angry customer hears an apology first (安抚话术), then who is with them', async () => {
    rig = await createRig({ agents: [ANNA, WANG] });
    const zh = await rig.say('a1', '太差了，气死我了');
    assert.match(zh, /^非常抱歉给您带来了不好的体验，您的心情我完全理解。客服王芳 Wang Fang已接入/);
    const en = await rig.say('a2', 'This is the worst service ever, I am furious');
    assert.match(en, /^I am really sorry about this, and I understand how frustrating it is\. Anna from our support team is now with you\./);
  });

  it('a Chinese-speaking customer never goes to an English-only agent; with no Chinese speaker they are told so and offered a ticket', async () => {
    rig = await createRig({ agents: [ANNA, { ...WANG, status: 'offline' }] });
    const said = await rig.say('z1', '转人工');
    assert.match(said, /目前没有会说中文的客服可以接待。您在队列中排第 1 位；您也可以留下工单/);
    assert.doesNotMatch(said, /Anna|已接入|正在为您转接/);
    assert.equal((await rig.service.get(key('z1')))?.agentId, undefined);
    await rig.service.setAgentStatus('wang', 'online');
    assert.equal((await rig.service.get(key('z1')))?.agentId, 'wang', 'the Chinese-speaking agent takes it when they come');
  });

  it('the waiting message carries "Leave a ticket" and "Cancel" buttons; no stale "Talk to a person" button in the turn that hands over', async () => {
    rig = await createRig({ agents: [ANNA], afterFallbacks: 1 });
    const turn = await rig.engine.handle({ channel: 'test', conversationId: 'b1', userId: 'u-b1', platformMessageId: 'b1-1', text: 'qwxz plorp' });
    await rig.service.idle();
    const buttons = turn.replies.flatMap((r) => (r.quickReplies ?? []).map((q) => q.label));
    assert.match(turn.replies.at(-1)?.text ?? '', /Anna from our support team is now with you/);
    assert.deepEqual(buttons, [], 'a person took over: no buttons left over from the fallback');
  });

  it('never "connecting you now" when nobody is free: the "talk to a human" promise gives way to the real state', async () => {
    rig = await createRig({ agents: [{ ...ANNA, capacity: 1 }] });
    await rig.say('n1', 'human please');
    const turn = await rig.engine.handle({ channel: 'test', conversationId: 'n2', userId: 'u-n2', platformMessageId: 'n2-1', text: 'human please' });
    const text = turn.replies.map((r) => r.text).join('\n');
    assert.doesNotMatch(text, /connecting/i);
    assert.match(text, /All our agents are busy right now\. You are number 1 in the queue/);
    assert.deepEqual(
      turn.replies.at(-1)?.quickReplies?.map((q) => q.payload),
      ['handoff.ticket', 'handoff.cancel'],
    );
  });
});
