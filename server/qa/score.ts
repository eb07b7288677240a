/**
 * The QA scorer (docs/quality.md): pure functions from a resolved handoff's messages to flags,
 * metrics and a 0-100 score. Times are checked against the SLA, sentiment is compared before and
 * after the agent's first reply, and the agents' messages are checked for forbidden phrases, a
 * greeting and a closing.
 * @example
 * const s = scoreConversation({ locale: 'en', requestedAt: 0, assignedAt: 5_000, resolvedAt: 90_000, messages }, compileQaRules(), { agentFirstResponseMs: 60_000, expertFirstResponseMs: 300_000, replyMs: 120_000 });
 * s.flags.map((f) => f.code); // e.g. ['no_closing']
 */
import { slaClockStart } from '../../plugins/handoff';
import { findPhrases, isAcknowledgement } from './phrases';
import type { QaRules } from './rules';
import { QA_FLAGS, type QaFlag, type QaInput, type QaMessage, type QaMetrics, type QaScore, type QaSla } from './types';

/** A mean sentiment at or under this is negative (the sentiment scorer's label threshold). */
const NEGATIVE = -0.25;
/** How many of the customer's messages make "before" and "after". */
const SENTIMENT_BEFORE = 3;
const SENTIMENT_AFTER = 2;

const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;

interface Timing {
  firstResponseMs?: number;
  expertFirstResponseMs?: number;
  queuedMs?: number;
  maxReplyMs?: number;
  slowReplies: number;
  unanswered: number;
}

/** Messages from the escalation to the resolve. */
export function liveMessages(input: QaInput): QaMessage[] {
  return input.messages.filter((m) => m.at >= input.requestedAt && m.at <= input.resolvedAt);
}

/** Each tier's first response, measured from where that tier's SLA clock starts (plugins/handoff/sla.ts). */
function firstResponses(input: QaInput, live: readonly QaMessage[]): Pick<Timing, 'firstResponseMs' | 'expertFirstResponseMs' | 'queuedMs'> {
  const agentStart = slaClockStart('agent', input);
  const expertStart = slaClockStart('expert', input);
  const agentReply = live.find((m) => m.from === 'agent' && (expertStart === undefined || m.at < expertStart));
  const expertReply = expertStart === undefined ? undefined : live.find((m) => m.from === 'agent' && m.at >= expertStart);
  return {
    ...(agentReply ? { firstResponseMs: agentReply.at - agentStart } : {}),
    ...(expertReply && expertStart !== undefined ? { expertFirstResponseMs: expertReply.at - expertStart } : {}),
    ...(input.assignedAt !== undefined ? { queuedMs: Math.max(0, input.assignedAt - input.requestedAt) } : {}),
  };
}

/** First responses, reply waits after the first agent message, and customer messages no agent message followed. */
export function measureTiming(input: QaInput, rules: QaRules, sla: QaSla): Timing {
  const live = liveMessages(input);
  const needsAnswer = (m: QaMessage) => m.from === 'customer' && !isAcknowledgement(rules.acknowledgements, m.text);
  const first = live.find((m) => m.from === 'agent');
  if (!first) return { slowReplies: 0, unanswered: Math.max(1, live.filter(needsAnswer).length) };
  const t: Timing = { ...firstResponses(input, live), slowReplies: 0, unanswered: 0 };
  let waitingSince: number | undefined;
  let waiting = 0;
  for (const m of live.slice(live.indexOf(first) + 1)) {
    if (needsAnswer(m)) {
      waitingSince ??= m.at;
      waiting += 1;
    } else if (m.from === 'agent' && waitingSince !== undefined) {
      const wait = m.at - waitingSince;
      t.maxReplyMs = Math.max(t.maxReplyMs ?? 0, wait);
      if (wait > sla.replyMs) t.slowReplies += 1;
      waitingSince = undefined;
      waiting = 0;
    }
  }
  t.unanswered = waiting;
  return t;
}

function mean(values: number[]): number | undefined {
  if (values.length === 0) return undefined;
  return Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 1000) / 1000;
}

/** The customer's mean sentiment over their last messages before the first agent reply, and over their last ones after it. */
export function sentimentShift(input: QaInput): { before?: number; after?: number } {
  const upTo = input.messages.filter((m) => m.at <= input.resolvedAt);
  const firstAgent = upTo.findIndex((m) => m.from === 'agent');
  const scores = (ms: QaMessage[]) => ms.filter((m) => m.from === 'customer' && m.sentiment !== undefined).map((m) => m.sentiment as number);
  if (firstAgent < 0) return { before: mean(scores(upTo).slice(-SENTIMENT_BEFORE)) };
  const before = mean(scores(upTo.slice(0, firstAgent)).slice(-SENTIMENT_BEFORE));
  const after = mean(scores(upTo.slice(firstAgent + 1)).slice(-SENTIMENT_AFTER));
  return { ...(before === undefined ? {} : { before }), ...(after === undefined ? {} : { after }) };
}

