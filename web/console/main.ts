/**
 * The agent console: log in, watch the queue live, open a conversation or a ticket and act on it.
 * Runs in the browser; imports only types (and pure helpers) from core. Every server event
 * refreshes the view; desk-state.ts keeps unread counts and previews, alerts.ts rings.
 */

import type { HandoffRecord, Ticket } from '../../plugins/handoff/types';
import { alertAgent, mountAlerts } from './alerts';
import { type ConsoleState, type ConversationView, call, connectLive, conversationPath, ticketPath } from './api';
import { loadCanned } from './canned';
import { conversationView, ticketView } from './conversation-view';
import { type DeskKey, dt } from './desk-i18n';
import { type LiveEvent, markRead, onEvent, previews, refreshPreviews, unread } from './desk-state';
import { restoreCustomerTyping, showCustomerTyping, tellSeen, wireAgentTyping } from './typing';
import { mountInsights, showTabsFor } from './insights';
import { uiLocale } from './insights-i18n';
import { drawShortcuts, mountKeys } from './keys';
import { showOffers } from './offers';
import { showPast } from './profile';
import { type ListContext, lists } from './render';
import { mountSearch } from './search';

const $ = <T extends HTMLElement>(id: string): T => {
  const node = document.getElementById(id);
  if (!node) throw new Error(`kefu console: element #${id} is missing from index.html`);
  return node as T;
};

let me = '';
let state: ConsoleState | undefined;
let resolved: HandoffRecord[] = [];
let selected: { kind: 'conversation'; key: string } | { kind: 'ticket'; id: string } | undefined;
let stopLive: (() => void) | undefined;
let refreshing: Promise<void> | undefined;
let again = false;
const selectedKey = () => (selected?.kind === 'conversation' ? selected.key : undefined);
const listContext = (): ListContext => ({ me, selected: selected?.kind === 'conversation' ? selected.key : selected?.id, previews, unread });
const search = mountSearch(listContext);
const alerts = mountAlerts();

function toast(text: string, error = false): void {
  const t = $('toast');
  t.textContent = text;
  t.className = error ? 'toast toast--error' : 'toast';
}

/** The page's fixed words in the view's language (`data-t`, `data-t-label`, `data-t-placeholder`). */
function applyStaticTexts(): void {
  document.documentElement.lang = uiLocale() === 'zh' ? 'zh-CN' : 'en';
  for (const n of document.querySelectorAll<HTMLElement>('[data-t]')) n.textContent = dt(n.dataset.t as DeskKey);
  for (const n of document.querySelectorAll<HTMLElement>('[data-t-label]')) n.setAttribute('aria-label', dt(n.dataset.tLabel as DeskKey));
  for (const n of document.querySelectorAll<HTMLInputElement>('[data-t-placeholder]')) n.placeholder = dt(n.dataset.tPlaceholder as DeskKey);
  const live = $('live');
  live.textContent = dt(live.dataset.state === 'live' ? 'live' : live.dataset.state === 'down' ? 'reconnecting' : 'connecting');
  alerts.relabel();
  drawShortcuts();
}

async function start(): Promise<void> {
  const res = await call<ConsoleState>('GET', '/console/api/state');
  if (!res.ok) return showLogin();
  await showApp(res.value);
}

function showLogin(message = ''): void {
  stopLive?.();
  $('app').hidden = true;
  $('login').hidden = false;
  $('login-error').textContent = message;
}

async function showApp(initial: ConsoleState): Promise<void> {
  state = initial;
  me = initial.me?.id ?? '';
  showTabsFor(initial.role);
  $('login').hidden = true;
  $('app').hidden = false;
  $('me').textContent = initial.me?.name ?? me;
  $<HTMLSelectElement>('status').value = initial.me?.status ?? 'offline';
  render();
  void loadCanned();
  wireAgentTyping(selectedKey);
  stopLive = connectLive(
    (msg) => {
      const m = msg as { type?: string; event?: LiveEvent & { from?: string } };
      if (m.type !== 'event') return;
      // Typing and "seen" change nothing stored: no refresh, only the indicator.
      if (m.event?.type === 'handoff.typing' || m.event?.type === 'handoff.seen') {
        const key = selectedKey();
        if (m.event.type === 'handoff.typing' && m.event.from === 'customer' && key && m.event.key === key) showCustomerTyping(key);
        return;
      }
      if (m.event) onEvent(m.event, me, selectedKey());
      if (m.event?.type === 'handoff.sla_breached' && m.event.record) onSlaBreach(m.event);
      void refresh();
    },
    (s) => {
      const live = $('live');
      live.dataset.state = s;
      live.textContent = dt(s === 'live' ? 'live' : 'reconnecting');
      if (s === 'live') void refresh();
    },
  );
}

