/**
 * Limits on asking for a person, so one client cannot fill the agents' queue: per conversation (on
 * every channel) and per client address (the web chat, whose customers no platform vouches for).
 * The web route tells the limits which address a conversation's request in progress came from; the
 * handoff asks them before it opens a handoff (`HandoffOptions.escalationLimit`).
 */
import type { ConversationRef } from '../core';
import type { RateLimiter } from './rate-limit';

const HOUR_MS = 60 * 60_000;

export interface EscalationLimits {
  /** Runs a web request's turn with its client address known to the limits. */
  during<T>(conversationId: string, ip: string, turn: () => Promise<T>): Promise<T>;
  /** 0: this escalation may go ahead (and is counted); else how long (ms) until one would. */
  admit(ref: ConversationRef): Promise<number>;
}

export interface EscalationLimitOptions {
  perIpPerHour: number;
  perConversationPerHour: number;
  /** Makes a limiter (the cluster's: shared by every instance in multi-instance mode). */
  limiter: (name: string, perWindow: number, windowMs: number) => RateLimiter;
}

export function createEscalationLimits(opts: EscalationLimitOptions): EscalationLimits {
  const byIp = opts.limiter('escalation-ip', opts.perIpPerHour, HOUR_MS);
  const byConversation = opts.limiter('escalation-conversation', opts.perConversationPerHour, HOUR_MS);
  const addressOf = new Map<string, string>(); // web conversation id → its request in progress's address
  return {
    async during(conversationId, ip, turn) {
      addressOf.set(conversationId, ip);
      try {
        return await turn();
      } finally {
        if (addressOf.get(conversationId) === ip) addressOf.delete(conversationId);
      }
    },
    async admit(ref) {
      const waitMs = await byConversation.take(`${ref.channel}:${ref.conversationId}`);
      if (waitMs > 0) return waitMs;
      const ip = ref.channel === 'web' ? addressOf.get(ref.conversationId) : undefined;
      return ip === undefined ? 0 : byIp.take(ip);
    },
  };
}
