/**
 * Who agents are told the customer is (console, Slack threads, tickets). A channel that cannot
 * vouch for the customer (the web chat without a verified identity) marks the message
 * `profile.visitor`: agents then see "Visitor #1234" / "访客 #1234", a number derived from the
 * conversation (stable for it, meaningless elsewhere), never a client-supplied name or id.
 */
import type { CustomerSummary } from '../../core/data/records';
import type { Locale, ParsedInbound } from '../../core/model';

const VISITOR: Record<Locale, string> = { en: 'Visitor', zh: '访客' };

/** A stable 4-digit number (1000-9999) for a conversation: FNV-1a of its id. */
export function visitorNumber(conversationId: string): number {
  let h = 2166136261;
  for (const ch of conversationId) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return 1000 + (h % 9000);
}

/** "Visitor #1234" / "访客 #1234". */
export function visitorName(conversationId: string, locale: Locale): string {
  return `${VISITOR[locale]} #${visitorNumber(conversationId)}`;
}

/** The customer as agents see them: the channel's (verified) profile, or a numbered visitor. */
export function customerSummary(m: ParsedInbound, locale: Locale): CustomerSummary {
  const p = m.profile;
  if (p?.visitor) return { userId: m.conversationId, name: visitorName(m.conversationId, locale), visitor: true };
  return { userId: m.userId, ...(p?.name ? { name: p.name } : {}), ...(p?.email ? { email: p.email } : {}), ...(p?.tier ? { tier: p.tier } : {}) };
}
