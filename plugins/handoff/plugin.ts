/**
 * The engine side of the handoff: middleware that keeps the bot silent while a human has the
 * conversation (telling the agents about every customer message), lets a waiting customer cancel,
 * takes the CSAT answer, and escalates on anger, repeated misunderstanding and profile rules; the
 * `onHandoff` hook opens the handoff (also for `ctx.handoff()` from dialogs); `onTurnEnd` does the
 * side effects once, after the turn was saved. What happens in a turn is kept on `ctx.vars.handoff`.
 */
import type { HandoffRequest, TurnContext } from '../../core/context';
import type { Engine, Plugin } from '../../core/engine';
import { conversationKey, type TurnResult } from '../../core/model';
import type { SessionState } from '../../core/session';
import { customerText } from '../../core/turn';
import type { HandoffSessionData } from './conversation-actions';
import { customerSummary } from './customer';
import { type Desk, minutes } from './desk';
import { type EscalationOptions, escalate, escalationReply } from './escalate';
import { topicIntent } from './routing';
import { isCancel, parseCsat, systemMessage, wantsTicket } from './texts';
import { addCustomerMessage, ticketFor } from './ticket-inbox';
import type { HandoffOptions, HandoffRecord, HandoffRule, TranscriptEntry } from './types';

export interface PluginOptions extends EscalationOptions {
  afterFallbacks: number;
  angerThreshold: number;
  rules: readonly HandoffRule[];
  escalationLimit?: HandoffOptions['escalationLimit'];
}

/** What the handoff did in this turn, for `onTurnEnd` and for other plugins (analytics). */
export interface HandoffTurnNote {
  /** A person has the conversation: the bot stayed silent and the agents are told. */
  forward?: boolean;
  cancel?: boolean;
  csat?: { handoffId: string; score: number };
  firstEscalation?: boolean;
  /** The customer wrote to their open ticket: the message is added to it after the turn is saved. */
  ticket?: { id: string };
}

declare module '../../core/context' {
  interface ContextVariables {
    handoff: HandoffTurnNote;
  }
}

const LAST_TURNS = 10;

export function sessionData(s: SessionState): HandoffSessionData {
  const current = s.plugins.handoff as (HandoffSessionData & { csat?: { doneKey?: string } }) | undefined;
  if (current && typeof current.escalations === 'number') return current;
  const fresh: HandoffSessionData = { escalations: 0 };
  s.plugins.handoff = fresh;
  return fresh;
}

