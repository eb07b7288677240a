/**
 * The customer profile panel's past conversations: GET /console/api/conversations/:key/history
 * (the same conversation's earlier escalations and tickets, or the same verified customer's),
 * a page at a time. A past item opens that conversation or ticket. For admins (the answer then
 * names `eraseCustomer`), a button erases every conversation of the customer after a confirm:
 * POST /console/api/customers/:customer/erase (docs/privacy.md).
 */
import type { PastConversation } from '../../plugins/handoff/types';
import { call, conversationPath } from './api';
import { type DeskKey, dt, dtOr } from './desk-i18n';
import { topicLabel, when } from './names';
import { el } from './render';

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
  const res = await call<{ items: PastConversation[]; next?: string; eraseCustomer?: string }>('GET', `${conversationPath(current.key, 'history')}${query}`);
  if (!res.ok || !panel.isConnected) return;
  let list = panel.querySelector<HTMLUListElement>('#past');
  if (!list || !after) {
    panel.querySelector('#past-section')?.remove();
    list = el('ul', { id: 'past', class: 'past-list', role: 'list' });
    const section = el('section', { id: 'past-section', 'data-for': current.id, 'aria-labelledby': 'past-title' }, el('h4', { id: 'past-title' }, dt('pastConversations')), list);
    if (res.value.eraseCustomer) section.append(eraseCustomerButton(res.value.eraseCustomer));
    panel.append(section);
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

/** The admins' button that erases every conversation of `customer` (`<channel>:<userId>`), after a confirm; the outcome is announced beside it. */
function eraseCustomerButton(customer: string): HTMLElement {
  const status = el('p', { id: 'erase-customer-status', role: 'status' });
  const button = el('button', { id: 'erase-customer', type: 'button' }, dt('eraseCustomer'));
  button.addEventListener('click', async () => {
    if (!window.confirm(dt('eraseCustomerConfirm', { customer }))) return;
    button.disabled = true;
    const res = await call<{ erased: { conversations: number } }>('POST', `/console/api/customers/${encodeURIComponent(customer)}/erase`);
    button.disabled = false;
    status.textContent = res.ok ? dt('erasedCustomer', { conversations: String(res.value.erased.conversations) }) : res.error.message;
  });
  return el('div', { class: 'erase-customer' }, button, status);
}
