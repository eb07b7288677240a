/**
 * Typing and "seen" in the console (never stored): the customer's typing shows under the open
 * conversation for 6 s after each signal; the agent's typing in the reply box is told to the
 * customer's page (at most once per 3 s), and an agent with the conversation open tells the page
 * they have seen the customer's latest message.
 */
import type { StoredMessage } from '../../core/data/messages';
import { call, conversationPath } from './api';
import { dt } from './desk-i18n';

const SHOW_MS = 6000;
const SEND_EVERY_MS = 3000;
let hideTimer: number | undefined;
let lastTyping = 0;
const seenSent = new Map<string, number>();
/** Until when the customer's "typing…" shows, by conversation: a redraw of the view puts it back. */
const typingUntil = new Map<string, number>();

/** A `handoff.typing` event from the customer of the open conversation: "typing…" for a few seconds. */
export function showCustomerTyping(key: string): void {
  typingUntil.set(key, Date.now() + SHOW_MS);
  drawCustomerTyping(key, SHOW_MS);
}

/** After the open conversation was drawn again: its "typing…" line, if it still shows. */
export function restoreCustomerTyping(key: string): void {
  const left = (typingUntil.get(key) ?? 0) - Date.now();
  if (left > 0) drawCustomerTyping(key, left);
}

function drawCustomerTyping(key: string, forMs: number): void {
  const view = document.querySelector<HTMLElement>(`.conversation[data-key="${CSS.escape(key)}"]`);
  if (!view) return;
  let line = view.querySelector<HTMLElement>('#customer-typing');
  if (!line) {
    line = Object.assign(document.createElement('p'), { id: 'customer-typing', className: 'typing' });
    line.setAttribute('role', 'status');
    view.querySelector('.transcript')?.after(line);
  }
  line.textContent = dt('customerTyping');
  line.hidden = false;
  window.clearTimeout(hideTimer);
  hideTimer = window.setTimeout(() => {
    if (line) line.hidden = true;
  }, forMs);
}

/** The agent typing a reply tells the customer's page, at most once per 3 s (a sent reply starts a new burst). */
export function wireAgentTyping(openKey: () => string | undefined): void {
  document.addEventListener('submit', () => {
    lastTyping = 0;
  });
  document.addEventListener('input', (e) => {
    const box = e.target as HTMLElement | null;
    const key = openKey();
    if (!key || box?.dataset.compose !== 'reply' || Date.now() - lastTyping < SEND_EVERY_MS) return;
    lastTyping = Date.now();
    void call('POST', conversationPath(key, 'typing'));
  });
}

/** The agent has the conversation open: the customer's latest message is seen (told once per message). */
export function tellSeen(key: string, transcript: readonly StoredMessage[], assignedToMe: boolean): void {
  const last = [...transcript].reverse().find((m) => m.from === 'customer');
  if (!assignedToMe || !last || (seenSent.get(key) ?? -1) >= last.seq) return;
  seenSent.set(key, last.seq);
  void call('POST', conversationPath(key, 'seen'), { seq: last.seq });
}
