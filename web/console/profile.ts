/**
 * The customer profile panel's past conversations: GET /console/api/conversations/:key/history
 * (the same conversation's earlier escalations and tickets, or the same verified customer's),
 * a page at a time. A past item opens that conversation or ticket.
 */
import { call, conversationPath } from './api';
import { type DeskKey, dt, dtOr } from './desk-i18n';
import { topicLabel, when } from './names';
import { el } from './render';

interface PastConversation {
  kind: 'conversation' | 'ticket';
  key: string;
  id: string;
  state: string;
  intent: string;
  at: number;
  agentId?: string;
  csat?: number;
  ticketId?: string;
}

function pastItem(p: PastConversation, current: { key: string; id: string }): HTMLLIElement {
  const state = p.kind === 'ticket' ? dt(`ticket_${p.state}` as DeskKey) : dtOr(`state_${p.state}`, p.state, { agent: p.agentId ?? '' });
  const parts = [when(p.at), p.kind === 'ticket' ? p.id : undefined, topicLabel(p.intent), state, p.agentId && p.state !== 'assigned' ? p.agentId : undefined];
  if (p.csat !== undefined) parts.push(`${dt('csat')} ${p.csat}/5`);
  const text = parts.filter(Boolean).join(' · ');
  if (p.kind === 'conversation' && p.id === current.id) return el('li', { class: 'past past--current' }, `${text} (${dt('thisOne')})`);
  const attrs: Record<string, string> = p.kind === 'ticket' ? { 'data-ticket': p.id } : { 'data-key': p.key };
  return el('li', { class: 'past' }, el('button', { type: 'button', class: 'past__open', ...attrs }, text));
}

/** Fills the panel's past conversations for the open conversation (record `id` of `key`). */
export async function showPast(panel: HTMLElement, current: { key: string; id: string }, after?: string): Promise<void> {
  const query = after ? `?after=${encodeURIComponent(after)}` : '';
  const res = await call<{ items: PastConversation[]; next?: string }>('GET', `${conversationPath(current.key, 'history')}${query}`);
  if (!res.ok || !panel.isConnected) return;
  let list = panel.querySelector<HTMLUListElement>('#past');
  if (!list || !after) {
    panel.querySelector('#past-section')?.remove();
    list = el('ul', { id: 'past', class: 'past-list', role: 'list' });
    panel.append(el('section', { id: 'past-section', 'data-for': current.id, 'aria-labelledby': 'past-title' }, el('h4', { id: 'past-title' }, dt('pastConversations')), list));
  }
  panel.querySelector('#past-more')?.remove();
  for (const p of res.value.items) list.append(pastItem(p, current));
  if (!list.children.length) list.append(el('li', { class: 'list__none' }, dt('noPast')));
  const next = res.value.next;
  if (next) {
    const more = el('button', { id: 'past-more', type: 'button' }, dt('olderPast'));
    more.addEventListener('click', () => void showPast(panel, current, next));
    list.after(more);
  }
}