async function loadState(): Promise<boolean> {
  const [res, done] = await Promise.all([
    call<ConsoleState>('GET', '/console/api/state'),
    call<{ items: HandoffRecord[] }>('GET', '/console/api/handoffs?state=resolved&limit=20'),
  ]);
  if (!res.ok) {
    if (res.error.code === 'KEFU_ERR_CONSOLE_AUTH') showLogin(dt('sessionEnded'));
    else toast(res.error.message, true);
    return false;
  }
  state = res.value;
  if (done.ok) resolved = done.value.items;
  return true;
}

/** Re-reads the state and the open item; calls during a refresh coalesce into one more. */
function refresh(): Promise<void> {
  if (refreshing) {
    again = true;
    return refreshing;
  }
  refreshing = (async () => {
    do {
      again = false;
      if (!(await loadState()) || !state) return;
      showTabsFor(state.role);
      $<HTMLSelectElement>('status').value = state.me?.status ?? 'offline';
      render();
      if (await refreshPreviews([...state.queue.map((q) => q.record), ...state.assigned, ...resolved])) render();
      await renderSelected();
    } while (again);
  })().finally(() => {
    refreshing = undefined;
  });
  return refreshing;
}

function render(): void {
  if (!state) return;
  const l = lists(state, resolved, listContext());
  $('queue').replaceChildren(...l.queue);
  $('queue-count').textContent = String(state.queueSize);
  $('mine').replaceChildren(...l.mine);
  $('others').replaceChildren(...l.others);
  $('tickets').replaceChildren(...l.tickets);
  $('resolved').replaceChildren(...l.resolved);
  search.redraw();
  showOffers(
    state.queue.map((q) => q.record),
    me,
    (path, done, key) =>
      void act(path, {}, done).then((ok) => {
        if (ok && done === 'done_accepted') select({ kind: 'conversation', key });
      }),
  );
}

async function renderSelected(): Promise<void> {
  const view = $('view');
  if (!selected || !state) return;
  if (selected.kind === 'conversation') {
    const res = await call<ConversationView>('GET', conversationPath(selected.key));
    if (!res.ok) return void view.replaceChildren(document.createTextNode(res.error.message));
    const record = res.value.record;
    const past = view.querySelector<HTMLElement>(`#past-section[data-for="${CSS.escape(record.id)}"]`);
    const o = { me, agents: state.agents, canReassign: state.role !== 'agent' };
    keepDrafts(view, () => view.replaceChildren(conversationView(res.value, o)));
    restoreCustomerTyping(record.key);
    if (document.visibilityState === 'visible') tellSeen(record.key, res.value.transcript, record.state === 'assigned' && record.agentId === me);
    const panel = $('profile');
    if (past) panel.append(past);
    else void showPast(panel, { key: record.key, id: record.id });
  } else {
    const res = await call<{ ticket: Ticket }>('GET', ticketPath(selected.id));
    if (!res.ok) return void view.replaceChildren(document.createTextNode(res.error.message));
    keepDrafts(view, () => view.replaceChildren(ticketView(res.value.ticket)));
  }
}

/** A live refresh must not wipe what the agent is typing (nor move the cursor). */
function keepDrafts(view: HTMLElement, redraw: () => void): void {
  const drafts = new Map<string, string>();
  // A select the agent changed but has not saved yet (a ticket's status) is a draft too.
  for (const f of view.querySelectorAll<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>('textarea, input, select')) if (f.id) drafts.set(f.id, f.value);
  const focused = document.activeElement as HTMLInputElement | HTMLTextAreaElement | null;
  const caret = focused && 'selectionStart' in focused ? [focused.selectionStart, focused.selectionEnd] : undefined;
  redraw();
  for (const [id, value] of drafts) {
    const f = document.getElementById(id) as HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement | null;
    if (f) f.value = value;
  }
  const again = focused?.id ? (document.getElementById(focused.id) as HTMLInputElement | null) : null;
  again?.focus();
  if (again && caret && 'setSelectionRange' in again) again.setSelectionRange(caret[0] ?? null, caret[1] ?? null);
}

async function act(path: string, body: unknown, done: DeskKey): Promise<boolean> {
  const res = await call<{ delivery?: string }>('POST', path, body ?? {});
  if (!res.ok) {
    toast(`${res.error.code}: ${res.error.message}`, true);
    return false;
  }
  toast(res.value.delivery === 'queued' ? dt('queued', { done: dt(done) }) : dt(done));
  await refresh();
  return true;
}

