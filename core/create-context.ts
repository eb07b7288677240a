import { type Classification, emptyClassification } from './classifier';
import type { ReplyInput, TurnContext } from './context';
import type { Logger } from './logger';
import type { Locale, OutboundMessage, ParsedInbound } from './model';
import type { SessionState } from './session';

export function createTurnContext(init: {
  turnId: string;
  message: ParsedInbound;
  session: SessionState;
  locale: Locale;
  log: Logger;
  now: number;
  classification?: Classification;
}): TurnContext {
  const replies: OutboundMessage[] = [];
  const ctx: TurnContext = {
    turnId: init.turnId,
    message: init.message,
    ref: init.session.ref,
    locale: init.locale,
    classification: init.classification ?? emptyClassification(),
    session: init.session,
    data: init.session.data,
    replies,
    log: init.log,
    vars: {},
    now: init.now,
    reply(input: ReplyInput) {
      const msg = typeof input === 'string' ? { text: input } : input;
      replies.push({ from: 'bot', ...msg, locale: msg.locale ?? ctx.locale });
    },
    handoff(reason, detail) {
      ctx.handoffRequest = detail === undefined ? { reason } : { reason, detail };
    },
  };
  return ctx;
}
