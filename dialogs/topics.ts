/** The main topics offered as buttons by the greeting, the fallback and a few answers. */
import { type DialogContext, INTENT_PAYLOAD_PREFIX, type QuickReply } from '../core';

export const MAIN_TOPICS = ['order.status', 'refund.request', 'faq.shipping', 'faq.returns', 'faq.payment'] as const;

/** Buttons that pick `intents` outright (`intent:<name>`), labelled with each dialog's label. */
export function intentButtons(ctx: Pick<DialogContext, 'labelFor'>, intents: readonly string[]): QuickReply[] {
  return intents.flatMap((intent) => {
    const label = ctx.labelFor(intent);
    return label ? [{ label, payload: `${INTENT_PAYLOAD_PREFIX}${intent}` }] : [];
  });
}

/** The main topics as buttons. */
export function topicButtons(ctx: Pick<DialogContext, 'labelFor'>): QuickReply[] {
  return intentButtons(ctx, MAIN_TOPICS);
}