/** A missed first-response target: shown to whoever may read the conversation; supervisors, admins and the assignee also hear it. */
function onSlaBreach(e: LiveEvent & { level?: string; waitedMs?: number }): void {
  const text = slaAlert(e);
  toast(text, true);
  if (state?.role !== 'agent' || e.agentId === me) alertAgent(text, `sla-${e.key ?? ''}`, 'urgent');
}

/** "First-response target missed (agent): Visitor #12 waited 61 s". */
function slaAlert(e: LiveEvent & { level?: string; waitedMs?: number }): string {
  const r = e.record as HandoffRecord;
  return dt('slaBreachedAlert', { level: e.level ?? '', who: r.customer.name ?? r.customer.userId, seconds: Math.round((e.waitedMs ?? 0) / 1000) });
}

function select(next: NonNullable<typeof selected>): void {
  selected = next;
  markRead(selectedKey());
  render();
  void renderSelected();
}

$('login-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const res = await call<{ token: string }>('POST', '/console/api/login', {
    agentId: $<HTMLInputElement>('login-agent').value.trim(),
    password: $<HTMLInputElement>('login-password').value,
  });
  if (!res.ok) return showLogin(res.error.message);
  await start();
});

$('logout').addEventListener('click', async () => {
  await call('POST', '/console/api/logout', {});
  selected = undefined;
  showLogin();
});

$('status').addEventListener('change', () => void act('/console/api/status', { status: $<HTMLSelectElement>('status').value }, 'done_status'));

/** A list item, a search hit or a past conversation in the profile opens its conversation or ticket. */
function onOpen(e: Event): void {
  const item = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-key], button[data-ticket]');
  if (!item || item.closest('.offer')) return;
  select(item.dataset.key ? { kind: 'conversation', key: item.dataset.key } : { kind: 'ticket', id: item.dataset.ticket ?? '' });
}
document.querySelector('.side')?.addEventListener('click', onOpen);

$('view').addEventListener('click', (e) => {
  onOpen(e);
  const id = (e.target as HTMLElement).id;
  if (selected?.kind === 'conversation') {
    const key = selected.key;
    if (id === 'claim') void act(conversationPath(key, 'claim'), {}, 'done_claimed');
    if (id === 'resolve') void act(conversationPath(key, 'resolve'), {}, 'done_resolved');
    if (id === 'transfer') {
      const [kind, value] = $<HTMLSelectElement>('transfer-target').value.split(':');
      void act(conversationPath(key, 'transfer'), kind === 'agent' ? { agentId: value } : { skill: value }, 'done_transferred');
    }
    if (id === 'escalate-expert') {
      const note = $<HTMLInputElement>('expert-note').value.trim();
      if (!note) toast(dt('expertNoteNeeded'), true);
      else void act(conversationPath(key, 'escalate-expert'), { skill: $<HTMLSelectElement>('expert-skill').value, note }, 'done_escalatedExpert');
    }
  }
  if (selected?.kind === 'ticket' && id === 'ticket-save') void act(ticketPath(selected.id), { status: $<HTMLSelectElement>('ticket-status').value }, 'done_ticket');
});

$('view').addEventListener('submit', async (e) => {
  e.preventDefault();
  const formId = (e.target as HTMLFormElement).id;
  const field = document.getElementById(`${formId}-text`) as HTMLTextAreaElement | HTMLInputElement | null;
  const text = field?.value.trim() ?? '';
  if (!text || !selected) return;
  const path = selected.kind === 'ticket' ? ticketPath(selected.id, 'answer') : conversationPath(selected.key, formId === 'note' ? 'note' : 'reply');
  // Cleared at once, so a live refresh while it is sent does not keep it as a draft; given back if the send fails.
  if (field) field.value = '';
  if (!(await act(path, { text }, formId === 'note' ? 'done_note' : 'done_sent'))) {
    const again = document.getElementById(`${formId}-text`) as HTMLTextAreaElement | HTMLInputElement | null;
    if (again && !again.value) again.value = text;
  }
});

document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible') markRead(selectedKey());
});

mountKeys();
// the Analytics, Inbox, Canned responses, Audit log, Staff and Knowledge base tabs; the language toggle redraws the desk
mountInsights(toast, () => {
  $('offers').replaceChildren(); // cards and the profile's past conversations are drawn again in the new language
  $('view').querySelector('#past-section')?.remove();
  applyStaticTexts();
  render();
  void renderSelected();
});
applyStaticTexts();
void start();
