/**
 * Routing policy, pure and deterministic: which agent takes a conversation, in which order the
 * queue is served, and how long the customer will wait. Tested table-driven in test/handoff/routing.test.ts.
 */
import type { Locale } from '../../core/model';
import type { AgentLevel, AgentView, HandoffRecord } from './types';

/** Intent → skill. A key ending in `.*` matches every intent with that prefix. */
export const INTENT_SKILLS: Readonly<Record<string, string>> = {
  'order.status': 'orders',
  'refund.request': 'refunds',
  'faq.*': 'general',
};
export const DEFAULT_SKILL = 'general';

/** Intents that say nothing about the topic, skipped when looking for what the customer needs. */
const NON_TOPIC = new Set(['None', 'agent.request', 'greeting', 'goodbye', 'thanks', 'cancel']);

export function skillForIntent(intent: string, map: Readonly<Record<string, string>> = INTENT_SKILLS): string {
  const exact = map[intent];
  if (exact) return exact;
  const wildcard = Object.keys(map)
    .filter((k) => k.endsWith('.*') && intent.startsWith(k.slice(0, -1)))
    .sort((a, b) => b.length - a.length)[0];
  return wildcard ? (map[wildcard] as string) : DEFAULT_SKILL;
}

/** The customer's topic: the newest meaningful intent among the given ones (newest last). */
export function topicIntent(intents: readonly (string | undefined)[]): string {
  for (let i = intents.length - 1; i >= 0; i--) {
    const it = intents[i];
    if (it && !NON_TOPIC.has(it)) return it;
  }
  return 'None';
}

export interface RouteRequest {
  locale: Locale;
  skill: string;
  tier?: string;
  /** 'expert': an agent escalated it, only experts may take it. Default 'agent'. */
  level?: AgentLevel;
}

/**
 * The best available agent, or undefined (the conversation waits). Only online agents under
 * capacity who speak the customer's language are eligible (never a Chinese-speaking customer to an
 * English-only agent: better to wait, or leave a ticket, than to get one who cannot read them);
 * then skill match, tier fit (VIP agents for VIP customers, other agents for the rest), lowest
 * load ratio, lowest load, and the id as a stable tie-break. `exclude` (the agent who just
 * transferred the conversation away, those who declined it) are skipped. An expert-level request
 * goes to experts only; an agent-level one prefers agents over experts after skill and tier fit.
 */
export function pickAgent(req: RouteRequest, agents: readonly AgentView[], exclude?: string | readonly string[]): AgentView | undefined {
  const skip = new Set(typeof exclude === 'string' ? [exclude] : (exclude ?? []));
  const expertOnly = req.level === 'expert';
  const eligible = agents.filter((a) => a.status === 'online' && a.load < a.capacity && speaks(a, req.locale) && !skip.has(a.id) && (!expertOnly || a.level === 'expert'));
  const levelFit = (a: AgentView) => ((a.level ?? 'agent') === (req.level ?? 'agent') ? 0 : 1);
  const key = (a: AgentView): number[] => [a.skills.includes(req.skill) ? 0 : 1, tierFit(req.tier, a.tiers) ? 0 : 1, levelFit(a), a.load / a.capacity, a.load];
  return [...eligible].sort((a, b) => compareKeys(key(a), key(b)) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))[0];
}

export function speaks(agent: Pick<AgentView, 'languages'>, locale: Locale): boolean {
  return agent.languages.includes(locale);
}

/** True when some agent who speaks `locale` is online or away (at their desk, maybe busy). */
export function speakerPresent(locale: Locale, agents: readonly AgentView[]): boolean {
  return agents.some((a) => a.status !== 'offline' && speaks(a, locale));
}

function tierFit(tier: string | undefined, agentTiers: readonly string[] | undefined): boolean {
  if (tier) return agentTiers?.includes(tier) ?? false;
  return !agentTiers?.length;
}

function compareKeys(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d;
  }
  return 0;
}

/** Queue order: higher priority first, then first come first served, then id. */
export function compareQueue(a: Pick<HandoffRecord, 'priority' | 'requestedAt' | 'id'>, b: Pick<HandoffRecord, 'priority' | 'requestedAt' | 'id'>): number {
  return b.priority - a.priority || a.requestedAt - b.requestedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** 0 normal; +1 angry; +2 for a priority tier (VIP). */
export function priorityFor(opts: { angry: boolean; tier?: string; priorityTiers: readonly string[] }): number {
  return (opts.angry ? 1 : 0) + (opts.tier && opts.priorityTiers.includes(opts.tier) ? 2 : 0);
}

/** Handle time assumed before any conversation was resolved. */
export const DEFAULT_HANDLE_MS = 5 * 60_000;

/**
 * Estimated wait for queue position `position` (1-based): the first `freeSlots` waiting customers
 * are taken at once (an offer away); the others share the present agents' total capacity, a slot
 * freeing after the recent average handle time.
 */
export function estimateWaitMs(position: number, capacity: number, avgHandleMs: number, freeSlots = 0): number {
  const ahead = position - Math.max(0, freeSlots);
  if (ahead <= 0) return 0;
  return Math.ceil(ahead / Math.max(1, capacity)) * avgHandleMs;
}
