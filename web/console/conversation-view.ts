/** The conversation and ticket views of the desk. */
import type { AgentView, HandoffRecord, Ticket, TranscriptEntry } from '../../plugins/handoff/types';
import type { ConversationView } from './api';
import { type DeskKey, dt, dtOr } from './desk-i18n';
import { customerName, topicLabel, when } from './names';
import { el } from './render';

export function transcript(entries: readonly TranscriptEntry[]): HTMLOListElement {
  const list = el('ol', { class: 'transcript', role: 'list', 'aria-label': dt('transcript') });
  for (const e of entries) {
    const from = dt(`from_${e.from}` as DeskKey);
    const label = e.agentId && (e.from === 'note' || e.from === 'agent') ? `${from} · ${e.agentId}` : from;
    const files = (e.attachments ?? []).map((a) => el('a', { href: a.url ?? '#', target: '_blank', rel: 'noopener' }, `[${a.kind}${a.name ? `: ${a.name}` : ''}]`));
    list.append(
      el('li', { class: `line line--${e.from}` }, el('span', { class: 'line__from' }, `${label} · ${when(e.at)}`), el('span', { class: 'line__text' }, e.text), ...files),
    );
  }
  return list;
}

function facts(rows: Array<[DeskKey, string | undefined]>): HTMLDListElement {
  const dl = el('dl', { class: 'facts' });
  for (const [k, v] of rows) if (v !== undefined) dl.append(el('div', { class: 'facts__row' }, el('dt', {}, dt(k)), el('dd', {}, v)));
  return dl;
}

/** A reply box: Enter sends, Shift+Enter adds a line (keys.ts); `/` opens canned responses (canned.ts) in reply and answer boxes. */
export function form(id: string, label: DeskKey, placeholder: DeskKey, button: DeskKey, multiline = true): HTMLFormElement {
  const attrs = { id: `${id}-text`, placeholder: dt(placeholder), 'aria-label': dt(label), required: '' };
  const input = multiline ? el('textarea', { ...attrs, rows: '3', 'data-compose': id }) : el('input', attrs);
  return el('form', { id, class: 'compose' }, input, el('button', { id: `${id}-send`, type: 'submit' }, dt(button)));
}

/** Who the customer is, as far as the channel vouches: a verified id and email, or an unverified visitor. */
function customerFacts(c: HandoffRecord['customer']): string {
  if (c.visitor) return dt('unverified');
  return [c.userId, c.email, c.tier ? `(${c.tier})` : undefined].filter(Boolean).join(' · ');
}

export function stateText(r: HandoffRecord): string {
  return dtOr(`state_${r.state}`, r.state, { agent: r.agentId ?? '' });
}

function transferControls(r: HandoffRecord, agents: readonly AgentView[], mine: boolean): Node[] {
  const select = el('select', { id: 'transfer-target', 'aria-label': dt('transferTo') });
  for (const a of agents)
    if (a.id !== r.agentId) select.append(el('option', { value: `agent:${a.id}` }, `${a.name} (${dt(`status_${a.status}` as DeskKey)}, ${a.load}/${a.capacity})`));
  for (const skill of [...new Set(agents.flatMap((a) => a.skills))]) select.append(el('option', { value: `skill:${skill}` }, dt('queueSkill', { skill })));
  return [
    ...(mine ? [el('button', { id: 'resolve', type: 'button' }, dt('resolve'))] : []),
    select,
    el('button', { id: 'transfer', type: 'button' }, dt(mine ? 'transfer' : 'reassign')),
  ];
}

/** The assigned agent's escalation to the expert queue: a skill the experts have and a required note. */
function expertControls(r: HandoffRecord, agents: readonly AgentView[]): Node[] {
  const skills = [...new Set(agents.filter((a) => a.level === 'expert').flatMap((a) => a.skills))];
  if (!skills.length || r.level === 'expert') return [];
  const select = el('select', { id: 'expert-skill', 'aria-label': dt('expertSkill') });
  for (const skill of skills) {
    const o = el('option', { value: skill }, skill);
    if (skill === r.skill) o.selected = true;
    select.append(o);
  }
  const note = el('input', { id: 'expert-note', placeholder: dt('expertNotePlaceholder'), 'aria-label': dt('expertNote'), maxlength: '4000' });
  return [
    el('div', { class: 'expert', role: 'group', 'aria-label': dt('escalateExpert') }, select, note, el('button', { id: 'escalate-expert', type: 'button' }, dt('escalateExpert'))),
  ];
}

