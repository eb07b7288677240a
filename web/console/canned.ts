/**
 * Canned responses in the reply box: typing `/` and a few letters lists the matching shortcuts;
 * ↑/↓ choose, Enter or Tab inserts the text in the conversation's language (the other one when it
 * has none), Escape closes. The list comes from GET /console/api/canned.
 */
import { call } from './api';
import { dt } from './desk-i18n';
import { el } from './render';

export interface Canned {
  shortcut: string;
  texts: { en?: string; zh?: string };
  by: string;
  updatedAt: number;
}

let items: Canned[] = [];
let editable = false;
let open: { field: HTMLTextAreaElement; start: number; matches: Canned[]; active: number } | undefined;

export async function loadCanned(): Promise<{ items: Canned[]; editable: boolean }> {
  const res = await call<{ items: Canned[]; editable: boolean }>('GET', '/console/api/canned');
  if (res.ok) ({ items, editable } = res.value);
  return { items, editable };
}

export function cannedText(c: Canned, locale: string | undefined): string {
  return (locale === 'zh' ? (c.texts.zh ?? c.texts.en) : (c.texts.en ?? c.texts.zh)) ?? '';
}

const localeOf = (field: HTMLElement) => field.closest<HTMLElement>('[data-locale]')?.dataset.locale;

/** The `/word` being typed at the cursor (at the start or after a space), if any. */
function tokenAt(field: HTMLTextAreaElement): { start: number; word: string } | undefined {
  const before = field.value.slice(0, field.selectionStart ?? field.value.length);
  const m = /(^|\s)\/([a-z0-9_-]*)$/i.exec(before);
  return m ? { start: before.length - (m[2]?.length ?? 0) - 1, word: (m[2] ?? '').toLowerCase() } : undefined;
}

function close(): void {
  if (!open) return;
  open.field.removeAttribute('aria-activedescendant');
  open.field.setAttribute('aria-expanded', 'false');
  document.getElementById('canned-suggest')?.remove();
  open = undefined;
}

function draw(): void {
  if (!open) return;
  const { field, matches, active } = open;
  const locale = localeOf(field);
  const list = el('ul', { id: 'canned-suggest', class: 'canned-suggest', role: 'listbox', 'aria-label': dt('cannedSuggestions') });
  matches.forEach((c, i) => {
    const option = el(
      'li',
      { id: `canned-opt-${c.shortcut}`, role: 'option', 'aria-selected': String(i === active), 'data-shortcut': c.shortcut },
      el('strong', {}, `/${c.shortcut}`),
      ` ${cannedText(c, locale)}`,
    );
    option.addEventListener('mousedown', (e) => {
      e.preventDefault();
      if (open) open.active = i;
      insert();
    });
    list.append(option);
  });
  document.getElementById('canned-suggest')?.remove();
  field.form?.after(list);
  field.setAttribute('aria-controls', 'canned-suggest');
  field.setAttribute('aria-expanded', 'true');
  field.setAttribute('aria-activedescendant', `canned-opt-${matches[active]?.shortcut}`);
}

function insert(): void {
  if (!open) return;
  const { field, start, matches, active } = open;
  const c = matches[active];
  if (!c) {
    close();
    return;
  }
  const end = field.selectionStart ?? field.value.length;
  const text = cannedText(c, localeOf(field));
  field.value = field.value.slice(0, start) + text + field.value.slice(end);
  field.selectionStart = field.selectionEnd = start + text.length;
  close();
  field.dispatchEvent(new Event('input', { bubbles: true }));
}

/** Updates the suggestions as the agent types in a reply or answer box. */
export function onComposeInput(field: HTMLTextAreaElement): void {
  const token = tokenAt(field);
  const matches = token ? items.filter((c) => c.shortcut.startsWith(token.word)) : [];
  if (!token || !matches.length) {
    close();
    return;
  }
  open = { field, start: token.start, matches, active: 0 };
  draw();
}

/** Handles a key in a reply box while suggestions are open; true when it took the key. */
export function onComposeKey(e: KeyboardEvent): boolean {
  if (!open || e.target !== open.field) return false;
  if (e.key === 'Enter' || e.key === 'Tab') {
    insert();
    return true;
  }
  if (e.key === 'Escape') {
    close();
    return true;
  }
  if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return false;
  const n = open.matches.length;
  open.active = (open.active + (e.key === 'ArrowDown' ? 1 : n - 1)) % n;
  draw();
  return true;
}

export const cannedEditable = () => editable;
export const cannedItems = () => items;
