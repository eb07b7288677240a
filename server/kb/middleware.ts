/**
 * Puts the live knowledge base on every turn (`ctx.vars.knowledge`, read by the FAQ dialogs) and
 * answers FAQ intents that no dialog triggers: entries added in the console after start. Those are
 * answered here instead of ending in the fallback; the dialog step is skipped for that turn (a
 * question the bot was asking stays open, as for any answer outside the dialog).
 */
import type { Middleware } from '../../core';
import { type FaqKnowledge, sendFaqAnswer } from '../../kit/faq';

export function knowledgeMiddleware(kb: FaqKnowledge, routed: ReadonlySet<string>): Middleware {
  return async (ctx, next) => {
    ctx.vars.knowledge = kb;
    const { intent } = ctx.classification;
    const answer = routed.has(intent) ? undefined : kb.answer(intent, ctx.locale);
    if (!answer) return next();
    ctx.session.fallbacks = 0;
    sendFaqAnswer(ctx, answer);
  };
}
