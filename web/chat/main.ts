/**
 * The customer chat page. Wires the message list, the composer, the language toggle and the server
 * endpoints. What the server stores is the truth: on load and on every reconnect of the event
 * stream the page fetches the messages after its cursor (agent replies written while it was
 * closed, also across a server restart), showing each message id once. Runs in the browser;
 * imports only types from core.
 */
import type { Locale, OutboundMessage, QuickReply } from '../../core/model';
import { type EventsState, fetchMessages, fetchState, reportTyping, sendMessage, subscribeEvents } from './api';
import { createComposer } from './composer';
import { confirmNewChat } from './confirm';
import { createHeader } from './header';
import { applyUiLocale, browserLocale, t } from './i18n';
import { forgetIdentity, loadIdentity } from './identity';
import type { StoredChatMessage, StreamSignal } from './parse';
import { createAgentTyping, markSeen, typingReporter } from './presence';
import {
  loadConversationId,
  loadCursor,
  loadLocale,
  loadToken,
  loadTranscript,
  newConversationId,
  randomId,
  saveCursor,
  saveLocale,
  saveToken,
  saveTranscript,
  type TranscriptEntry,
} from './persist';
import { followEnd } from './scroll';
import { createUnsent } from './unsent';
import { renderMessage, renderQuickReplies, renderWelcome, retireQuickReplies, setStatus } from './render';

const $ = <T extends HTMLElement>(id: string): T => {
  const node = document.getElementById(id);
  if (!node) throw new Error(`kefu chat: element #${id} is missing from index.html`);
  return node as T;
};

const list = $<HTMLOListElement>('messages');
const scroller = $<HTMLElement>('scroller');
const typing = $<HTMLElement>('typing');
const header = createHeader($('status'), 'en');
const langButtons = Array.from(document.querySelectorAll<HTMLButtonElement>('[data-set-locale]'));

let conversationId = loadConversationId();
let uiLocale: Locale = loadLocale() ?? browserLocale(navigator.languages ?? [navigator.language]);
let transcript: TranscriptEntry[] = loadTranscript(conversationId);
let cursor = loadCursor(conversationId);
/** The conversation's token: from its first answer; until then there is nothing to fetch or listen to. */
let token = loadToken(conversationId);
/** Message ids on screen (from the transcript, the replies, the catch-up fetches): each is shown once. */
let shown = new Set(transcript.flatMap((e) => (e.id ? [e.id] : [])));
/** Who the shop says the customer is (signed by its backend); undefined: a visitor. */
let identity = loadIdentity();
let inFlight = 0;
let stopEvents: () => void = () => {};
const unsent = createUnsent();
/** The agent's last "seen" (a message seq); 0: none. */
let seenSeq = 0;

function setUiLocale(locale: Locale): void {
  uiLocale = locale;
  saveLocale(locale);
  applyUiLocale(document, locale);
  header.locale(locale);
  for (const b of langButtons) b.setAttribute('aria-pressed', String(b.dataset.setLocale === locale));
}

const scrollToEnd = followEnd(scroller, list);

function show(entry: TranscriptEntry): HTMLLIElement {
  const item = renderMessage(entry, location.href);
  if (entry.role === 'customer' && entry.seq) item.dataset.seq = String(entry.seq);
  if (entry.quickReplies?.length) item.appendChild(renderQuickReplies(entry.quickReplies, pressQuickReply));
  applyUiLocale(item, uiLocale);
  list.appendChild(item);
  scrollToEnd(entry.role === 'customer');
  return item;
}

function remember(entry: TranscriptEntry): void {
  transcript.push(entry);
  saveTranscript(conversationId, transcript);
}

function showReply(m: OutboundMessage, id?: string, role: TranscriptEntry['role'] = m.from ?? 'bot'): void {
  if (id) {
    if (shown.has(id)) return;
    shown.add(id);
  }
  const entry: TranscriptEntry = {
    role,
    text: m.text,
    at: Date.now(),
    ...(id ? { id } : {}),
    ...(m.attachments ? { attachments: m.attachments } : {}),
    ...(m.quickReplies ? { quickReplies: m.quickReplies } : {}),
  };
  if (entry.quickReplies) retireQuickReplies(list);
  if (role === 'agent') agentTyping.hide();
  show(entry);
  remember(entry);
}

/** The server's numbering began again (the conversation's messages were erased or expired): follow it from 0. */
function resetCursor(): void {
  cursor = 0;
  saveCursor(conversationId, cursor);
}

