/**
 * What every kefu bot can do without writing it: greet, thank and say goodbye, understand nothing
 * gracefully (a fallback that offers a person), put the customer through to a person, and cancel
 * what is in progress. A bot
 * replaces any of them by giving a dialog with the same id (the demo shop has its own fallback).
 * The intents they answer come with kefu's base corpus (kit/locales), merged under the bot's.
 */
import { join } from 'node:path';
import { type Dialog, defineDialog, FALLBACK_DIALOG_ID, INTENT_PAYLOAD_PREFIX, type QuickReply } from '../core';
import { createFaqDialogs } from './faq';

/** kefu's base corpus: the examples of the intents these dialogs answer, trained under the bot's own. */
export const KIT_LOCALES_DIR = join(__dirname, 'locales');

export const AGENT_REQUEST_INTENT = 'agent.request';
export const CANCEL_INTENT = 'cancel';

const personButton = (label: string | undefined): QuickReply[] => (label ? [{ label, payload: `${INTENT_PAYLOAD_PREFIX}${AGENT_REQUEST_INTENT}` }] : []);

export const kitFallback = defineDialog({
  id: FALLBACK_DIALOG_ID,
  triggers: [],
  texts: {
    en: { notUnderstood: 'Sorry, I didn’t quite get that. Could you say it another way? I can also put you through to a person.' },
    zh: { notUnderstood: '抱歉，我没太明白您的意思。能换个说法吗？我也可以帮您转接人工客服。' },
  },
  run(ctx) {
    ctx.reply({ text: ctx.t('notUnderstood'), quickReplies: personButton(ctx.labelFor(AGENT_REQUEST_INTENT)) });
  },
});

export const kitAgentRequest = defineDialog({
  id: 'agent-request',
  triggers: [AGENT_REQUEST_INTENT],
  label: { en: 'Talk to a person', zh: '转人工客服' },
  escape: true,
  texts: {
    en: { connecting: 'Of course, I’m connecting you with a person from our team. They will see our conversation so far.' },
    zh: { connecting: '好的，正在为您转接人工客服。客服可以看到我们之前的对话。' },
  },
  run(ctx) {
    ctx.handoff('requested');
    ctx.say('connecting');
  },
});

export const kitCancel = defineDialog({
  id: 'cancel',
  triggers: [CANCEL_INTENT],
  label: { en: 'Stop what we’re doing', zh: '取消当前操作' },
  escape: true,
  texts: {
    en: { cancelled: 'OK, I’ve stopped that. What else can I do for you?', nothing: 'There’s nothing in progress to cancel. How can I help?' },
    zh: { cancelled: '好的，已经帮您取消了。还有什么可以帮您？', nothing: '目前没有正在办理的事项。请问有什么可以帮您？' },
  },
  run(ctx) {
    const inProgress = ctx.session.stack.length > 0;
    ctx.cancelAll();
    ctx.say(inProgress ? 'cancelled' : 'nothing');
  },
});

export const kitGreeting = defineDialog({
  id: 'greeting',
  triggers: ['greeting'],
  texts: { en: { hello: 'Hello! How can I help you today?' }, zh: { hello: '您好！请问有什么可以帮您？' } },
  run(ctx) {
    ctx.say('hello');
  },
});

export const kitThanks = defineDialog({
  id: 'thanks',
  triggers: ['thanks'],
  texts: { en: { welcome: 'You’re welcome! Anything else I can do for you?' }, zh: { welcome: '不客气！还有什么可以帮您？' } },
  run(ctx) {
    ctx.say('welcome');
  },
});

export const kitGoodbye = defineDialog({
  id: 'goodbye',
  triggers: ['goodbye'],
  texts: { en: { bye: 'Goodbye, and thanks for getting in touch!' }, zh: { bye: '再见，感谢您的咨询！' } },
  run(ctx) {
    ctx.say('bye');
  },
});

export const KIT_DIALOGS: readonly Dialog[] = [kitGreeting, kitThanks, kitGoodbye, kitFallback, kitAgentRequest, kitCancel];

/**
 * The bot's dialogs, and kefu's for every id and intent the bot does not handle itself: the kit's,
 * and an FAQ dialog for each entry of the knowledge base files under `localesDir` (when given).
 */
export function withKitDialogs(dialogs: readonly Dialog[], localesDir?: string): Dialog[] {
  const ids = new Set(dialogs.map((d) => d.id));
  const triggers = new Set(dialogs.flatMap((d) => d.triggers));
  const offered = [...KIT_DIALOGS, ...(localesDir ? createFaqDialogs(localesDir) : [])];
  return [...dialogs, ...offered.filter((d) => !ids.has(d.id) && !d.triggers.some((t) => triggers.has(t)))];
}
