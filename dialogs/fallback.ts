/**
 * When no intent is recognised: ask a clarifying question from the NLU's runner-up guesses
 * ("Did you mean … or …?"), else list what the bot can do. Pictures and files get a request to
 * describe them in words. From the second miss in a row, a person is offered too.
 */
import { type Classification, defineDialog, FALLBACK_DIALOG_ID, NONE_INTENT, type QuickReply } from '../core';
import { intentButtons, topicButtons } from './topics';

/** Ranking scores at or above this are worth offering as "did you mean". */
export const PLAUSIBLE_SCORE = 0.15;
/** Consecutive misses after which a person is offered. */
export const OFFER_HUMAN_AFTER = 2;
/** Small talk and "cancel" are never worth a clarifying question (nothing is in progress here). */
const NOT_SUGGESTED = new Set(['greeting', 'thanks', 'goodbye', 'cancel']);

/** Up to two plausible intents that have a dialog (a label), best first. */
export function plausibleIntents(ranking: Classification['ranking'], hasLabel: (intent: string) => boolean): string[] {
  const picked: string[] = [];
  for (const { intent, score } of ranking) {
    if (score < PLAUSIBLE_SCORE || intent === NONE_INTENT || NOT_SUGGESTED.has(intent)) continue;
    if (!picked.includes(intent) && hasLabel(intent)) picked.push(intent);
    if (picked.length === 2) break;
  }
  return picked;
}

export const fallback = defineDialog({
  id: FALLBACK_DIALOG_ID,
  triggers: [],
  label: { en: 'Something else', zh: '其他问题' },
  texts: {
    en: {
      didYouMeanOne: 'Sorry, I’m not sure I understood. Did you mean “{a}”?',
      didYouMeanTwo: 'Sorry, I’m not sure I understood. Did you mean “{a}” or “{b}”?',
      notUnderstood:
        'Sorry, I didn’t quite get that. I can help you track an order, return something or get a refund, and answer questions about shipping and payment. Pick a topic below, or try saying it another way.',
      nonText:
        'Thanks for sending that! I can only read text for now, so could you describe it in words? For example “the base of my lamp arrived cracked” or “where is order 100234”.',
      offerHuman: 'If you’d rather, I can put you through to a person.',
    },
    zh: {
      didYouMeanOne: '抱歉，我不太确定您的意思。您是想问“{a}”吗？',
      didYouMeanTwo: '抱歉，我不太确定您的意思。您是想问“{a}”，还是“{b}”？',
      notUnderstood: '抱歉，我没太明白您的意思。我可以帮您查询订单、办理退货退款，也能解答配送和支付方面的问题。您可以点下面的选项，或者换个说法告诉我。',
      nonText: '收到啦！不过我目前只能看懂文字，麻烦您用文字描述一下，比如“台灯底座碎了”或“订单100234到哪了”。',
      offerHuman: '如果需要，我也可以帮您转接人工客服。',
    },
  },
  run(ctx) {
    const { kind, text, attachments } = ctx.message;
    const nonText = kind === 'image' || kind === 'file' || kind === 'unsupported' || (!text.trim() && attachments.length > 0);
    let message: string;
    let buttons: QuickReply[];
    if (nonText) {
      message = ctx.t('nonText');
      buttons = [];
    } else {
      const [a, b] = plausibleIntents(ctx.classification.ranking, (i) => ctx.labelFor(i) !== undefined);
      const label = (i: string) => ctx.labelFor(i) ?? i;
      if (a && b) message = ctx.t('didYouMeanTwo', { a: label(a), b: label(b) });
      else if (a) message = ctx.t('didYouMeanOne', { a: label(a) });
      else message = ctx.t('notUnderstood');
      buttons = a ? intentButtons(ctx, b ? [a, b] : [a]) : topicButtons(ctx);
    }
    if (ctx.session.fallbacks >= OFFER_HUMAN_AFTER) {
      message = `${message}${ctx.locale === 'zh' ? '' : ' '}${ctx.t('offerHuman')}`;
      buttons = [...buttons.filter((q) => q.payload !== 'intent:agent.request'), ...intentButtons(ctx, ['agent.request'])];
    }
    ctx.reply(buttons.length ? { text: message, quickReplies: buttons } : message);
  },
});