function breachText(r: HandoffRecord): string | undefined {
  const levels = Object.keys(r.slaBreachedAt ?? {});
  return levels.length ? `${dt('slaBreached')} (${levels.join(', ')})` : undefined;
}

export interface ConversationViewOptions {
  me: string;
  agents: readonly AgentView[];
  /** A supervisor or admin, who may move someone else's conversation to another agent or queue. */
  canReassign: boolean;
}

export function conversationView(v: ConversationView, o: ConversationViewOptions): HTMLElement {
  const r = v.record;
  const mine = r.state === 'assigned' && r.agentId === o.me;
  const reassign = !mine && o.canReassign && r.state === 'assigned';
  const open = r.state === 'queued' || r.state === 'assigned';
  const s = r.sentiment;
  const head = el(
    'header',
    { class: 'view__head' },
    el('h2', {}, customerName(v.profile, r.ref)),
    el('span', { id: 'conv-state', class: `state state--${r.state}` }, stateText(r)),
  );
  const info = facts([
    ['customer', customerFacts(v.profile)],
    ['channel', r.ref.channel],
    ['language', dtOr(`lang_${r.locale}`, r.locale)],
    ['topic', topicLabel(r.intent)],
    ['reason', `${dtOr(`reason_${r.reason}`, r.reason)}${r.detail ? ` (${r.detail})` : ''}`],
    ['sentiment', s ? `${dtOr(`sentiment_${s.label}`, s.label)} ${s.score.toFixed(2)}` : undefined],
    ['waitingSince', when(r.requestedAt)],
    ['level', r.level === 'expert' ? dt('level_expert') : undefined],
    ['escalatedBy', r.escalatedBy ? `${r.escalatedBy}: ${r.escalationNote ?? ''}` : undefined],
    ['slaBreached', breachText(r)],
    ['csat', r.csat === undefined ? undefined : `${r.csat}/5`],
  ]);
  const actions = el('div', { class: 'actions' });
  if (open && !mine) actions.append(el('button', { id: 'claim', type: 'button' }, dt('claim')));
  if (mine || reassign) actions.append(...transferControls(r, o.agents, mine));
  if (mine) actions.append(...expertControls(r, o.agents));
  const profile = el('aside', { id: 'profile', class: 'profile', 'aria-labelledby': 'profile-title' }, el('h3', { id: 'profile-title' }, dt('profile')), info);
  return el(
    'section',
    { class: 'conversation', 'data-key': r.key, 'data-locale': r.locale },
    head,
    profile,
    actions,
    transcript(v.transcript),
    mine && form('reply', 'replyLabel', 'replyPlaceholder', 'send'),
    open && form('note', 'noteLabel', 'notePlaceholder', 'addNote', false),
  );
}

export function ticketView(t: Ticket): HTMLElement {
  const status = el('select', { id: 'ticket-status', 'aria-label': dt('ticketStatus') });
  for (const s of ['open', 'pending', 'resolved', 'closed']) {
    const o = el('option', { value: s }, dt(`ticket_${s}` as DeskKey));
    if (s === t.status) o.selected = true;
    status.append(o);
  }
  const log = el('ol', { class: 'ticket-history', role: 'list', 'aria-label': dt('ticketHistory') });
  for (const h of t.history) log.append(el('li', {}, `${when(h.at)} ${dt(`history_${h.action}` as DeskKey)}${h.detail ? ` ${h.detail}` : ''}${h.by ? ` · ${h.by}` : ''}`));
  return el(
    'section',
    { class: 'ticket', 'data-ticket': t.id, 'data-locale': t.locale },
    el(
      'header',
      { class: 'view__head' },
      el('h2', {}, `${t.id} · ${customerName(t.customer, t.ref)}`),
      el('span', { id: 'ticket-state', class: `state state--${t.status}` }, dt(`ticket_${t.status}` as DeskKey)),
    ),
    facts([
      ['channel', t.ref.channel],
      ['language', dtOr(`lang_${t.locale}`, t.locale)],
      ['topic', topicLabel(t.intent)],
      ['why', dt(t.cause === 'closed' ? 'whyClosed' : 'whyNoAgent')],
      ['assignee', t.assigneeId ?? dt('nobody')],
    ]),
    el('div', { class: 'actions' }, status, el('button', { id: 'ticket-save', type: 'button' }, dt('saveStatus'))),
    transcript(t.transcript),
    form('answer', 'answerLabel', 'answerPlaceholder', 'sendAnswer'),
    log,
  );
}
