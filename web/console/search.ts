/**
 * The search box over the side lists: 300 ms after the agent stops typing (2 characters or more)
 * it asks GET /console/api/search and lists the hits above the queue; Escape or an empty box
 * hides them. A hit opens like any list item (its button carries data-key or data-ticket).
 */
import type { HandoffRecord, Ticket } from '../../plugins/handoff/types';
import { call } from './api';
import { dt } from './desk-i18n';
import { conversationItem, type ListContext, ticketItem } from './render';
import { stateText } from './conversation-view';

type Hit = { kind: 'conversation'; record: HandoffRecord } | { kind: 'ticket'; ticket: Ticket };
interface Results {
  items: Hit[];
  next?: string;
  window: number;
}

const DEBOUNCE_MS = 300;

export function mountSearch(context: () => ListContext): { redraw(): void } {
  const input = document.getElementById('search') as HTMLInputElement;
  const box = document.getElementById('search-results') as HTMLElement;
  const list = document.getElementById('search-list') as HTMLUListElement;
  const note = document.getElementById('search-note') as HTMLElement;
  let timer: number | undefined;
  let asked = 0;
  let hits: Hit[] = [];
  let next: string | undefined;
  let query = '';

  const draw = () => {
    const ctx = context();
    const items = hits.map((h) => (h.kind === 'conversation' ? conversationItem(h.record, stateText(h.record), ctx) : ticketItem(h.ticket, ctx)));
    list.replaceChildren(...items);
    if (!items.length) list.append(Object.assign(document.createElement('li'), { className: 'list__none', textContent: dt('searchNone') }));
    if (next) {
      const more = Object.assign(document.createElement('button'), { type: 'button', id: 'search-more', textContent: dt('searchMore') });
      more.addEventListener('click', () => void ask(query, next));
      const li = document.createElement('li');
      li.append(more);
      list.append(li);
    }
  };

  async function ask(q: string, after?: string): Promise<void> {
    const mine = ++asked;
    const res = await call<Results>('GET', `/console/api/search?q=${encodeURIComponent(q)}${after ? `&after=${after}` : ''}`);
    if (mine !== asked || !res.ok) return; // a later keystroke won
    hits = after ? [...hits, ...res.value.items] : res.value.items;
    next = res.value.next;
    note.textContent = dt('searchWindow', { window: res.value.window });
    box.hidden = false;
    draw();
  }

  const clear = () => {
    asked++;
    hits = [];
    next = undefined;
    box.hidden = true;
  };

  input.addEventListener('input', () => {
    window.clearTimeout(timer);
    query = input.value.trim();
    if (query.length < 2) return clear();
    timer = window.setTimeout(() => void ask(query), DEBOUNCE_MS);
  });
  input.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape') return;
    input.value = '';
    clear();
  });
  return { redraw: () => !box.hidden && draw() };
}
