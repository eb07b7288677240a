/**
 * One turn, top to bottom. Every channel's message goes through here (via `engine.handle`):
 *  1. validate the message            4. drop a re-delivered platform message id
 *  2. queue behind the conversation    5. classify the text (intent, entities, sentiment)
 *  3. load the session                 6. run middleware → dialog → handoff hooks
 *                                      7. save the session with a version check (retry on conflict)
 *                                      8. return the replies for the channel to send
 * Replies leave only after the save succeeded, so a failed save never sends a reply twice.
 */
import type { Classification, IntentClassifier } from './classifier';
import { classifyTurn } from './classify-turn';
import type { TurnContext } from './context';
import { CORE_TEXTS } from './core-texts';
import { createTurnContext } from './create-context';
import { asCodedError, KefuError } from './errors';
import type { HookRegistry } from './hooks';
import { chooseLocale } from './locale';
import type { Logger } from './logger';
import { conversationKey, type InboundMessage, type Locale, type ParsedInbound, type TurnResult } from './model';
import { parseInbound } from './parse-inbound';
import { type DialogRegistry, runDialogStep } from './run-dialog';
import { ANSWERED_LIMIT, HISTORY_LIMIT, pushBounded, SEEN_LIMIT, type SessionState } from './session';
import { loadSession, saveSession } from './session-io';
import type { Sequentializer } from './sequentialize';
import type { SessionStore } from './store';

export interface TurnDeps {
  store: SessionStore<SessionState>;
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

  for (let attempt = 1; ; attempt++) {
    const loaded = await loadSession(deps.store, key, ref, started); // 3
    const session = loaded.value;
    const locale = chooseLocale(message.payload ? '' : message.text, session.locale, message.locale, deps.defaultLocale);
    if (message.platformMessageId && session.seen.includes(message.platformMessageId)) {
      log.info({ platformMessageId: message.platformMessageId }, 'duplicate delivery dropped'); // 4
      const previousReplies = session.answered?.find((a) => a.id === message.platformMessageId)?.replies;
      return { turnId, duplicate: true, replies: [], locale, ...(previousReplies ? { previousReplies } : {}) };
    }
    if (message.address) session.ref = { ...session.ref, address: message.address };
    const classification = classified.get(locale) ?? (await classifyTurn(deps.classifier, message, locale)); // 5
    classified.set(locale, classification);
    const ctx = createTurnContext({ turnId, message, session, locale, log, now: started, classification });

    const dialogId = await runDialogSafely(deps, ctx); // 6
    recordTurn(ctx);
    if ((await saveSession(deps.store, key, session, loaded.version)) === 'conflict') { // 7
      if (attempt < deps.maxWriteAttempts) {
        log.warn({ attempt }, 'session write conflict; retrying the turn');
        continue;
      }
      throw new KefuError('KEFU_ERR_STORE_CONFLICT', `Session ${key} changed under ${attempt} attempts of this turn; the message was not processed, retry it.`);
    }

    const { intent, score } = ctx.classification;
    const result: TurnResult = { turnId, duplicate: false, replies: ctx.replies, locale: ctx.locale, intent: { name: intent, score }, dialogId };
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
  const s: SessionState = ctx.session;
  const { message, now } = ctx;
  s.locale = ctx.locale;
  s.turns += 1;
  s.updatedAt = now;
  if (message.platformMessageId) {
    pushBounded(s.seen, message.platformMessageId, SEEN_LIMIT);
    s.answered = s.answered ?? [];
    pushBounded(s.answered, { id: message.platformMessageId, replies: ctx.replies }, ANSWERED_LIMIT);
  }
  const said = message.text || (message.attachments.length ? `[${message.attachments.map((a) => a.kind).join(', ')}]` : `[${message.kind}]`);
  pushBounded(s.history, { from: 'customer', text: said, at: now, intent: ctx.classification.intent }, HISTORY_LIMIT);
  for (const r of ctx.replies) pushBounded(s.history, { from: r.from ?? 'bot', text: r.text, at: now }, HISTORY_LIMIT);
}