function moveCursor(to: number): void {
  if (to <= cursor) return;
  cursor = to;
  saveCursor(conversationId, cursor);
}

/** A turn's stored messages: their ids count as shown, and the cursor moves when they follow it without a gap. */
function tookTurn(messages: readonly StoredChatMessage[]): void {
  for (const m of messages) shown.add(m.id);
  const first = messages[0]?.seq;
  if (first === cursor + 1) moveCursor(messages[messages.length - 1]?.seq ?? cursor);
}

let catchingUp: Promise<void> | undefined;
let catchUpAgain = false;

/** Fetches and shows every message after the cursor (several pages if need be); calls during a fetch run once more after it. */
function catchUp(): Promise<void> {
  if (catchingUp) {
    catchUpAgain = true;
    return catchingUp;
  }
  const forConversation = conversationId;
  catchingUp = (async () => {
    do {
      catchUpAgain = false;
      for (let more = true; more && forConversation === conversationId && token; ) {
        const page = await fetchMessages(forConversation, cursor, token);
        if (!page || forConversation !== conversationId) return;
        if (page.restarted) resetCursor();
        for (const m of page.messages) showStored(m);
        moveCursor(page.cursor);
        more = page.more;
      }
    } while (catchUpAgain);
  })().finally(() => {
    catchingUp = undefined;
  });
  return catchingUp;
}

function showStored(m: StoredChatMessage): void {
  if (m.role === 'customer') {
    if (shown.has(m.id)) return; // written here (a retried send, another tab shows it from its own transcript)
    shown.add(m.id);
    const entry: TranscriptEntry = { role: 'customer', text: m.text, at: Date.now(), id: m.id };
    show(entry);
    remember(entry);
    return;
  }
  showReply(m, m.id, m.role);
  if (m.role === 'agent' || m.role === 'system') setUiLocale(m.locale);
}

function setTyping(delta: number): void {
  inFlight += delta;
  typing.hidden = inFlight === 0;
  if (inFlight > 0) scrollToEnd();
}

/** Sends one customer message; on a network failure it stays on screen with a Retry button. */
/** `again`: already re-sent once in a new conversation (a refusal then is shown, not retried). */
function send(text: string, payload?: string, again = false): void {
  retireQuickReplies(list);
  const messageId = randomId(); // the same id on every retry: the server answers once
  const entry: TranscriptEntry = { role: 'customer', text, at: Date.now(), id: messageId };
  shown.add(messageId);
  const item = show(entry);
  const forConversation = conversationId;

  const attempt = async () => {
    setStatus(item, 'sending', uiLocale);
    composer.alert(undefined);
    setTyping(1);
    const signed = identity ? { identity: identity.identity, identitySignature: identity.signature } : {};
    const result = await sendMessage({ conversationId: forConversation, text, messageId, locale: uiLocale, ...signed, ...(payload ? { payload } : {}) }, token);
    setTyping(-1);
    if (forConversation !== conversationId) return; // the customer started a new chat meanwhile
    if (result.ok) {
      setStatus(item, 'sent', uiLocale);
      unsent.sent(item);
      if (result.response.conversationToken) tookToken(result.response.conversationToken);
      if (result.response.state) showState(result.response.state);
      const seq = result.response.messages.find((m) => m.id === messageId)?.seq;
      if (seq) item.dataset.seq = String(seq);
      remember(seq ? { ...entry, seq } : entry);
      const { replies, messages } = result.response;
      const ids = messages.filter((m) => m.role !== 'customer').map((m) => m.id);
      replies.forEach((m, i) => {
        showReply(m, ids.length === replies.length ? ids[i] : undefined);
      });
      tookTurn(messages);
      if (replies.length) setUiLocale(result.response.locale);
    } else if (result.retryable) {
      setStatus(item, 'failed', uiLocale, () => void attempt());
      unsent.add(item, () => void attempt());
      composer.alert(result.message ? `${t(uiLocale, 'notSent')} ${result.message}` : t(uiLocale, 'offline'));
    } else if (result.code === 'KEFU_ERR_WEB_IDENTITY' && identity) {
      // The shop's signature was refused (expired, or signed with another secret): go on as a visitor.
      console.warn(`kefu chat: the customer identity was refused (${result.message}); continuing as a visitor`);
      forgetIdentity();
      identity = undefined;
      await attempt();
    } else if (result.code === 'KEFU_ERR_WEB_AUTH' && !again) {
      // This page lost the conversation's token (storage cleared, or the first answer never arrived):
      // the conversation cannot be continued from here, so the message opens a new one.
      item.remove();
      startOver();
      send(text, payload, true);
    } else {
      item.remove();
      if (!payload) composer.restore(text);
      composer.alert(`${t(uiLocale, 'rejected')} ${result.message}`);
    }
  };
  void attempt();
}

