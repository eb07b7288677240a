/**
 * What the desk remembers between refreshes: unread customer messages and new escalations per
 * conversation (the badges and the title count), the last message of each listed conversation
 * (fetched once per record change from GET /console/api/previews, then kept current by live
 * events), and the alerts the live events raise.
 */
import type { HandoffRecord } from '../../plugins/handoff/types';
import { alertAgent, setTitleCount } from './alerts';
import { call } from './api';
import { dt } from './desk-i18n';
import { customerName, topicLabel } from './names';
import type { Preview } from './render';

export const unread = new Map<string, number>();
export const previews = new Map<string, Preview>();
/** The record version (updatedAt) each preview was fetched for. */
const fetchedFor = new Map<string, number>();

function bump(key: string): void {
  unread.set(key, (unread.get(key) ?? 0) + 1);
  setTitleCount([...unread.values()].reduce((a, b) => a + b, 0));
}

export function markRead(key: string | undefined): void {
  if (!key || !unread.has(key)) return;
  unread.delete(key);
  setTitleCount([...unread.values()].reduce((a, b) => a + b, 0));
}

/** A console socket event as the desk reads it (a whole HandoffEvent, or only type, key and time for others' conversations). */
export interface LiveEvent {
  type: string;
  key?: string;
  at?: number;
  record?: HandoffRecord;
  agentId?: string;
  text?: string;
}

/** Reacts to one live event: unread counts, previews, alerts. `open`: the conversation on screen (read as it arrives while the page is visible). */
export function onEvent(event: LiveEvent, me: string, open: string | undefined): void {
  const key = event.key ?? '';
  const seen = key === open && document.visibilityState === 'visible';
  const record = event.record;
  if (!record) return; // an outline of someone else's event: nothing to show
  const who = customerName(record.customer, record.ref);
  if (event.type === 'handoff.initiated' && record.state === 'queued') {
    if (!seen) bump(key);
    alertAgent(dt('newEscalation', { who, topic: topicLabel(record.intent) }), key);
  }
  if (event.type === 'handoff.offered' && event.agentId === me) alertAgent(dt('offerTitle'), `offer-${key}`);
  if ((event.type === 'handoff.customer_message' || event.type === 'handoff.agent_message') && event.text !== undefined) {
    previews.set(key, { from: event.type === 'handoff.customer_message' ? 'customer' : 'agent', text: event.text, at: event.at ?? Date.now() });
    fetchedFor.set(key, record.updatedAt);
  }
  if (event.type === 'handoff.customer_message' && record.agentId === me && !seen) {
    bump(key);
    alertAgent(dt('newMessage', { who }), key);
  }
}

/** Fetches the previews of listed conversations that changed since their last fetch (one request). */
export async function refreshPreviews(records: readonly HandoffRecord[]): Promise<boolean> {
  const stale = records.filter((r) => fetchedFor.get(r.key) !== r.updatedAt).slice(0, 100);
  if (!stale.length) return false;
  const res = await call<{ previews: Record<string, Preview> }>('GET', `/console/api/previews?keys=${stale.map((r) => encodeURIComponent(r.key)).join(',')}`);
  if (!res.ok) return false;
  for (const r of stale) {
    fetchedFor.set(r.key, r.updatedAt);
    const p = res.value.previews[r.key];
    if (p) previews.set(r.key, p);
  }
  return true;
}
