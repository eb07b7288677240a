/** DOM helpers and the views. Text always goes in through textContent, never as HTML. */
import type { AgentView, HandoffRecord, Ticket, TranscriptEntry } from '../../core/handoff/types';
import type { ConsoleState, ConversationView } from './api';

type Child = Node | string | undefined | false;

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const c of children) if (c) node.append(c);
  return node;
}

const time = (at: number) => new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
const who = (c: HandoffRecord['customer']) => c.name ?? c.userId;

function badge(priority: number): Child {
  return priority > 0 ? el('span', { class: `badge badge--p${Math.min(priority, 3)}`, title: 'priority' }, `P${priority}`) : undefined;
}

export function conversationItem(r: HandoffRecord, extra: string, selected: boolean): HTMLLIElement {
  const button = el(
    'button',
    { type: 'button', 'data-key': r.key, class: selected ? 'item item--selected' : 'item' },
    badge(r.priority),
    el('span', { class: 'item__who' }, who(r.customer)),
    el('span', { class: 'item__meta' }, `${r.ref.channel} · ${r.locale} · ${r.intent} · ${extra}`),
  );
  return el('li', {}, button);
}

export function ticketItem(t: Ticket, selected: boolean): HTMLLIElement {
  const button = el(
    'button',
    { type: 'button', 'data-ticket': t.id, class: selected ? 'item item--selected' : 'item' },
    badge(t.priority),
    el('span', { class: 'item__who' }, `${t.id} ${who(t.customer)}`),
    el('span', { class: 'item__meta' }, `${t.status} · ${t.locale} · ${t.intent}`),
  );
  return el('li', {}, button);
}

export function transcript(entries: readonly TranscriptEntry[]): HTMLOListElement {
  const list = el('ol', { class: 'transcript', 'aria-label': 'Transcript' });
  for (const e of entries) {
    const label = e.from === 'note' ? `note · ${e.agentId ?? ''}` : e.from === 'agent' ? `agent · ${e.agentId ?? ''}` : e.from;
    const files = (e.attachments ?? []).map((a) => el('a', { href: a.url ?? '#', target: '_blank', rel: 'noopener' }, `[${a.kind}${a.name ? `: ${a.name}` : ''}]`));
    list.append(el('li', { class: `line line--${e.from}` }, el('span', { class: 'line__from' }, `${label} ${time(e.at)}`), el('span', { class: 'line__text' }, e.text), ...files));
  }
  return list;
}

function facts(rows: Array<[string, string | undefined]>): HTMLDListElement {
  const dl = el('dl', { class: 'facts' });
  for (const [k, v] of rows) if (v !== undefined) dl.append(el('dt', {}, k), el('dd', {}, v));
  return dl;
}

export function form(id: string, placeholder: string, button: string, multiline = true): HTMLFormElement {
  const input = multiline ? el('textarea', { id: `${id}-text`, placeholder, rows: '3', required: '' }) : el('input', { id: `${id}-text`, placeholder, required: '' });
  return el('form', { id, class: 'compose' }, input, el('button', { id: `${id}-send`, type: 'submit' }, button));
}

/** Who the customer is, as far as the channel vouches: a verified id and email, or an unverified visitor. */
function customerFacts(c: HandoffRecord['customer']): string {
  if (c.visitor) return 'unverified visitor';
  return [c.userId, c.email, c.tier ? `(${c.tier})` : undefined].filter(Boolean).join(' · ');
}

