/**
 * Routing policy, pure and deterministic: which agent takes a conversation, in which order the
 * queue is served, and how long the customer will wait. Tested table-driven in test/handoff/routing.test.ts.
 */
import type { Locale } from '../model';
import type { AgentView, HandoffRecord } from './types';

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
}

/**
 * The best available agent, or undefined (the conversation waits). Only online agents under
 * capacity are eligible. Language is a requirement while any online agent speaks the customer's
 * language (better to wait for a Chinese-speaking agent than to get one who cannot read the
 * customer); then skill match, tier fit (VIP agents for VIP customers, other agents for the rest),
 * lowest load ratio, lowest load, and the id as a stable tie-break. `exclude` (the agent who just
 * transferred the conversation away) is skipped.
 */
export function pickAgent(req: RouteRequest, agents: readonly AgentView[], exclude?: string): AgentView | undefined {
  const online = agents.filter((a) => a.status === 'online');
  const speaks = (a: AgentView) => a.languages.includes(req.locale);
  const languageRequired = online.some(speaks);
  const eligible = online.filter((a) => a.load < a.capacity && (!languageRequired || speaks(a)) && a.id !== exclude);
  const key = (a: AgentView): number[] => [a.skills.includes(req.skill) ? 0 : 1, tierFit(req.tier, a.tiers) ? 0 : 1, a.load / a.capacity, a.load];
  return [...eligible].sort((a, b) => compareKeys(key(a), key(b)) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))[0];
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
 * Estimated wait for queue position `position` (1-based): the conversations ahead are shared by the
 * online agents' total capacity, each slot freeing after an average handle time.
 */
export function estimateWaitMs(position: number, onlineCapacity: number, avgHandleMs: number): number {
  const rounds = Math.ceil(position / Math.max(1, onlineCapacity));
  return rounds * avgHandleMs;
}