/** Forbidden phrases in the agents' messages, greeting in the first, closing in one of the last two. */
export function checkWording(input: QaInput, rules: QaRules): QaFlag[] {
  const agent = liveMessages(input).filter((m) => m.from === 'agent');
  if (agent.length === 0) return [];
  const flags: QaFlag[] = [];
  const forbidden = [...new Set(agent.flatMap((m) => findPhrases(rules.forbidden, input.locale, m.text, { skipNegated: true })))];
  if (forbidden.length > 0) flags.push({ code: 'forbidden_phrase', detail: forbidden.join(' | ') });
  if (findPhrases(rules.greetings, input.locale, agent[0]?.text ?? '').length === 0) flags.push({ code: 'no_greeting', detail: 'first agent message' });
  if (!agent.slice(-2).some((m) => findPhrases(rules.closings, input.locale, m.text).length > 0)) flags.push({ code: 'no_closing', detail: 'last agent messages' });
  return flags;
}

/** A tier's first response over its target (0 = none), as `checkSla` would have alerted: "agent tier: 85 s > 60 s (70 s queued)". */
function slowFirstResponses(input: QaInput, t: Timing, sla: QaSla): string[] {
  const slow: string[] = [];
  // An agent who escalated without a reply: the agent tier waited until the escalation.
  const agentWait = t.firstResponseMs ?? (input.escalatedAt !== undefined ? input.escalatedAt - input.requestedAt : undefined);
  if (sla.agentFirstResponseMs > 0 && agentWait !== undefined && agentWait > sla.agentFirstResponseMs) {
    const queued = t.queuedMs ? ` (${seconds(t.queuedMs)} queued)` : '';
    slow.push(`agent tier: ${seconds(agentWait)} > ${seconds(sla.agentFirstResponseMs)}${queued}`);
  }
  if (sla.expertFirstResponseMs > 0 && t.expertFirstResponseMs !== undefined && t.expertFirstResponseMs > sla.expertFirstResponseMs)
    slow.push(`expert tier: ${seconds(t.expertFirstResponseMs)} > ${seconds(sla.expertFirstResponseMs)}`);
  return slow;
}

function timingFlags(input: QaInput, t: Timing, sla: QaSla): QaFlag[] {
  const flags: QaFlag[] = [];
  const slow = slowFirstResponses(input, t, sla);
  if (slow.length > 0) flags.push({ code: 'first_response_slow', detail: slow.join('; ') });
  if (t.slowReplies > 0) flags.push({ code: 'reply_slow', detail: `${t.slowReplies} over ${seconds(sla.replyMs)}, longest ${seconds(t.maxReplyMs ?? 0)}` });
  if (t.unanswered > 0) flags.push({ code: 'unanswered', detail: `${t.unanswered} customer message(s)` });
  return flags;
}

/** Scores one resolved handoff. */
export function scoreConversation(input: QaInput, rules: QaRules, sla: QaSla): QaScore {
  const timing = measureTiming(input, rules, sla);
  const mood = sentimentShift(input);
  const flags = [...timingFlags(input, timing, sla), ...checkWording(input, rules)];
  if (mood.before !== undefined && mood.after !== undefined && mood.after <= NEGATIVE && mood.after <= mood.before - rules.sentimentDrop)
    flags.push({ code: 'sentiment_worse', detail: `${mood.before} → ${mood.after}` });
  flags.sort((a, b) => QA_FLAGS.indexOf(a.code) - QA_FLAGS.indexOf(b.code));
  const live = liveMessages(input);
  const metrics: QaMetrics = {
    ...timing,
    agentMessages: live.filter((m) => m.from === 'agent').length,
    customerMessages: live.filter((m) => m.from === 'customer').length,
    ...(mood.before === undefined ? {} : { sentimentBefore: mood.before }),
    ...(mood.after === undefined ? {} : { sentimentAfter: mood.after }),
  };
  const penalty = flags.reduce((sum, f) => sum + rules.weights[f.code], 0);
  return { score: Math.max(0, 100 - penalty), flags, metrics };
}