export function createHandoffPlugin(getDesk: () => Desk, opts: PluginOptions, hooks: { attach(engine: Engine): Promise<void>; close(): Promise<void> }): Plugin<void> {
  const angry = (ctx: TurnContext) => opts.angerThreshold > 0 && (ctx.classification.sentiment?.score ?? 0) <= -opts.angerThreshold;

  async function middleware(ctx: TurnContext, next: () => Promise<void>): Promise<void> {
    const desk = getDesk();
    const data = sessionData(ctx.session);
    const note: HandoffTurnNote = {};
    ctx.vars.handoff = note;
    const key = conversationKey(ctx.message);
    const active = desk.hot.isActive(key) ? (await desk.data.handoffs.active(key))?.value : undefined;
    if (active?.turnId === ctx.turnId) return ctx.handoff(active.reason, active.detail); // this turn, retried after a write conflict
    if (active) return whileActive(desk, ctx, active, note, data);
    const ticket = await ticketFor(desk, key, data.ticket?.id);
    if (ticket) {
      note.ticket = { id: ticket.id }; // the bot stays silent: the ticket's agent answers
      ctx.reply(systemMessage(ctx.locale, ticket.status === 'resolved' ? 'ticketReopened' : 'ticketOpen', { ticket: ticket.id }));
      return;
    }
    if (data.csat) {
      const pending = data.csat;
      data.csat = undefined;
      const score = parseCsat(ctx.message.text, ctx.message.payload);
      if (score !== undefined && pending.handoffId) {
        note.csat = { handoffId: pending.handoffId, score };
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

  /** A customer with a person (or waiting for one): cancel, leave a ticket instead, or a message the agent gets. */
  async function whileActive(desk: Desk, ctx: TurnContext, active: HandoffRecord, note: HandoffTurnNote, data: HandoffSessionData): Promise<void> {
    const m = ctx.message;
    if (active.state === 'queued' && isCancel(m.text, m.payload, ctx.classification.intent)) {
      note.cancel = true;
      ctx.reply(systemMessage(ctx.locale, 'cancelled'));
      return;
    }
    if (active.state === 'queued' && wantsTicket(m.text, m.payload)) {
      const ticketId = await leaveTicket(desk, active.key);
      if (ticketId) {
        data.ticket = { id: ticketId };
        ctx.reply(systemMessage(ctx.locale, 'ticketLeft', { ticket: ticketId }));
        return;
      }
    }
    note.forward = true; // the bot stays silent: the agent answers
    if (active.state === 'queued') ctx.reply(systemMessage(ctx.locale, 'waiting', { position: desk.hot.position(active.id) ?? active.queuePosition ?? 1 }));
  }

  /** The last turns before the escalation, for the agent (from the conversation's messages, plus this turn), and the intents in them. */
  async function lastTurns(desk: Desk, ctx: TurnContext): Promise<{ turns: TranscriptEntry[]; intents: Array<string | undefined> }> {
    const m = ctx.message;
    const before = await desk.data.messages.before(conversationKey(m), undefined, LAST_TURNS, 'customer');
    const turns: TranscriptEntry[] = [
      ...before.map((h) => ({ from: h.from, text: h.text, at: h.at })),
      { from: 'customer', text: customerText(m), at: ctx.now, ...(m.attachments.length ? { attachments: m.attachments } : {}) },
      ...ctx.replies.map((r) => ({ from: r.from ?? 'bot', text: r.text, at: ctx.now })),
    ];
    return { turns, intents: [...before.filter((h) => h.from === 'customer').map((h) => h.intent), ctx.classification.intent] };
  }

  /** Over the limits on asking for a person: the customer hears when to try again, and stays with the bot (true). */
  async function refusedByLimit(desk: Desk, ctx: TurnContext): Promise<boolean> {
    if (!opts.escalationLimit || desk.hot.isActive(conversationKey(ctx.message))) return false; // a retried turn is not a new request
    const waitMs = await opts.escalationLimit(ctx.ref);
    if (waitMs <= 0) return false;
    ctx.reply(systemMessage(ctx.locale, 'limited', { minutes: minutes(waitMs) }));
    return true;
  }

  async function onHandoff(ctx: TurnContext, request: HandoffRequest): Promise<void> {
    const desk = getDesk();
    const s = ctx.session;
    const data = sessionData(s);
    const m = ctx.message;
    if (await refusedByLimit(desk, ctx)) return;
    const { turns, intents } = await lastTurns(desk, ctx);
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
        intent: topicIntent(intents),
        ...(sentiment ? { sentiment: { score: sentiment.score, label: sentiment.label } } : {}),
        angry: angry(ctx),
        customer: customerSummary(m, ctx.locale),
        lastTurns: turns,
      },
      opts,
    );
    tidyTurnReplies(ctx, outcome.kind === 'ticket' || (outcome.kind === 'queued' && outcome.why !== 'offered'));
    const introduce = request.reason !== 'requested' && request.reason !== 'dialog';
    ctx.reply(escalationReply(outcome, ctx.locale, { introduce, angry: angry(ctx) || request.reason === 'sentiment' }));
    if (outcome.kind === 'ticket') data.ticket = { id: outcome.ticketId };
    data.escalations += 1;
    const note = ctx.vars.handoff;
    if (note) note.firstEscalation = data.escalations === 1;
    // The human (or the ticket) takes it from here: the bot forgets its half-finished questions.
    s.fallbacks = 0;
    s.dialog = undefined;
    s.stack = [];
  }

  async function onTurnEnd(ctx: TurnContext, result: TurnResult): Promise<void> {
    const desk = getDesk();
    const note = ctx.vars.handoff;
    if (!note) return;
    desk.engine().counters.add('handoff', {
      turns: 1,
      conversations: ctx.session.turns === 1 ? 1 : 0,
      botTurns: note.forward ? 0 : 1,
      escalatedConversations: note.firstEscalation ? 1 : 0,
    });
    const key = conversationKey(ctx.message);
    const m = ctx.message;
    if (note.forward) {
      const r = desk.hot.isActive(key) ? (await desk.data.handoffs.active(key))?.value : undefined;
      const seq = result.messages?.find((x) => x.from === 'customer')?.seq;
      if (r) desk.emit({ type: 'handoff.customer_message', key, record: r, at: ctx.now, text: m.text, attachments: m.attachments, ...(seq === undefined ? {} : { seq }) });
    }
    if (note.ticket) await addCustomerMessage(desk, note.ticket.id, { text: customerText(m), attachments: m.attachments, at: ctx.now });
    if (note.cancel) await cancel(desk, key, ctx.now);
    if (note.csat) await rate(desk, key, note.csat, ctx.now);
  }

  return {
    name: 'handoff',
    async register(engine) {
      await hooks.attach(engine);
      engine.use(middleware);
      engine.addHook('onHandoff', onHandoff);
      engine.addHook('onTurnEnd', onTurnEnd);
      engine.addHook('onClose', () => hooks.close());
    },
  };
}

/**
 * The handoff's message is the turn's last word: earlier replies lose their buttons (no "Talk to a
 * person" beside "Anna is now with you"), and when nobody is free a "talk to a human" dialog's
 * promise to connect the customer is dropped (the handoff says what really happens).
 */
function tidyTurnReplies(ctx: TurnContext, nobodyFree: boolean): void {
  const requested = ctx.handoffRequest?.reason === 'requested';
  for (let i = ctx.replies.length - 1; i >= 0; i--) {
    const r = ctx.replies[i] as (typeof ctx.replies)[number];
    if (nobodyFree && requested && (r.from ?? 'bot') === 'bot') ctx.replies.splice(i, 1);
    else if (r.quickReplies) {
      const { quickReplies: _dropped, ...rest } = r;
      ctx.replies[i] = rest;
    }
  }
}

/** A waiting customer leaves a ticket instead: the record becomes a ticket (unless an agent took it meanwhile). */
async function leaveTicket(desk: Desk, key: string): Promise<string | undefined> {
  return desk.locked(async () => {
    const v = await desk.data.handoffs.active(key);
    if (v?.value.state !== 'queued') return undefined;
    if (v.value.offer) await desk.withdrawOffer(v, 'agent-left', false);
    const ticket = await desk.ticketize(v, 'no-agent');
    await desk.dispatch(key);
    return ticket.id;
  });
}

async function cancel(desk: Desk, key: string, at: number): Promise<void> {
  await desk.locked(async () => {
    const v = await desk.data.handoffs.active(key);
    if (v?.value.state !== 'queued') return;
    Object.assign(v.value, { state: 'cancelled', updatedAt: at });
    v.value.queuePosition = undefined;
    await desk.save(v);
    desk.emit({ type: 'handoff.cancelled', key, record: v.value, at, by: 'customer' });
    await desk.dispatch(key);
  });
}

async function rate(desk: Desk, key: string, csat: { handoffId: string; score: number }, at: number): Promise<void> {
  await desk.locked(async () => {
    const v = await desk.data.handoffs.get(csat.handoffId);
    if (!v) return;
    v.value.csat = csat.score;
    await desk.save(v);
    desk.emit({ type: 'handoff.csat', key, record: v.value, at, score: csat.score });
  });
}