/** The first answer carried the conversation's token: keep it, and start listening for pushes. */
function tookToken(given: string): void {
  token = given;
  saveToken(conversationId, given);
  listen();
}

function listen(): void {
  stopEvents();
  stopEvents = token ? subscribeEvents(conversationId, token, onSignal, onEventsState) : () => {};
}

function pressQuickReply(q: QuickReply): void {
  send(q.label, q.payload);
  composer.focus();
}

function onEventsState(state: EventsState): void {
  header.connection(state);
  if (state !== 'open') return;
  void refreshState();
  unsent.resendAll(); // the server is back
}

/** How often the state is read again while a person or the queue has the conversation. */
const STATE_REFRESH_MS = 10_000;

/** States shown since the page started; a fetched state older than a pushed one is dropped. */
let statesShown = 0;
function showState(state: Parameters<typeof header.state>[0]): void {
  statesShown += 1;
  header.state(state);
}

async function refreshState(): Promise<void> {
  const forConversation = conversationId;
  const before = statesShown;
  const state = token ? await fetchState(forConversation, token) : undefined;
  // An answer or a pushed state that came while this was on its way is newer: keep it.
  if (state && forConversation === conversationId && before === statesShown) showState(state);
}

function onSignal(signal: StreamSignal): void {
  if (signal.kind === 'state') showState(signal.state);
  else if (signal.kind === 'typing') agentTyping.show(header.current.mode === 'agent' ? header.current.agentName : t(uiLocale, 'agent'), uiLocale);
  else if (signal.kind === 'seen') {
    seenSeq = Math.max(seenSeq, signal.seq);
    markSeen(list, seenSeq, uiLocale);
  } else {
    void catchUp();
    void refreshState(); // new messages (an agent's, a notice) may come with a new state: the header heals itself
  }
}

function start(): void {
  list.replaceChildren();
  list.appendChild(renderWelcome(location.href));
  transcript.forEach((entry, i) => {
    const last = i === transcript.length - 1;
    show(last ? entry : { ...entry, quickReplies: [] });
  });
  document.body.dataset.conversationId = conversationId;
  header.state({ mode: 'bot' });
  void refreshState();
  listen();
  scrollToEnd(true);
}

const agentTyping = createAgentTyping($('agent-typing'), $('agent-typing-label'), () => scrollToEnd());
const composer = createComposer({ form: $('composer'), input: $('input'), send: $('send'), counter: $('counter'), alert: $('composer-alert') }, (text) => send(text));

for (const b of langButtons) b.addEventListener('click', () => setUiLocale(b.dataset.setLocale === 'zh' ? 'zh' : 'en'));
/** Starts over with a new conversation id (New chat, or a conversation this page no longer holds the token of). */
function startOver(): void {
  conversationId = newConversationId();
  transcript = [];
  cursor = 0;
  token = undefined;
  shown = new Set();
  unsent.clear();
  seenSeq = 0;
  agentTyping.hide();
  composer.alert(undefined);
  start();
}

/** New chat: asks first in the page's own dialog, when there is a conversation to lose. */
$('new-chat').addEventListener('click', async () => {
  if (transcript.length && !(await confirmNewChat($<HTMLDialogElement>('confirm-new')))) return;
  startOver();
  composer.focus();
});
$('input').addEventListener(
  'input',
  typingReporter(
    () => token && reportTyping(conversationId, token),
    () => header.current.mode === 'queued' || header.current.mode === 'agent',
  ),
);
window.addEventListener('online', () => unsent.resendAll());

setUiLocale(uiLocale);
start();
// While a person or the queue has the conversation, the state is read again now and then: a push the
// page never received (a stream that dropped silently, as on a phone) cannot leave a stale header.
setInterval(() => {
  if (header.current.mode !== 'bot' && document.visibilityState === 'visible') void refreshState();
}, STATE_REFRESH_MS);
composer.focus();
