/** Records for the data suites, with defaults a test overrides. */
import type { HandoffRecord, InboxEntry, MessageInput, Ticket } from '../../core/data';
import { newSession, type SessionState } from '../../core/session';

export const REF = { channel: 'web', conversationId: 'c1', userId: 'u1' };

export function session(data: Record<string, unknown> = {}, at = 1_700_000_000_000): SessionState {
  return { ...newSession(REF, at), data };
}

export function handoff(over: Partial<HandoffRecord> & { id: string }): HandoffRecord {
  const key = over.key ?? `web:${over.id}`;
  return {
    key,
    ref: { channel: 'web', conversationId: key.split(':')[1] ?? 'c', userId: 'u' },
    state: 'queued',
    reason: 'requested',
    priority: 0,
    locale: 'en',
    intent: 'order.status',
    skill: 'orders',
    customer: { userId: 'u', name: '王芳' },
    requestedAt: 1000,
    transcript: [{ from: 'customer', text: '我要退款 😡', at: 1000 }],
    links: {},
    transfers: [],
    updatedAt: 1000,
    ...over,
  };
}

export function ticket(over: Partial<Ticket> & { id: string }): Ticket {
  return {
    key: `web:${over.id}`,
    ref: { channel: 'web', conversationId: over.id, userId: 'u' },
    status: 'open',
    priority: 0,
    locale: 'zh',
    intent: 'refund.request',
    customer: { userId: 'u' },
    cause: 'no-agent',
    transcript: [{ from: 'customer', text: '我要退款', at: 1 }],
    history: [{ at: 1, action: 'created', detail: 'no-agent' }],
    createdAt: 1000,
    updatedAt: 1000,
    ...over,
  };
}

export function inboxEntry(over: Partial<InboxEntry> & { id: string }): InboxEntry {
  return { text: '能开发票吗', locale: 'zh', candidates: [{ intent: 'faq.payment', score: 0.31 }], count: 1, firstAt: 1, lastAt: 1, channel: 'web', status: 'open', ...over };
}

let n = 0;
export function message(over: Partial<MessageInput> = {}): MessageInput {
  n += 1;
  return { id: `m${n}-${Math.random().toString(36).slice(2, 8)}`, from: 'bot', text: `reply ${n}`, at: 1000 + n, locale: 'en', ...over };
}

/** Collects every page of a paged list. */
export async function allPages<T>(fetch: (after?: string) => Promise<{ items: T[]; next?: string }>): Promise<T[]> {
  const out: T[] = [];
  let after: string | undefined;
  do {
    const page = await fetch(after);
    out.push(...page.items);
    after = page.next;
  } while (after);
  return out;
}
