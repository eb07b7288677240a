/**
 * The Inbox view: messages the bot did not understand, most frequent first, with the classifier's
 * guesses (a click fills the intent); an agent labels one with an intent or dismisses it.
 * Data: GET /console/api/inbox, POST /console/api/inbox/:id/label|dismiss.
 */
import type { InboxEntry, InboxStatus } from '../../core/analytics/types';
import { call } from './api';
import { type InsightKey, number, tr } from './insights-i18n';
import { el } from './render';

const STATUSES: readonly InboxStatus[] = ['open', 'labelled', 'dismissed', 'exported'];
let status: InboxStatus = 'open';

const inboxPath = (id: string, action: string) => `/console/api/inbox/${encodeURIComponent(id)}/${action}`;

function entryItem(e: InboxEntry, onAct: (path: string, body: unknown, done: string) => void): HTMLLIElement {
  const input = el('input', { class: 'inbox__intent', list: 'inbox-intents', placeholder: tr('intentPlaceholder'), 'aria-label': tr('intent'), value: e.intent ?? '' });
  const guesses = el(
    'span',
    { class: 'inbox__guesses', title: tr('guesses') },
    ...e.candidates.map((c) => {
      const chip = el('button', { type: 'button', class: 'chip', 'data-intent': c.intent }, `${c.intent} ${c.score.toFixed(2)}`);
      chip.addEventListener('click', () => {
        input.value = c.intent;
        input.focus();
      });
      return chip;
    }),
  );
  const label = el('button', { type: 'button', class: 'inbox__label primary' }, tr('label'));
  label.addEventListener('click', () => onAct(inboxPath(e.id, 'label'), { intent: input.value.trim() }, `${tr('labelled')}: ${input.value.trim()}`));
  const dismiss = el('button', { type: 'button', class: 'inbox__dismiss' }, tr('dismiss'));
  dismiss.addEventListener('click', () => onAct(inboxPath(e.id, 'dismiss'), {}, tr('dismissed')));
  const decided = e.intent && e.status !== 'open' ? el('span', { class: 'inbox__decided' }, `${tr('labelledAs')} ${e.intent}${e.by ? ` · ${tr('by')} ${e.by}` : ''}`) : undefined;
  return el(
    'li',
    { class: `inbox__item inbox__item--${e.status}`, 'data-inbox-id': e.id },
    el('span', { class: 'inbox__count' }, `${number(e.count)}${tr('times')}`),
    el('span', { class: 'inbox__text', lang: e.locale }, e.text),
    el('span', { class: 'inbox__meta' }, `${e.locale} · ${e.channel} · ${new Date(e.lastAt).toLocaleString()}`),
    guesses,
    decided,
    e.status === 'exported' ? undefined : el('span', { class: 'inbox__actions' }, input, label, e.status === 'dismissed' ? undefined : dismiss),
  );
}

/** Draws the inbox into `container`; `toast` reports results. */
export async function showInbox(container: HTMLElement, toast: (text: string, error?: boolean) => void): Promise<void> {
  const filter = el(
    'select',
    { id: 'inbox-status', 'aria-label': 'status' },
    ...STATUSES.map((s) => {
      const o = el('option', { value: s }, tr(`status_${s}` as InsightKey));
      o.selected = s === status;
      return o;
    }),
  );
  filter.addEventListener('change', () => {
    status = filter.value as InboxStatus;
    void showInbox(container, toast);
  });
  const head = [el('h2', {}, tr('inboxTitle')), el('p', { class: 'hint' }, tr('inboxHint')), el('div', { class: 'insights__controls' }, filter)];
  container.replaceChildren(...head, el('p', { class: 'insights__status' }, tr('loading')));
  const res = await call<{ entries: InboxEntry[]; intents: string[] }>('GET', `/console/api/inbox?status=${status}`);
  if (!res.ok) {
    container.replaceChildren(...head, el('p', { class: 'error' }, `${res.error.code}: ${res.error.message}`));
    return;
  }
  const act = async (path: string, body: unknown, done: string) => {
    const r = await call('POST', path, body);
    if (!r.ok) return toast(`${r.error.code}: ${r.error.message}`, true);
    toast(done);
    await showInbox(container, toast);
  };
  const list = el('ul', { id: 'inbox-list', class: 'inbox' }, ...res.value.entries.map((e) => entryItem(e, (p, b, d) => void act(p, b, d))));
  const intents = el('datalist', { id: 'inbox-intents' }, ...res.value.intents.map((i) => el('option', { value: i })));
  container.replaceChildren(...head, res.value.entries.length ? list : el('p', { class: 'empty' }, tr('inboxEmpty')), intents);
}
