/**
 * The Knowledge base view (supervisors and admins): the FAQ entries of one language with their
 * version, a form to add or edit one, delete, and the training status (polled while a model trains).
 * Data: GET /console/api/kb?locale=, GET /console/api/kb/status, POST /console/api/kb/:locale[/:intent[/delete]].
 */
import { call } from './api';
import { type KbKey, kt } from './kb-i18n';
import { el } from './render';

type Toast = (text: string, error?: boolean) => void;
type Lang = 'en' | 'zh';

interface KbButton {
  label: string;
  intent?: string;
  payload?: string;
}
interface KbEntry {
  intent: string;
  title: string;
  questions: string[];
  answer: string;
  buttons: KbButton[];
  source: 'file' | 'console';
  version: number;
  updatedBy?: string;
}
interface Training {
  state: 'ready' | 'training' | 'failed' | 'fixed';
  error?: { code: string; message: string };
  models: Partial<Record<Lang, string>>;
}

let lang: Lang = 'en';
let poll: ReturnType<typeof setTimeout> | undefined;

const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

function buttonsToText(buttons: KbButton[]): string {
  return buttons.map((b) => `${b.label} | ${b.intent ? `intent:${b.intent}` : b.payload}`).join('\n');
}

function buttonsFromText(text: string): KbButton[] {
  return lines(text).map((line) => {
    const [label = '', target = ''] = line.split('|').map((p) => p.trim());
    return target.startsWith('intent:') ? { label, intent: target.slice('intent:'.length) } : { label, payload: target };
  });
}

function statusText(t: Training): string {
  if (t.state === 'failed') return kt('failed', { code: t.error?.code ?? '', message: t.error?.message ?? '' });
  if (t.state === 'ready')
    return kt('ready', {
      models: Object.entries(t.models)
        .map(([l, h]) => `${l} ${String(h).slice(0, 8)}`)
        .join(', '),
    });
  return kt(t.state);
}

/** Shows the training status; while a model trains, asks again every second (as long as the view is open). */
function showStatus(node: HTMLElement, t: Training): void {
  node.dataset.state = t.state;
  node.textContent = statusText(t);
  clearTimeout(poll);
  if (t.state !== 'training') return;
  poll = setTimeout(async () => {
    if (!node.isConnected) return;
    const res = await call<{ training: Training }>('GET', '/console/api/kb/status');
    if (res.ok) showStatus(node, res.value.training);
  }, 1000);
}

/** A labelled input; `wide` spans the form's width (the style.css grid of the staff form). */
function field(key: KbKey, input: HTMLElement, wide = false): HTMLLabelElement {
  const label = el('label', { class: 'staff__field kb__field' }, kt(key), input);
  if (wide) label.style.gridColumn = '1 / -1'; // CSSOM, allowed by the console's CSP
  return label;
}

function entryForm(save: (entry: unknown, editing?: KbEntry) => void): { form: HTMLFormElement; fill(e?: KbEntry): void } {
  const intent = el('input', { id: 'kb-intent', required: '', pattern: 'faq\\.[a-z0-9][a-z0-9_\\-]{0,62}', placeholder: 'faq.warranty', autocomplete: 'off' });
  const title = el('input', { id: 'kb-title', required: '', maxlength: '60' });
  const questions = el('textarea', { id: 'kb-questions', required: '', rows: '5' });
  const answer = el('textarea', { id: 'kb-answer', required: '', rows: '4', maxlength: '4000' });
  const buttons = el('textarea', { id: 'kb-buttons', rows: '2' });
  const heading = el('h3', { id: 'kb-form-title' });
  const submit = el('button', { type: 'submit', id: 'kb-save', class: 'primary' });
  let editing: KbEntry | undefined;
  const fill = (e?: KbEntry) => {
    editing = e;
    intent.value = e?.intent ?? '';
    intent.readOnly = Boolean(e);
    title.value = e?.title ?? '';
    questions.value = e?.questions.join('\n') ?? '';
    answer.value = e?.answer ?? '';
    buttons.value = buttonsToText(e?.buttons ?? []);
    heading.textContent = e ? kt('editing', { intent: e.intent, version: e.version }) : kt('adding');
    submit.textContent = kt(e ? 'save' : 'create');
  };
  const form = el(
    'form',
    { id: 'kb-form', class: 'staff__new kb__form' },
    heading,
    field('intent', intent),
    field('entryTitle', title),
    field('questions', questions, true),
    field('answer', answer, true),
    field('buttons', buttons, true),
    submit,
  );
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const entry = {
      intent: intent.value.trim(),
      title: title.value.trim(),
      questions: lines(questions.value),
      answer: answer.value.trim(),
      buttons: buttonsFromText(buttons.value),
    };
    save(entry, editing);
  });
  fill();
  return { form, fill };
}

