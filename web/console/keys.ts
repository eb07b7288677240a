/**
 * The keyboard: Enter sends a reply or answer and Shift+Enter adds a line (Ctrl/⌘+Enter sends
 * too), canned-response suggestions take ↑/↓/Enter/Tab/Escape first; `?` shows the shortcut list,
 * `/` outside a text box goes to the search, Alt+↓/↑ open the next or previous conversation of the
 * lists; the tab bar moves with ←/→/Home/End (one tab stop, as the ARIA tabs pattern says).
 */
import { onComposeInput, onComposeKey } from './canned';
import { type DeskKey, dt } from './desk-i18n';
import { el } from './render';

const typing = (t: EventTarget | null) => t instanceof HTMLElement && (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName));

const SHORTCUTS: Array<[string, DeskKey]> = [
  ['Enter', 'keyEnter'],
  ['Shift + Enter', 'keyShiftEnter'],
  ['/', 'keySlash'],
  ['↑ ↓ ← →', 'keyArrows'],
  ['Tab', 'keyTabAccept'],
  ['Alt + ↓ / ↑', 'keyNext'],
  ['Esc', 'keyEsc'],
  ['?', 'keyHelp'],
];

/** Fills the shortcut dialog in the view's language. */
export function drawShortcuts(): void {
  const list = document.getElementById('keys-list');
  const title = document.getElementById('keys-title');
  const close = document.getElementById('keys-close');
  if (title) title.textContent = dt('keysTitle');
  if (close) close.textContent = dt('close');
  list?.replaceChildren(...SHORTCUTS.map(([k, text]) => el('div', { class: 'keys__row' }, el('dt', {}, el('kbd', {}, k)), el('dd', {}, dt(text)))));
}

function showShortcuts(): void {
  const dialog = document.getElementById('keys') as HTMLDialogElement | null;
  if (!dialog || dialog.open) return;
  drawShortcuts();
  dialog.showModal();
}

function onComposeKeydown(e: KeyboardEvent): void {
  const field = e.target;
  if (!(field instanceof HTMLTextAreaElement) || !field.dataset.compose) return;
  if (onComposeKey(e)) {
    e.preventDefault();
    return;
  }
  if (e.key !== 'Enter' || e.isComposing || (e.shiftKey && !e.ctrlKey && !e.metaKey)) return;
  e.preventDefault();
  field.form?.requestSubmit();
}

/** Alt+↓/↑: the next or previous item of the side lists (search hits included). */
function step(by: 1 | -1): void {
  const items = [...document.querySelectorAll<HTMLButtonElement>('.side button.item')].filter((b) => b.offsetParent !== null);
  const at = items.findIndex((b) => b.classList.contains('item--selected'));
  const next = items[at === -1 ? 0 : (at + by + items.length) % items.length];
  next?.click();
  next?.focus();
}

function onTabsKeydown(e: KeyboardEvent): void {
  const tabs = [...document.querySelectorAll<HTMLButtonElement>('#tabs [role="tab"]')].filter((t) => !t.hidden);
  const at = tabs.indexOf(e.target as HTMLButtonElement);
  if (at === -1) return;
  const to = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: tabs.length - 1 }[e.key];
  if (to === undefined) return;
  e.preventDefault();
  const tab = tabs[(to + tabs.length) % tabs.length];
  tab?.focus();
  tab?.click();
}

export function mountKeys(): void {
  const view = document.getElementById('view');
  view?.addEventListener('keydown', onComposeKeydown);
  view?.addEventListener('input', (e) => {
    if (e.target instanceof HTMLTextAreaElement && e.target.dataset.compose) onComposeInput(e.target);
  });
  document.getElementById('tabs')?.addEventListener('keydown', onTabsKeydown);
  document.getElementById('keys-close')?.addEventListener('click', () => (document.getElementById('keys') as HTMLDialogElement | null)?.close());
  document.getElementById('shortcuts')?.addEventListener('click', showShortcuts);
  document.addEventListener('keydown', (e) => {
    if (e.altKey && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
      e.preventDefault();
      return step(e.key === 'ArrowDown' ? 1 : -1);
    }
    if (typing(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === '?') {
      e.preventDefault();
      showShortcuts();
    } else if (e.key === '/') {
      e.preventDefault();
      document.getElementById('search')?.focus();
    }
  });
}
