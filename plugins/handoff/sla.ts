/**
 * The one definition of the first-response SLA, for the live check (`checkSla`, which alerts
 * supervisors) and for quality inspection (server/qa), so both measure the same wait: the agent
 * tier's clock starts when the customer asked for a person (the request: queue time counts, it is
 * the customer's wait), the expert tier's when an agent escalated to the experts.
 */
import type { AgentLevel } from './types';

/** The times a tier's clock can start from; `escalatedAt` is set once an agent escalated to the experts. */
export interface SlaTimes {
  requestedAt: number;
  escalatedAt?: number | undefined;
}

/** When `level`'s first-response clock started, or undefined for the expert tier of a conversation never escalated. */
export function slaClockStart(level: 'agent', t: SlaTimes): number;
export function slaClockStart(level: AgentLevel, t: SlaTimes): number | undefined;
export function slaClockStart(level: AgentLevel, t: SlaTimes): number | undefined {
  return level === 'agent' ? t.requestedAt : t.escalatedAt;
}
