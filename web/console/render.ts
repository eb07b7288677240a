/** DOM helpers and the side lists. Text always goes in through textContent, never as HTML. */
import type { HandoffRecord, Ticket } from '../../plugins/handoff/types';
import type { ConsoleState } from './api';
import { type DeskKey, dt } from './desk-i18n';
import { customerName, topicLabel, when } from './names';

type Child = Node | string | undefined | false;

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const c of children) if (c) node.append(c);
  return node;
}

export function badge(priority: number): Child {
  return priority > 0 ? el('span', { class: `badge badge--p${Math.min(priority, 3)}`, title: dt('priority', { n: priority }) }, `P${priority}`) : undefined;
}

/** The last message of a conversation, as the side lists show it. */
export interface Preview {
  from: string;
  text: string;
  at: number;
}

/** What the lists need besides the state: the open item, previews and unread counts per conversation key. */
export interface ListContext {
  me: string;
  selected: string | undefined;
  previews: ReadonlyMap<string, Preview>;
  unread: ReadonlyMap<string, number>;
}

function unreadBadge(n: number | undefined): Child {
  return n ? el('span', { class: 'unread', 'aria-label': dt('unread', { n }) }, String(n)) : undefined;
}

function previewLine(p: Preview | undefined, fallback: HandoffRecord['transcript'][number] | undefined): Child {
  const last = p ?? fallback;
  if (!last) return undefined;
  const from = dt(`from_${last.from}` as DeskKey);
  return el('span', { class: 'item__preview' }, `${from}: ${last.text}`);
}

export function conversationItem(r: HandoffRecord, extra: string, ctx: ListContext): HTMLLIElement {
  const selected = r.key === ctx.selected;
  const button = el(
    'button',
    { type: 'button', 'data-key': r.key, class: selected ? 'item item--selected' : 'item', ...(selected ? { 'aria-current': 'true' } : {}) },
    badge(r.priority),
    el('span', { class: 'item__who' }, customerName(r.customer, r.ref)),
    unreadBadge(ctx.unread.get(r.key)),
    el('span', { class: 'item__meta' }, `${topicLabel(r.intent)} · ${r.ref.channel} · ${r.locale} · ${extra}`),
    previewLine(ctx.previews.get(r.key), r.transcript.at(-1)),
    el('time', { class: 'item__time', datetime: new Date(r.updatedAt).toISOString() }, when(r.updatedAt)),
  );
  return el('li', {}, button);
}

export function ticketItem(t: Ticket, ctx: ListContext): HTMLLIElement {
  const selected = t.id === ctx.selected;
  const button = el(
    'button',
    { type: 'button', 'data-ticket': t.id, class: selected ? 'item item--selected' : 'item', ...(selected ? { 'aria-current': 'true' } : {}) },
    badge(t.priority),
    el('span', { class: 'item__who' }, `${t.id} ${customerName(t.customer, t.ref)}`),
    el('span', { class: 'item__meta' }, `${dt(`ticket_${t.status}` as DeskKey)} · ${topicLabel(t.intent)} · ${t.locale}`),
    previewLine(undefined, t.transcript.at(-1)),
    el('time', { class: 'item__time', datetime: new Date(t.updatedAt).toISOString() }, when(t.updatedAt)),
  );
  return el('li', {}, button);
}

/** A list's items, or one "None" line (a list is never left empty without a word). */
export function orNone(items: HTMLLIElement[]): HTMLLIElement[] {
  return items.length ? items : [el('li', { class: 'list__none' }, dt('listEmpty'))];
}

export function lists(state: ConsoleState, resolved: readonly HandoffRecord[], ctx: ListContext) {
  const queue = state.queue.map((q) => conversationItem(q.record, dt('queuePos', { n: q.position, min: Math.max(1, Math.round(q.estimatedWaitMs / 60000)) }), ctx));
  const assigned = state.assigned;
  const mine = assigned.filter((r) => r.agentId === ctx.me).map((r) => conversationItem(r, dt('withYou'), ctx));
  const others = assigned.filter((r) => r.agentId !== ctx.me).map((r) => conversationItem(r, dt('withAgent', { agent: r.agentId ?? '' }), ctx));
  const tickets = state.tickets.filter((t) => t.status !== 'closed').map((t) => ticketItem(t, ctx));
  const done = resolved.map((r) => conversationItem(r, dt('state_resolved'), ctx));
  return { queue: orNone(queue), mine: orNone(mine), others: orNone(others), tickets: orNone(tickets), resolved: orNone(done) };
}
