/**
 * The agent console: log in, watch the queue live, open a conversation or a ticket and act on it.
 * Runs in the browser; imports only types from core. Every server event refreshes the view.
 */

import type { Ticket } from '../../core/handoff/types';
import { type ConsoleState, type ConversationView, call, connectLive, conversationPath, ticketPath } from './api';
import { mountInsights, showTabsFor } from './insights';
import { conversationView, lists, ticketView } from './render';

const $ = <T extends HTMLElement>(id: string): T => {
  const node = document.getElementById(id);
  if (!node) throw new Error(`kefu console: element #${id} is missing from index.html`);
  return node as T;
};

let me = '';
let state: ConsoleState | undefined;
let selected: { kind: 'conversation'; key: string } | { kind: 'ticket'; id: string } | undefined;
let stopLive: (() => void) | undefined;
let refreshing: Promise<void> | undefined;
let again = false;

function toast(text: string, error = false): void {
  const t = $('toast');
  t.textContent = text;
  t.className = error ? 'toast toast--error' : 'toast';
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
  stopLive = connectLive(
    (msg) => {
      if ((msg as { type?: string }).type === 'event') void refresh();
    },
    (s) => {
      const live = $('live');
      live.dataset.state = s;
      live.textContent = s === 'live' ? 'live' : 'reconnecting…';
      if (s === 'live') void refresh();
    },
  );
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
      const res = await call<ConsoleState>('GET', '/console/api/state');
      if (!res.ok) return res.error.code === 'KEFU_ERR_CONSOLE_AUTH' ? showLogin('Your session ended; log in again.') : toast(res.error.message, true);
      state = res.value;
      showTabsFor(state.role);
      $<HTMLSelectElement>('status').value = state.me?.status ?? 'offline';
      render();
      await renderSelected();
    } while (again);
  })().finally(() => {
    refreshing = undefined;
  });
  return refreshing;
}

function render(): void {
  if (!state) return;
  const current = selected?.kind === 'conversation' ? selected.key : selected?.id;
  const l = lists(state, me, current);
  $('queue').replaceChildren(...l.queue);
  $('queue-count').textContent = String(state.queueSize);
  $('mine').replaceChildren(...l.mine);
  $('others').replaceChildren(...l.others);
  $('tickets').replaceChildren(...l.tickets);
}

async function renderSelected(): Promise<void> {
  const view = $('view');
  if (!selected || !state) return;
  if (selected.kind === 'conversation') {
    const res = await call<ConversationView>('GET', conversationPath(selected.key));
    if (!res.ok) return void view.replaceChildren(document.createTextNode(res.error.message));
    keepDrafts(view, () => view.replaceChildren(conversationView(res.value, me, state?.agents ?? [], state?.role !== 'agent')));
  } else {
    const res = await call<{ ticket: Ticket }>('GET', ticketPath(selected.id));
    if (!res.ok) return void view.replaceChildren(document.createTextNode(res.error.message));
    keepDrafts(view, () => view.replaceChildren(ticketView(res.value.ticket)));
  }
}

/** A live refresh must not wipe what the agent is typing. */
function keepDrafts(view: HTMLElement, redraw: () => void): void {
  const drafts = new Map<string, string>();
  for (const f of view.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('textarea, input')) drafts.set(f.id, f.value);
  const focused = document.activeElement?.id;
  redraw();
  for (const [id, value] of drafts) {
    const f = document.getElementById(id) as HTMLInputElement | HTMLTextAreaElement | null;
    if (f) f.value = value;
  }
  if (focused) document.getElementById(focused)?.focus();
}

async function act(path: string, body: unknown, done: string): Promise<boolean> {
  const res = await call<{ delivery?: string }>('POST', path, body ?? {});
  if (!res.ok) {
    toast(`${res.error.code}: ${res.error.message}`, true);
    return false;
  }
  toast(res.value.delivery === 'queued' ? `${done} (queued: the customer's channel is down; it will be retried)` : done);
  await refresh();
  return true;
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

$('status').addEventListener('change', () => void act('/console/api/status', { status: $<HTMLSelectElement>('status').value }, 'Status changed'));

document.querySelector('.side')?.addEventListener('click', (e) => {
  const item = (e.target as HTMLElement).closest<HTMLButtonElement>('button.item');
  if (!item) return;
  selected = item.dataset.key ? { kind: 'conversation', key: item.dataset.key } : { kind: 'ticket', id: item.dataset.ticket ?? '' };
  render();
  void renderSelected();
});

$('view').addEventListener('click', (e) => {
  const id = (e.target as HTMLElement).id;
  if (selected?.kind === 'conversation') {
    const key = selected.key;
    if (id === 'claim') void act(conversationPath(key, 'claim'), {}, 'Claimed');
    if (id === 'resolve') void act(conversationPath(key, 'resolve'), {}, 'Resolved; the bot asks the customer for a rating');
    if (id === 'transfer') {
      const [kind, value] = $<HTMLSelectElement>('transfer-target').value.split(':');
      void act(conversationPath(key, 'transfer'), kind === 'agent' ? { agentId: value } : { skill: value }, 'Transferred');
    }
  }
  if (selected?.kind === 'ticket' && id === 'ticket-save') void act(ticketPath(selected.id), { status: $<HTMLSelectElement>('ticket-status').value }, 'Ticket updated');
});

$('view').addEventListener('submit', async (e) => {
  e.preventDefault();
  const formId = (e.target as HTMLFormElement).id;
  const field = document.getElementById(`${formId}-text`) as HTMLTextAreaElement | HTMLInputElement | null;
  const text = field?.value.trim() ?? '';
  if (!text || !selected) return;
  const path = selected.kind === 'ticket' ? ticketPath(selected.id, 'answer') : conversationPath(selected.key, formId === 'note' ? 'note' : 'reply');
  if (await act(path, { text }, formId === 'note' ? 'Note added' : 'Sent')) {
    const again = document.getElementById(`${formId}-text`) as HTMLTextAreaElement | HTMLInputElement | null;
    if (again) again.value = '';
  }
});

mountInsights(toast); // the Analytics, Inbox and Audit log tabs
void start();
