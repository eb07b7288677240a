/**
 * DOM for one message. Message text only ever reaches the page through text nodes (textContent);
 * links and images are built as elements whose URL passed {@link safeUrl}. No innerHTML anywhere.
 */
import type { Attachment, Locale, QuickReply } from '../../core/model';
import { applyUiLocale, type UiKey, WELCOME } from './i18n';
import type { Role } from './persist';

const LINK = /\bhttps?:\/\/[^\s<>"'`]+|\bwww\.[^\s<>"'`]+/gi;
const TRAILING = /[.,;:!?'")\]}>。，；：！？）》」]+$/;

/** An absolute http(s) URL, or undefined for anything else (javascript:, data:, garbage). */
export function safeUrl(raw: string, base: string): string | undefined {
  try {
    const url = new URL(raw, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, i18n?: UiKey): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (i18n) node.dataset.i18n = i18n;
  return node;
}

function link(href: string, text: string): HTMLAnchorElement {
  const a = el('a');
  a.href = href;
  a.textContent = text;
  a.target = '_blank';
  a.rel = 'noopener noreferrer nofollow';
  return a;
}

/** Appends `text` to `parent` as text nodes, with http(s) and www. links turned into anchors. */
export function appendLinkified(parent: Node, text: string, base: string): void {
  let last = 0;
  for (const match of text.matchAll(LINK)) {
    const start = match.index ?? 0;
    const raw = match[0].replace(TRAILING, '');
    const href = safeUrl(raw.startsWith('www.') ? `https://${raw}` : raw, base);
    if (!href || !raw) continue;
    if (start > last) parent.appendChild(document.createTextNode(text.slice(last, start)));
    parent.appendChild(link(href, raw));
    last = start + raw.length;
  }
  if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
}

function renderAttachment(a: Attachment, base: string): HTMLElement | undefined {
  const href = a.url ? safeUrl(a.url, base) : undefined;
  if (!href) return undefined;
  if (a.kind === 'image') {
    const wrap = link(href, '');
    wrap.className = 'msg__image';
    const img = el('img');
    img.src = href;
    img.alt = a.name ?? '';
    img.loading = 'lazy';
    img.decoding = 'async';
    wrap.appendChild(img);
    return wrap;
  }
  const file = link(href, a.name ?? href);
  file.className = 'msg__file';
  return file;
}

export interface MessageView {
  role: Role;
  text: string;
  at: number;
  attachments?: readonly Attachment[];
}

const LABEL: Partial<Record<Role, UiKey>> = { agent: 'agent' };

/** One `<li>` of the message list. */
export function renderMessage(m: MessageView, base: string): HTMLLIElement {
  const item = el('li', `msg msg--${m.role}`);
  const label = LABEL[m.role];
  if (label) item.appendChild(el('span', 'msg__label', label));
  const bubble = el('div', 'msg__bubble');
  if (m.text) {
    const p = el('p', 'msg__text');
    appendLinkified(p, m.text, base);
    bubble.appendChild(p);
  }
  for (const a of m.attachments ?? []) {
    const node = renderAttachment(a, base);
    if (node) bubble.appendChild(node);
  }
  item.appendChild(bubble);
  if (m.role !== 'system') {
    const meta = el('div', 'msg__meta');
    const time = el('time', 'msg__time');
    const date = new Date(m.at);
    time.dateTime = date.toISOString();
    time.textContent = `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
    meta.appendChild(time);
    item.appendChild(meta);
  }
  return item;
}

/** The buttons under a bot message; `onPick` runs once, then every button of the group is disabled. */
export function renderQuickReplies(replies: readonly QuickReply[], onPick: (q: QuickReply) => void): HTMLDivElement {
  const group = el('div', 'quick-replies');
  group.setAttribute('role', 'group');
  group.dataset.i18nAriaLabel = 'quickReplies';
  for (const q of replies) {
    const b = el('button', 'quick-reply');
    b.type = 'button';
    b.textContent = q.label;
    b.addEventListener('click', () => {
      b.classList.add('quick-reply--picked');
      onPick(q);
    });
    group.appendChild(b);
  }
  return group;
}

/** Disables every quick-reply button under `root` (they belong to an earlier turn now). */
export function retireQuickReplies(root: ParentNode): void {
  for (const b of root.querySelectorAll<HTMLButtonElement>('.quick-reply')) b.disabled = true;
  for (const g of root.querySelectorAll<HTMLElement>('.quick-replies')) g.classList.add('quick-replies--used');
}

/** The greeting shown before the first exchange, in both languages (we do not know which one yet). */
export function renderWelcome(base: string): HTMLLIElement {
  const item = renderMessage({ role: 'bot', text: '', at: Date.now() }, base);
  item.classList.add('msg--welcome');
  item.querySelector('.msg__meta')?.remove();
  const bubble = item.querySelector('.msg__bubble');
  for (const [lang, text] of Object.entries(WELCOME)) {
    const p = el('p', 'msg__text');
    p.lang = lang === 'zh' ? 'zh-CN' : 'en';
    p.textContent = text;
    bubble?.appendChild(p);
  }
  return item;
}

/** A customer message's delivery: sending, not sent (with Retry), or sent (no mark). */
export function setStatus(item: HTMLLIElement, state: 'sending' | 'failed' | 'sent', locale: Locale, retry?: () => void): void {
  item.classList.toggle('msg--pending', state === 'sending');
  item.classList.toggle('msg--failed', state === 'failed');
  const meta = item.querySelector('.msg__meta');
  meta?.querySelector('.msg__status')?.remove();
  if (state === 'sent' || !meta) return;
  const span = el('span', 'msg__status');
  span.appendChild(el('span', undefined, state === 'sending' ? 'sending' : 'notSent'));
  if (retry) {
    const button = el('button', 'msg__retry', 'retry');
    button.type = 'button';
    button.addEventListener('click', retry);
    span.appendChild(button);
  }
  meta.appendChild(span);
  applyUiLocale(span, locale);
}
