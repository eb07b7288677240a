/**
 * The Inbox view: messages the bot did not understand, most frequent first, with the classifier's
 * guesses (a click picks the intent); an agent labels one with an intent the bot knows in the
 * message's language (a select), creates a new intent with the separate "New intent" action, or
 * dismisses it. Data: GET /console/api/inbox, POST /console/api/inbox/:id/label {intent, newIntent?}|dismiss.
 */
import type { InboxEntry, InboxStatus } from '../../plugins/analytics/types';
import { call } from './api';
import { type InsightKey, number, tr, uiLocale } from './insights-i18n';
import { el } from './render';

const STATUSES: readonly InboxStatus[] = ['open', 'labelled', 'dismissed', 'exported'];
let status: InboxStatus = 'open';

const inboxPath = (id: string, action: string) => `/console/api/inbox/${encodeURIComponent(id)}/${action}`;

/** This view's own texts (the new-intent action); the rest come from insights-i18n. */
const TEXTS = {
  en: { choose: 'Choose an intent…', newIntent: 'New intent…', newIntentName: 'new intent, e.g. order.change', create: 'Create and label', created: 'New intent' },
  zh: { choose: '选择意图…', newIntent: '新建意图…', newIntentName: '新意图，例如 order.change', create: '新建并标注', created: '新意图' },
} as const;
const t = (key: keyof (typeof TEXTS)['en']) => TEXTS[uiLocale()][key];

/** The known intents as a select, the entry's label or best guess chosen. */
function intentSelect(e: InboxEntry, known: readonly string[]): HTMLSelectElement {
  const chosen = e.intent ?? '';
  const select = el('select', { class: 'inbox__intent', 'aria-label': tr('intent') }, el('option', { value: '' }, t('choose')));
  for (const intent of known) {
    const o = el('option', { value: intent }, intent);
    o.selected = intent === chosen;
    select.append(o);
  }
  return select;
}

/** "New intent…": a name field and a button that labels with `newIntent: true`, shown on demand. */
function newIntentAction(e: InboxEntry, onAct: (path: string, body: unknown, done: string) => void): HTMLElement {
  const name = el('input', { class: 'inbox__new-name', placeholder: t('newIntentName'), 'aria-label': t('newIntentName'), hidden: '' });
  const create = el('button', { type: 'button', class: 'inbox__new-create', hidden: '' }, t('create'));
  const open = el('button', { type: 'button', class: 'inbox__new' }, t('newIntent'));
  open.addEventListener('click', () => {
    name.hidden = false;
    create.hidden = false;
    open.hidden = true;
    name.focus();
  });
  create.addEventListener('click', () => {
    const intent = name.value.trim();
    onAct(inboxPath(e.id, 'label'), { intent, newIntent: true }, `${t('created')}: ${intent}`);
  });
  return el('span', { class: 'inbox__new-intent' }, open, name, create);
}

function entryItem(e: InboxEntry, known: readonly string[], onAct: (path: string, body: unknown, done: string) => void): HTMLLIElement {
  const select = intentSelect(e, known);
  const guesses = el(
    'span',
    { class: 'inbox__guesses', title: tr('guesses') },
    ...e.candidates.map((c) => {
      const chip = el('button', { type: 'button', class: 'chip', 'data-intent': c.intent }, `${c.intent} ${c.score.toFixed(2)}`);
      chip.addEventListener('click', () => {
        select.value = c.intent;
        select.focus();
      });
      return chip;
    }),
  );
  const label = el('button', { type: 'button', class: 'inbox__label primary' }, tr('label'));
  label.addEventListener('click', () => onAct(inboxPath(e.id, 'label'), { intent: select.value }, `${tr('labelled')}: ${select.value}`));
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
    e.status === 'exported' ? undefined : el('span', { class: 'inbox__actions' }, select, label, newIntentAction(e, onAct), e.status === 'dismissed' ? undefined : dismiss),
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
  const res = await call<{ entries: InboxEntry[]; intents: string[]; intentsByLocale?: Partial<Record<string, string[]>> }>('GET', `/console/api/inbox?status=${status}`);
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
  const known = (locale: string) => res.value.intentsByLocale?.[locale] ?? res.value.intents;
  const list = el('ul', { id: 'inbox-list', class: 'inbox' }, ...res.value.entries.map((e) => entryItem(e, known(e.locale), (p, b, d) => void act(p, b, d))));
  container.replaceChildren(...head, res.value.entries.length ? list : el('p', { class: 'empty' }, tr('inboxEmpty')));
}
