/**
 * One turn, top to bottom. Every channel's message goes through here (via `engine.handle`):
 *  1. validate the message            4. drop a re-delivered platform message id
 *  2. queue behind the conversation    5. classify the text (intent, entities, sentiment)
 *  3. load the session                 6. run middleware → dialog → handoff hooks
 *                                      7. commit: the session (version check; retry the turn on a
 *                                         conflict), the customer's message and the replies, in one write
 *                                      8. return the replies; outbox channels get them from the outbox
 * Replies leave only after the commit succeeded, so a failed save never sends a reply, and a
 * process that dies after it still sends them (the outbox is in the same write).
 */
import type { Classification, IntentClassifier } from './classifier';
import { classifyTurn } from './classify-turn';
import type { TurnContext } from './context';
import { CORE_TEXTS } from './core-texts';
import { createTurnContext } from './create-context';
import type { MessageInput, Repositories, StoredMessage } from './data';
import { asCodedError, KefuError } from './errors';
import type { HookRegistry } from './hooks';
import { chooseLocale } from './locale';
import type { Logger } from './logger';
import { conversationKey, type InboundMessage, type Locale, type OutboundMessage, type ParsedInbound, type TurnResult } from './model';
import { withFields } from './objects';
import { parseInbound } from './parse-inbound';
import { type DialogRegistry, runDialogStep } from './run-dialog';
import type { Sequentializer } from './sequentialize';
import { pushBounded, SEEN_LIMIT } from './session';
import { commitTurn, loadSession } from './session-io';

/** How a channel's turn replies leave: see `Channel.delivery`. */
export interface ReplyRouting {
  /** True: the replies enter the outbox in the turn's commit. */
  outbox: boolean;
  /** Outbox replies wait this long for the channel to answer inline first (WeChat's passive reply). */
  holdMs: number;
}

export interface TurnDeps {
  data: Repositories;
  classifier: IntentClassifier;
  dialogs: DialogRegistry;
  /** Middleware composed around the dialog step. */
  pipeline: (ctx: TurnContext, inner: (ctx: TurnContext) => Promise<void>) => Promise<void>;
  hooks: HookRegistry;
  sequentialize: Sequentializer;
  log: Logger;
  now: () => number;
  newId: () => string;
  defaultLocale: Locale;
  maxWriteAttempts: number;
  routing(channel: string): ReplyRouting;
  /** Called after a commit that put replies in the outbox: their first send attempt (bounded in time), or, when `held`, a timer for the end of the hold. */
  delivered(key: string, held: boolean): void | Promise<void>;
}

export async function handleTurn(deps: TurnDeps, raw: InboundMessage): Promise<TurnResult> {
  const message = parseInbound(raw); // 1
  await deps.hooks.run('onInbound', message);
  const key = conversationKey(message);
  return deps.sequentialize(key, () => processTurn(deps, message, key)); // 2
}

async function processTurn(deps: TurnDeps, message: ParsedInbound, key: string): Promise<TurnResult> {
  const turnId = deps.newId();
  const started = deps.now();
  const log = deps.log.child({ turnId, channel: message.channel, conversationId: message.conversationId });
  const ref = { channel: message.channel, conversationId: message.conversationId, userId: message.userId, ...(message.address ? { address: message.address } : {}) };
  const classified = new Map<Locale, Classification>();
  const routing = deps.routing(message.channel);

  for (let attempt = 1; ; attempt++) {
    const loaded = await loadSession(deps.data, key, ref, started); // 3
    const session = loaded.value;
    const locale = chooseLocale(message.payload ? '' : message.text, session.locale, message.locale, deps.defaultLocale);
    if (message.platformMessageId && session.seen.includes(message.platformMessageId)) {
      log.info({ platformMessageId: message.platformMessageId }, 'duplicate delivery dropped'); // 4
      const previousReplies = await repliesTo(deps.data, key, message.platformMessageId);
      return { turnId, duplicate: true, replies: [], locale, ...(previousReplies ? { previousReplies } : {}) };
    }
    if (message.address) session.ref = withFields(session.ref, { address: message.address });
    const classification = classified.get(locale) ?? (await classifyTurn(deps.classifier, message, locale)); // 5
    classified.set(locale, classification);
    const ctx = createTurnContext({ turnId, message, session, locale, log, now: started, classification });

    const dialogId = await runDialogSafely(deps, ctx); // 6
    recordTurn(ctx);
    const messages = turnMessages(ctx, routing);
    const committed = await commitTurn(deps.data, { key, ref: session.ref, session: { value: session, expectedVersion: loaded.version }, messages }); // 7
    if (!committed.ok) {
      if (attempt < deps.maxWriteAttempts) {
        log.warn({ attempt }, 'session write conflict; retrying the turn');
        continue;
      }
      throw new KefuError('KEFU_ERR_STORE_CONFLICT', `Session ${key} changed under ${attempt} attempts of this turn; the message was not processed, retry it.`);
    }
    if (routing.outbox && ctx.replies.length) await deps.delivered(key, routing.holdMs > 0);

    const { intent, score } = ctx.classification;
    const result: TurnResult = { turnId, duplicate: false, replies: ctx.replies, locale: ctx.locale, intent: { name: intent, score }, dialogId, messages: committed.messages };
    await deps.hooks.run('onTurnEnd', ctx, result);
    log.info({ intent, score: Math.round(score * 1000) / 1000, dialog: dialogId, ms: deps.now() - started, replies: ctx.replies.length, attempt }, 'turn');
    return result; // 8
  }
}

