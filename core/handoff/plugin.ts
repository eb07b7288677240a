/**
 * The engine side of the handoff: middleware that keeps the bot silent while a human has the
 * conversation (forwarding every customer message to the agents), lets a waiting customer cancel,
 * takes the CSAT answer, and escalates on anger, repeated misunderstanding and profile rules; the
 * `onHandoff` hook opens the handoff (also for `ctx.handoff()` from dialogs); `onTurnEnd` does the
 * side effects once, after the turn was saved.
 */
import type { HandoffRequest, TurnContext } from '../context';
import type { Engine, Plugin } from '../engine';
import { conversationKey } from '../model';
import type { SessionState } from '../session';
import type { HandoffSessionData } from './conversation-actions';
import { type Desk, pushTranscript } from './desk';
import { type EscalationOptions, escalate, escalationReply } from './escalate';
import { topicIntent } from './routing';
import { isCancel, parseCsat, systemMessage } from './texts';
import type { HandoffRule, TranscriptEntry } from './types';

export interface PluginOptions extends EscalationOptions {
  afterFallbacks: number;
  angerThreshold: number;
  rules: readonly HandoffRule[];
}

interface TurnNote {
  forward?: boolean;
  cancel?: boolean;
  csat?: { doneKey: string; score: number };
  firstEscalation?: boolean;
}

const LAST_TURNS = 10;

export function sessionData(s: SessionState): HandoffSessionData {
  const current = s.plugins.handoff as HandoffSessionData | undefined;
  if (current && typeof current.escalations === 'number') return current;
  const fresh: HandoffSessionData = { escalations: 0 };
  s.plugins.handoff = fresh;
  return fresh;
}

