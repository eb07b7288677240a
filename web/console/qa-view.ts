/**
 * The Quality (质检) view for supervisors and admins: flagged conversations by status with their
 * reasons, Confirm / Dismiss on each, scores per agent, and the CSV export.
 * Data: GET /console/api/qa/flags, POST /console/api/qa/flags/:id/confirm|dismiss, GET /console/api/qa/agents.
 */
import { call } from './api';
import { type QaKey, qt } from './qa-i18n';
import { el } from './render';

/** What the QA routes answer (server/qa/types.ts, report.ts), as far as this view reads it. */
interface QaResult {
  id: string;
  key: string;
  agentId: string;
  resolvedAt: number;
  score: number;
  status: string;
  flags: Array<{ code: FlagCode; detail: string }>;
}
type FlagCode = 'first_response_slow' | 'reply_slow' | 'unanswered' | 'sentiment_worse' | 'forbidden_phrase' | 'no_greeting' | 'no_closing';
interface AgentQa {
  agentId: string;
  conversations: number;
  averageScore: number;
  flagged: number;
  confirmed: number;
  avgFirstResponseMs?: number;
}

type Toast = (text: string, error?: boolean) => void;
type Status = 'open' | 'confirmed' | 'dismissed';

const th = (key: QaKey) => el('th', { scope: 'col' }, qt(key));

function flagList(r: QaResult): HTMLElement {
  return el('ul', { class: 'qa__flags' }, ...r.flags.map((f) => el('li', { 'data-flag': f.code }, el('strong', {}, qt(f.code)), ` ${f.detail}`)));
}

function flagRow(r: QaResult, status: Status, decide: (r: QaResult, action: 'confirm' | 'dismiss') => void): HTMLTableRowElement {
  const actions = el('td', {});
  for (const action of ['confirm', 'dismiss'] as const) {
    if ((action === 'confirm' && status === 'confirmed') || (action === 'dismiss' && status === 'dismissed')) continue;
    const b = el('button', { type: 'button', 'data-action': action, 'aria-label': `${qt(action)} ${r.key}` }, qt(action));
    b.addEventListener('click', () => decide(r, action));
    actions.append(b);
  }
  return el(
    'tr',
    { 'data-id': r.id },
    el('td', {}, new Date(r.resolvedAt).toLocaleString()),
    el('td', {}, r.agentId),
    el('td', {}, r.key),
    el('td', {}, String(r.score)),
    el('td', {}, flagList(r)),
    actions,
  );
}

async function drawFlags(body: HTMLElement, status: Status, toast: Toast, after?: string): Promise<void> {
  const res = await call<{ items: QaResult[]; next?: string }>('GET', `/console/api/qa/flags?status=${status}${after ? `&after=${encodeURIComponent(after)}` : ''}`);
  if (!res.ok) return toast(`${res.error.code}: ${res.error.message}`, true);
  const decide = async (r: QaResult, action: 'confirm' | 'dismiss') => {
    const done = await call<{ result: QaResult }>('POST', `/console/api/qa/flags/${encodeURIComponent(r.id)}/${action}`, {});
    if (!done.ok) return toast(`${done.error.code}: ${done.error.message}`, true);
    toast(qt('decided', { id: r.key, status: qt(done.value.result.status as Status) }));
    body.querySelector(`tr[data-id="${CSS.escape(r.id)}"]`)?.remove();
  };
  if (!after) body.replaceChildren();
  for (const r of res.value.items) body.append(flagRow(r, status, (x, a) => void decide(x, a)));
  if (!after && res.value.items.length === 0) body.append(el('tr', {}, el('td', { colspan: '6' }, qt('none'))));
  const more = body.parentElement?.parentElement?.querySelector<HTMLButtonElement>('#qa-more');
  if (more) {
    more.hidden = !res.value.next;
    more.onclick = () => void drawFlags(body, status, toast, res.value.next);
  }
}

async function agentTable(): Promise<HTMLElement> {
  const res = await call<{ agents: AgentQa[] }>('GET', '/console/api/qa/agents');
  const rows = res.ok ? res.value.agents : [];
  const seconds = (ms?: number) => (ms === undefined ? '–' : `${Math.round(ms / 1000)} s`);
  return el(
    'table',
    { id: 'qa-agents', class: 'grid' },
    el('caption', {}, qt('agents')),
    el('thead', {}, el('tr', {}, th('agent'), th('conversations'), th('average'), th('flagged'), th('confirmed'), th('firstResponse'))),
    el(
      'tbody',
      {},
      ...rows.map((a) =>
        el(
          'tr',
          { 'data-agent': a.agentId },
          el('td', {}, a.agentId),
          el('td', {}, String(a.conversations)),
          el('td', {}, String(a.averageScore)),
          el('td', {}, String(a.flagged)),
          el('td', {}, String(a.confirmed)),
          el('td', {}, seconds(a.avgFirstResponseMs)),
        ),
      ),
    ),
  );
}

export async function showQa(container: HTMLElement, toast: Toast): Promise<void> {
  container.replaceChildren(el('p', {}, qt('loading')));
  const select = el('select', { id: 'qa-status' }, ...(['open', 'confirmed', 'dismissed'] as const).map((s) => el('option', { value: s }, qt(s))));
  const body = el('tbody', {});
  const table = el(
    'table',
    { id: 'qa-flags', class: 'grid' },
    el('thead', {}, el('tr', {}, th('resolved'), th('agent'), th('conversation'), th('score'), th('flags'), th('action'))),
    body,
  );
  const more = el('button', { type: 'button', id: 'qa-more', hidden: '' }, qt('more'));
  select.addEventListener('change', () => void drawFlags(body, select.value as Status, toast));
  const exportLink = el('a', { id: 'qa-export', href: '/console/api/qa/export.csv', download: 'kefu-qa.csv' }, qt('export'));
  container.replaceChildren(
    el('h2', {}, qt('title')),
    el('p', { class: 'hint' }, qt('hint')),
    el('label', {}, `${qt('status')} `, select),
    el('div', {}, table, more),
    await agentTable(),
    el('p', {}, exportLink),
  );
  await drawFlags(body, 'open', toast);
}