/**
 * Middleware, dialog and handoff hooks. A dialog that throws does not lose the message: the turn
 * still saves (recording the message), the broken dialog frame is dropped, and the customer is told.
 */
async function runDialogSafely(deps: TurnDeps, ctx: TurnContext): Promise<string | undefined> {
  let dialogId: string | undefined;
  try {
    await deps.hooks.run('preDialog', ctx);
    await deps.pipeline(ctx, async (c) => {
      dialogId = await runDialogStep(c, deps.dialogs);
    });
    if (ctx.handoffRequest) await deps.hooks.run('onHandoff', ctx, ctx.handoffRequest);
    for (const reply of ctx.replies) await deps.hooks.run('onReply', ctx, reply);
  } catch (err) {
    const coded = asCodedError(err);
    ctx.log.error({ code: coded.code, dialog: dialogId, err: { name: coded.name, message: coded.message } }, 'turn failed');
    await deps.hooks.run('onError', coded, ctx);
    ctx.session.dialog = undefined;
    ctx.replies.length = 0;
    ctx.reply({ text: CORE_TEXTS[ctx.locale].turnFailed, from: 'system' });
  }
  return dialogId;
}

function recordTurn(ctx: TurnContext): void {
  const s = ctx.session;
  s.locale = ctx.locale;
  s.turns += 1;
  s.updatedAt = ctx.now;
  if (ctx.message.platformMessageId) pushBounded(s.seen, ctx.message.platformMessageId, SEEN_LIMIT);
}

/** What the customer said (as agents and the transcript show it). */
export function customerText(m: ParsedInbound): string {
  return m.text || (m.attachments.length ? `[${m.attachments.map((a) => a.kind).join(', ')}]` : `[${m.kind}]`);
}

/** The turn's messages for the commit: the customer's, then each reply (into the outbox when the channel uses it). */
function turnMessages(ctx: TurnContext, routing: ReplyRouting): MessageInput[] {
  const m = ctx.message;
  const customer: MessageInput = {
    id: m.platformMessageId ?? `${ctx.turnId}:in`,
    from: 'customer',
    text: customerText(m),
    at: ctx.now,
    locale: ctx.locale,
    intent: ctx.classification.intent,
    ...(m.attachments.length ? { attachments: m.attachments } : {}),
  };
  const replies = ctx.replies.map((r, i): MessageInput => {
    const out: MessageInput = withFields(r, { id: `${ctx.turnId}:${i}`, from: r.from ?? 'bot', at: ctx.now });
    if (routing.outbox) Object.assign(out, { deliver: true, ...(routing.holdMs > 0 ? { notBefore: ctx.now + routing.holdMs } : {}) });
    return out;
  });
  return [customer, ...replies];
}

/** The replies that followed a customer message (a retried request gets its first answer again). */
async function repliesTo(data: Repositories, key: string, messageId: string): Promise<OutboundMessage[] | undefined> {
  const recent = await data.messages.before(key, undefined, 100, 'customer');
  const at = recent.findIndex((m) => m.from === 'customer' && m.id === messageId);
  if (at < 0) return undefined;
  const next = recent.findIndex((m, i) => i > at && m.from === 'customer');
  return recent.slice(at + 1, next < 0 ? undefined : next).map(toOutbound);
}

/** A stored message as the channels send it. */
export function toOutbound(m: StoredMessage): OutboundMessage {
  const from = m.from === 'agent' || m.from === 'system' ? m.from : 'bot';
  return {
    text: m.text,
    locale: m.locale ?? 'en',
    from,
    ...(m.quickReplies ? { quickReplies: m.quickReplies } : {}),
    ...(m.attachments ? { attachments: m.attachments } : {}),
  };
}