export function createHandoffPlugin(
  getDesk: () => Desk,
  opts: PluginOptions,
  hooks: { attach(engine: Engine): void; countTurn(delta: CounterDelta): void; close(): Promise<void> },
): Plugin<void> {
  const notes = new WeakMap<TurnContext, TurnNote>();
  const angry = (ctx: TurnContext) => opts.angerThreshold > 0 && (ctx.classification.sentiment?.score ?? 0) <= -opts.angerThreshold;

  async function middleware(ctx: TurnContext, next: () => Promise<void>): Promise<void> {
    const desk = getDesk();
    const data = sessionData(ctx.session);
    const note: TurnNote = {};
    notes.set(ctx, note);
    const active = await desk.repo.active(conversationKey(ctx.message));
    if (active?.turnId === ctx.turnId) return ctx.handoff(active.reason, active.detail); // this turn, retried after a write conflict
    if (active) {
      if (active.state === 'queued' && isCancel(ctx.message.text, ctx.message.payload, ctx.classification.intent)) {
        note.cancel = true;
        ctx.reply(systemMessage(ctx.locale, 'cancelled'));
        return;
      }
      note.forward = true; // the bot stays silent: the agent answers
      if (active.state === 'queued') ctx.reply(systemMessage(ctx.locale, 'waiting', { position: active.queuePosition ?? 1 }));
      return;
    }
    if (data.csat) {
      const pending = data.csat;
      data.csat = undefined;
      const score = parseCsat(ctx.message.text, ctx.message.payload);
      if (score !== undefined) {
        note.csat = { doneKey: pending.doneKey, score };
        ctx.reply(systemMessage(ctx.locale, 'csatThanks'));
        return;
      }
    }
    if (angry(ctx)) return ctx.handoff('sentiment', `score=${ctx.classification.sentiment?.score.toFixed(2)}`);
    const rule = opts.rules.find((r) => r.when(ctx));
    if (rule) return ctx.handoff('rule', rule.name);
    await next();
    if (!ctx.handoffRequest && opts.afterFallbacks > 0 && ctx.session.fallbacks >= opts.afterFallbacks) ctx.handoff('misunderstood', `fallbacks=${ctx.session.fallbacks}`);
  }

  async function onHandoff(ctx: TurnContext, request: HandoffRequest): Promise<void> {
    const desk = getDesk();
    const s = ctx.session;
    const data = sessionData(s);
    const m = ctx.message;
    const said = m.text || (m.attachments.length ? `[${m.attachments.map((a) => a.kind).join(', ')}]` : `[${m.kind}]`);
    const lastTurns: TranscriptEntry[] = [
      ...s.history.slice(-LAST_TURNS).map((h) => ({ from: h.from, text: h.text, at: h.at })),
      { from: 'customer', text: said, at: ctx.now, ...(m.attachments.length ? { attachments: m.attachments } : {}) },
      ...ctx.replies.map((r) => ({ from: r.from ?? 'bot', text: r.text, at: ctx.now })),
    ];
    const sentiment = ctx.classification.sentiment;
    const outcome = await escalate(
      desk,
      {
        key: conversationKey(m),
        ref: ctx.ref,
        turnId: ctx.turnId,
        reason: request.reason,
        ...(request.detail === undefined ? {} : { detail: request.detail }),
        locale: ctx.locale,
        intent: topicIntent([...s.history.filter((h) => h.from === 'customer').map((h) => h.intent), ctx.classification.intent]),
        ...(sentiment ? { sentiment: { score: sentiment.score, label: sentiment.label } } : {}),
        angry: angry(ctx),
        customer: { userId: m.userId, ...(m.profile?.name ? { name: m.profile.name } : {}), ...(m.profile?.tier ? { tier: m.profile.tier } : {}) },
        lastTurns,
      },
      opts,
    );
    ctx.reply(escalationReply(outcome, ctx.locale, request.reason !== 'requested' && request.reason !== 'dialog'));
    data.escalations += 1;
    const note = notes.get(ctx);
    if (note) note.firstEscalation = data.escalations === 1;
    // The human (or the ticket) takes it from here: the bot forgets its half-finished questions.
    s.fallbacks = 0;
    s.dialog = undefined;
    s.stack = [];
  }

  async function onTurnEnd(ctx: TurnContext): Promise<void> {
    const desk = getDesk();
    const note = notes.get(ctx);
    if (!note) return;
    hooks.countTurn({ turns: 1, conversations: ctx.session.turns === 1 ? 1 : 0, botTurns: note.forward ? 0 : 1, escalatedConversations: note.firstEscalation ? 1 : 0 });
    const key = conversationKey(ctx.message);
    const m = ctx.message;
    if (note.forward) {
      await desk.locked(async () => {
        const r = await desk.repo.active(key);
        if (!r) return;
        pushTranscript(r, { from: 'customer', text: m.text, at: ctx.now, ...(m.attachments.length ? { attachments: m.attachments } : {}) });
        r.updatedAt = ctx.now;
        await desk.repo.saveActive(r);
        desk.emit({ type: 'handoff.customer_message', key, record: r, at: ctx.now, text: m.text, attachments: m.attachments });
      });
    }
    if (note.cancel) {
      await desk.locked(async () => {
        const r = await desk.repo.active(key);
        if (!r) return;
        Object.assign(r, { state: 'cancelled', updatedAt: ctx.now });
        await desk.repo.finish(r);
        desk.emit({ type: 'handoff.cancelled', key, record: r, at: ctx.now, by: 'customer' });
        await desk.dispatch(key);
      });
      void desk.outbox.drain();
    }
    const csat = note.csat;
    if (csat) {
      await desk.locked(async () => {
        const r = await desk.repo.done(csat.doneKey);
        if (!r) return;
        r.csat = csat.score;
        await desk.repo.saveDone(csat.doneKey, r);
        desk.emit({ type: 'handoff.csat', key, record: r, at: ctx.now, score: csat.score });
      });
    }
  }

  return {
    name: 'handoff',
    register(engine) {
      hooks.attach(engine);
      engine.use(middleware);
      engine.addHook('onHandoff', onHandoff);
      engine.addHook('onTurnEnd', onTurnEnd);
      engine.addHook('onClose', () => hooks.close());
      void getDesk().outbox.drain(true); // after a restart: try what was left at once
    },
  };
}

export interface CounterDelta {
  turns: number;
  conversations: number;
  botTurns: number;
  escalatedConversations: number;
}
