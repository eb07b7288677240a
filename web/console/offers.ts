/**
 * Offers: routing offers a waiting conversation to one agent, who accepts or declines before it
 * expires (then it goes to the next agent). Each offer to the logged-in agent is a card above the
 * desk with the customer, topic and language, Accept and Decline, and a countdown. Accept is
 * POST /console/api/conversations/:key/accept, Decline …/decline.
 */
import type { HandoffRecord } from '../../plugins/handoff/types';
import { conversationPath } from './api';
import { dt, dtOr } from './desk-i18n';
import { customerName, topicLabel } from './names';
import { el } from './render';

/** A queued record as the presence work extends it: the agent it is offered to, until when. */
export type OfferedRecord = HandoffRecord & { offer?: { agentId: string; at: number; expiresAt: number } };

type Act = (path: string, done: 'done_accepted' | 'done_declined', key: string) => void;

let timer: number | undefined;

export function offersFor(records: readonly HandoffRecord[], me: string, now = Date.now()): OfferedRecord[] {
  return (records as readonly OfferedRecord[]).filter((r) => r.state === 'queued' && r.offer?.agentId === me && r.offer.expiresAt > now);
}

function card(r: OfferedRecord, act: Act): HTMLElement {
  const expiresAt = r.offer?.expiresAt ?? Date.now();
  const accept = el('button', { type: 'button', class: 'offer__accept', 'data-key': r.key }, dt('accept'));
  const decline = el('button', { type: 'button', class: 'offer__decline', 'data-key': r.key }, dt('decline'));
  accept.addEventListener('click', () => act(conversationPath(r.key, 'accept'), 'done_accepted', r.key));
  decline.addEventListener('click', () => act(conversationPath(r.key, 'decline'), 'done_declined', r.key));
  const titleId = `offer-title-${r.id}`;
  return el(
    'section',
    { class: 'offer', 'data-key': r.key, 'data-expires': String(expiresAt), 'aria-labelledby': titleId },
    el('h2', { id: titleId, class: 'offer__title' }, dt('offerTitle')),
    el('p', { class: 'offer__body' }, dt('offerBody', { who: customerName(r.customer, r.ref), topic: topicLabel(r.intent), lang: dtOr(`lang_${r.locale}`, r.locale) })),
    el('p', { class: 'offer__countdown' }),
    el('div', { class: 'offer__actions' }, accept, decline),
  );
}

function tick(box: HTMLElement): void {
  const now = Date.now();
  for (const c of box.querySelectorAll<HTMLElement>('.offer')) {
    const left = Math.ceil((Number(c.dataset.expires) - now) / 1000);
    if (left <= 0) c.remove();
    else {
      const text = c.querySelector('.offer__countdown');
      if (text) text.textContent = dt('offerCountdown', { s: left });
    }
  }
  box.hidden = !box.children.length;
  if (box.hidden) {
    window.clearInterval(timer);
    timer = undefined;
  }
}

/** Draws the offers to `me` (keeps a card that is already shown, so its buttons keep focus). */
export function showOffers(records: readonly HandoffRecord[], me: string, act: Act): OfferedRecord[] {
  const box = document.getElementById('offers');
  if (!box) return [];
  const offers = offersFor(records, me);
  const keys = new Set(offers.map((o) => o.key));
  for (const c of box.querySelectorAll<HTMLElement>('.offer')) if (!keys.has(c.dataset.key ?? '')) c.remove();
  const shown = new Set([...box.querySelectorAll<HTMLElement>('.offer')].map((c) => c.dataset.key));
  const fresh = offers.filter((o) => !shown.has(o.key));
  for (const o of fresh) box.append(card(o, act));
  tick(box);
  if (!box.hidden && timer === undefined) timer = window.setInterval(() => tick(box), 1000);
  return fresh;
}
