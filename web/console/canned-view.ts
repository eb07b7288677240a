/**
 * The Canned responses tab: every staff member sees the list; supervisors and admins add, edit and
 * delete (POST /console/api/canned[/:shortcut[/delete]], audited). Saving reloads the list the
 * reply boxes expand from.
 */
import { call } from './api';
import { type Canned, loadCanned } from './canned';
import { dt } from './desk-i18n';
import { el } from './render';

type Toast = (text: string, error?: boolean) => void;

function field(id: string, label: string, control: HTMLInputElement | HTMLTextAreaElement): HTMLLabelElement {
  control.id = id;
  return el('label', { class: 'canned__field', for: id }, label, control);
}

function editor(panel: HTMLElement, toast: Toast, editing?: Canned): HTMLFormElement {
  const shortcut = el('input', { required: '', pattern: '[a-z0-9][a-z0-9_-]{0,31}', autocomplete: 'off' });
  const en = el('textarea', { rows: '2' });
  const zh = el('textarea', { rows: '2' });
  shortcut.value = editing?.shortcut ?? '';
  en.value = editing?.texts.en ?? '';
  zh.value = editing?.texts.zh ?? '';
  const form = el(
    'form',
    { id: 'canned-form', class: 'canned__form' },
    el('h3', {}, editing ? dt('cannedEditing', { shortcut: editing.shortcut }) : dt('cannedNew')),
    field('canned-shortcut', dt('cannedShortcut'), shortcut),
    field('canned-en', dt('cannedEn'), en),
    field('canned-zh', dt('cannedZh'), zh),
    el('button', { id: 'canned-save', type: 'submit' }, dt('cannedSave')),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const texts = { ...(en.value.trim() ? { en: en.value.trim() } : {}), ...(zh.value.trim() ? { zh: zh.value.trim() } : {}) };
    const path = editing ? `/console/api/canned/${encodeURIComponent(editing.shortcut)}` : '/console/api/canned';
    const res = await call<{ item: Canned }>('POST', path, { shortcut: shortcut.value.trim(), texts });
    if (!res.ok) return toast(`${res.error.code}: ${res.error.message}`, true);
    toast(dt('cannedSaved', { shortcut: res.value.item.shortcut }));
    await showCanned(panel, toast);
  });
  return form;
}

function row(c: Canned, editable: boolean, onEdit: () => void, onDelete: () => void): HTMLTableRowElement {
  const actions = el('td', { class: 'canned__actions' });
  if (editable) {
    const edit = el('button', { type: 'button', class: 'canned__edit' }, dt('cannedEdit'));
    const del = el('button', { type: 'button', class: 'canned__delete' }, dt('cannedDelete'));
    edit.addEventListener('click', onEdit);
    del.addEventListener('click', onDelete);
    actions.append(edit, del);
  }
  return el(
    'tr',
    { 'data-shortcut': c.shortcut },
    el('td', { class: 'canned__shortcut' }, `/${c.shortcut}`),
    el('td', { lang: 'en' }, c.texts.en ?? '—'),
    el('td', { lang: 'zh-CN' }, c.texts.zh ?? '—'),
    el('td', {}, c.by),
    ...(editable ? [actions] : []),
  );
}

export async function showCanned(panel: HTMLElement, toast: Toast): Promise<void> {
  const { items, editable } = await loadCanned();
  const head = el('tr', {}, ...['cannedShortcut', 'cannedEn', 'cannedZh', 'cannedBy'].map((k) => el('th', { scope: 'col' }, dt(k as 'cannedEn'))));
  if (editable) head.append(el('th', { scope: 'col' }, dt('cannedAction')));
  const body = el('tbody', {});
  const table = el('table', { id: 'canned-table', class: 'grid' }, el('caption', {}, dt('cannedTitle')), el('thead', {}, head), body);
  const slot = el('div', { id: 'canned-editor' });
  const edit = (c?: Canned) => slot.replaceChildren(editor(panel, toast, c));
  for (const c of items)
    body.append(
      row(
        c,
        editable,
        () => edit(c),
        async () => {
          if (!window.confirm(dt('cannedConfirmDelete', { shortcut: c.shortcut }))) return;
          const res = await call('POST', `/console/api/canned/${encodeURIComponent(c.shortcut)}/delete`, {});
          if (!res.ok) return toast(`${res.error.code}: ${res.error.message}`, true);
          toast(dt('cannedDeleted', { shortcut: c.shortcut }));
          await showCanned(panel, toast);
        },
      ),
    );
  if (!items.length) body.append(el('tr', {}, el('td', { colspan: editable ? '5' : '4' }, dt('cannedEmpty'))));
  panel.replaceChildren(el('h2', {}, dt('cannedTitle')), el('p', { class: 'hint' }, dt(editable ? 'cannedHintEdit' : 'cannedHint')), el('div', { class: 'scroll-x' }, table), slot);
  if (editable) edit();
}