/** `canReassign`: a supervisor or admin, who may move someone else's conversation to another agent or queue. */
export function conversationView(v: ConversationView, me: string, agents: readonly AgentView[], canReassign = false): HTMLElement {
  const r = v.record;
  const mine = r.state === 'assigned' && r.agentId === me;
  const reassign = !mine && canReassign && r.state === 'assigned';
  const open = r.state === 'queued' || r.state === 'assigned';
  const s = r.sentiment;
  const head = el(
    'header',
    { class: 'view__head' },
    el('h2', {}, who(v.profile)),
    el('span', { id: 'conv-state', class: `state state--${r.state}` }, r.state === 'assigned' ? `with ${r.agentId}` : r.state),
  );
  const info = facts([
    ['Customer', customerFacts(v.profile)],
    ['Channel', r.ref.channel],
    ['Language', r.locale],
    ['Topic', `${r.intent} → ${r.skill}`],
    ['Reason', `${r.reason}${r.detail ? ` (${r.detail})` : ''}`],
    ['Sentiment', s ? `${s.label} ${s.score.toFixed(2)}` : undefined],
    ['Waiting since', time(r.requestedAt)],
    ['CSAT', r.csat === undefined ? undefined : `${r.csat}/5`],
  ]);
  const actions = el('div', { class: 'actions' });
  if (open && !mine) actions.append(el('button', { id: 'claim', type: 'button' }, 'Claim'));
  if (mine || reassign) {
    const select = el('select', { id: 'transfer-target', 'aria-label': 'Transfer to' });
    for (const a of agents) if (a.id !== r.agentId) select.append(el('option', { value: `agent:${a.id}` }, `${a.name} (${a.status}, ${a.load}/${a.capacity})`));
    for (const skill of [...new Set(agents.flatMap((a) => a.skills))]) select.append(el('option', { value: `skill:${skill}` }, `queue: ${skill}`));
    if (mine) actions.append(el('button', { id: 'resolve', type: 'button' }, 'Resolve'));
    actions.append(select, el('button', { id: 'transfer', type: 'button' }, mine ? 'Transfer' : 'Reassign'));
  }
  return el(
    'section',
    { class: 'conversation', 'data-key': r.key },
    head,
    info,
    actions,
    transcript(v.transcript),
    mine && form('reply', 'Reply to the customer…', 'Send'),
    open && form('note', 'Internal note (never sent to the customer)', 'Add note', false),
  );
}

export function ticketView(t: Ticket): HTMLElement {
  const status = el('select', { id: 'ticket-status', 'aria-label': 'Status' });
  for (const s of ['open', 'pending', 'resolved', 'closed']) {
    const o = el('option', { value: s }, s);
    if (s === t.status) o.selected = true;
    status.append(o);
  }
  const log = el('ol', { class: 'ticket-history' });
  for (const h of t.history) log.append(el('li', {}, `${time(h.at)} ${h.action}${h.detail ? ` ${h.detail}` : ''}${h.by ? ` · ${h.by}` : ''}`));
  return el(
    'section',
    { class: 'ticket', 'data-ticket': t.id },
    el('header', { class: 'view__head' }, el('h2', {}, `${t.id} · ${who(t.customer)}`), el('span', { id: 'ticket-state', class: `state state--${t.status}` }, t.status)),
    facts([
      ['Channel', t.ref.channel],
      ['Language', t.locale],
      ['Topic', t.intent],
      ['Why', t.cause === 'closed' ? 'outside business hours' : 'no agent available'],
      ['Assignee', t.assigneeId ?? 'nobody'],
    ]),
    el('div', { class: 'actions' }, status, el('button', { id: 'ticket-save', type: 'button' }, 'Save status')),
    transcript(t.transcript),
    form('answer', 'Answer (sent to the customer on their channel)…', 'Send answer'),
    log,
  );
}

export function lists(state: ConsoleState, me: string, selected: string | undefined) {
  const queue = state.queue.map((q) => conversationItem(q.record, `#${q.position} · ~${Math.max(1, Math.round(q.estimatedWaitMs / 60000))} min`, q.record.key === selected));
  const assigned = state.assigned;
  const mine = assigned.filter((r) => r.agentId === me).map((r) => conversationItem(r, 'with you', r.key === selected));
  const others = assigned.filter((r) => r.agentId !== me).map((r) => conversationItem(r, `with ${r.agentId}`, r.key === selected));
  const tickets = state.tickets.filter((t) => t.status !== 'closed').map((t) => ticketItem(t, t.id === selected));
  return { queue, mine, others, tickets };
}
