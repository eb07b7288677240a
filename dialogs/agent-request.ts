/**
 * "Talk to a human": asks for a handoff. The handoff plugin (when registered) queues the
 * conversation and tells the customer their place in line; this dialog only sets expectations.
 */
import { defineDialog } from '../core';

export const agentRequest = defineDialog({
  id: 'agent-request',
  triggers: ['agent.request'],
  label: { en: 'Talk to a person', zh: '转人工客服' },
  // May interrupt any question, a free-text answer such as an address included.
  escape: true,
  texts: {
    en: { connecting: 'Of course. I’m connecting you with a member of our customer-service team now. They’ll see our conversation so far, so you won’t need to repeat yourself.' },
    zh: { connecting: '好的，正在为您转接人工客服，请稍候。客服可以看到我们之前的对话，您不用再重复说明。' },
  },
  run(ctx) {
    ctx.handoff('requested');
    ctx.say('connecting');
  },
});