function entryRow(e: KbEntry, edit: (e: KbEntry) => void, remove: (e: KbEntry) => void): HTMLTableRowElement {
  const editButton = el('button', { type: 'button', class: 'kb__edit' }, kt('edit'));
  editButton.addEventListener('click', () => edit(e));
  const deleteButton = el('button', { type: 'button', class: 'kb__delete' }, kt('delete'));
  deleteButton.addEventListener('click', () => remove(e));
  const version = e.source === 'file' ? kt('fromFile') : kt('savedBy', { version: e.version, by: e.updatedBy ?? '' });
  return el(
    'tr',
    { 'data-intent': e.intent },
    el('td', {}, e.intent),
    el('td', { class: 'kb__title' }, e.title),
    el('td', {}, String(e.questions.length)),
    el('td', { class: 'kb__version' }, version),
    el('td', {}, editButton, deleteButton),
  );
}

function languagePicker(redraw: () => void): HTMLLabelElement {
  const select = el('select', { id: 'kb-locale' }, el('option', { value: 'en' }, 'English'), el('option', { value: 'zh' }, '中文'));
  select.value = lang;
  select.addEventListener('change', () => {
    lang = select.value === 'zh' ? 'zh' : 'en';
    redraw();
  });
  const label = field('language', select);
  label.style.maxWidth = '16em';
  return label;
}

/** Draws the knowledge base view into `container`; `toast` reports results. */
export async function showKnowledgeBase(container: HTMLElement, toast: Toast): Promise<void> {
  const redraw = () => void showKnowledgeBase(container, toast);
  const head = [el('h2', {}, kt('title')), el('p', { class: 'hint' }, kt('hint')), languagePicker(redraw)];
  container.replaceChildren(...head, el('p', { class: 'insights__status' }, kt('loading')));
  const res = await call<{ entries: KbEntry[]; training: Training }>('GET', `/console/api/kb?locale=${lang}`);
  if (!res.ok) return void container.replaceChildren(...head, el('p', { class: 'error' }, `${res.error.code}: ${res.error.message}`));
  const act = async (path: string, body: unknown, done: string) => {
    const r = await call('POST', path, body);
    if (!r.ok) return toast(`${r.error.code}: ${r.error.message}`, true);
    toast(done);
    redraw();
  };
  const path = (intent = '') => `/console/api/kb/${lang}${intent ? `/${encodeURIComponent(intent)}` : ''}`;
  const { form, fill } = entryForm((entry, editing) => {
    const intent = (entry as { intent: string }).intent;
    const body = editing ? { entry, baseVersion: editing.version } : { entry };
    void act(editing ? path(editing.intent) : path(), body, kt('saved', { intent }));
  });
  const remove = (e: KbEntry) => {
    if (window.confirm(kt('confirmDelete', { intent: e.intent }))) void act(`${path(e.intent)}/delete`, { baseVersion: e.version }, kt('deleted', { intent: e.intent }));
  };
  const columns: KbKey[] = ['intent', 'entryTitle', 'questionsCount', 'version', 'action'];
  const table = el(
    'table',
    { id: 'kb-table', class: 'grid' },
    el('thead', {}, el('tr', {}, ...columns.map((k) => el('th', { scope: 'col' }, kt(k))))),
    el('tbody', {}, ...res.value.entries.map((e) => entryRow(e, fill, remove))),
  );
  const newButton = el('button', { type: 'button', id: 'kb-new' }, kt('newEntry'));
  newButton.addEventListener('click', () => fill());
  const status = el('p', { id: 'kb-status', class: 'kb__status', role: 'status' });
  showStatus(status, res.value.training);
  container.replaceChildren(...head, status, table, newButton, form);
}
