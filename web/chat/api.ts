/**
 * The server endpoints the page uses: POST a message, fetch what it missed after its cursor, and
 * listen for the signal that something arrived (SSE).
 */
import type { Locale } from '../../core/model';
import { type ChatState, type HistoryResponse, parseErrorBody, parseHistory, parseReplyResponse, parseSignal, parseState, type ReplyResponse, type StreamSignal } from './parse';

export interface OutgoingMessage {
  conversationId: string;
  text: string;
  payload?: string;
  /** Same id on every retry of one message, so the server answers it once. */
  messageId: string;
  locale?: Locale;
  /** The shop's signed customer identity, when the page was given one (see identity.ts). */
  identity?: string;
  identitySignature?: string;
}

export type SendResult =
  | { ok: true; response: ReplyResponse }
  /** The server refused this message (4xx); retrying the same message will not help. */
  | { ok: false; retryable: false; message: string; code: string }
  /** Network trouble or a server fault: the message is kept and can be retried as is. */
  | { ok: false; retryable: true; message?: string };

const SEND_TIMEOUT_MS = 30_000;

const bearer = (token: string | undefined): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {});

/** `token`: the conversation's token, once the page has it (the first message goes without). */
export async function sendMessage(message: OutgoingMessage, token?: string, fetchImpl: typeof fetch = fetch): Promise<SendResult> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), SEND_TIMEOUT_MS);
  let res: Response;
  let body: unknown;
  try {
    res = await fetchImpl('/api/web/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(token) },
      body: JSON.stringify(message),
      signal: abort.signal,
    });
    body = await res.json().catch(() => undefined);
  } catch {
    return { ok: false, retryable: true };
  } finally {
    clearTimeout(timer);
  }
  if (res.ok) {
    const response = parseReplyResponse(body);
    return response ? { ok: true, response } : { ok: false, retryable: true };
  }
  const error = parseErrorBody(body);
  if (res.status >= 400 && res.status < 500) {
    return { ok: false, retryable: false, code: error?.code ?? `HTTP_${res.status}`, message: error?.message ?? `HTTP ${res.status}` };
  }
  return error ? { ok: false, retryable: true, message: error.message } : { ok: false, retryable: true };
}

/** The conversation's messages after seq `after` (one page), or undefined when the server cannot be reached. */
export async function fetchMessages(conversationId: string, after: number, token: string, fetchImpl: typeof fetch = fetch): Promise<HistoryResponse | undefined> {
  try {
    const res = await fetchImpl(`/api/web/messages?conversationId=${encodeURIComponent(conversationId)}&after=${after}`, {
      headers: { accept: 'application/json', ...bearer(token) },
    });
    if (!res.ok) return undefined;
    return parseHistory(await res.json());
  } catch {
    return undefined;
  }
}

/** Who the customer is talking to now, or undefined when the server cannot be reached. */
export async function fetchState(conversationId: string, token: string): Promise<ChatState | undefined> {
  try {
    const res = await fetch(`/api/web/state?conversationId=${encodeURIComponent(conversationId)}`, { headers: { accept: 'application/json', ...bearer(token) } });
    return res.ok ? parseState(((await res.json()) as { state?: unknown }).state) : undefined;
  } catch {
    return undefined;
  }
}

/** Tells the agent the customer is typing (the caller sends at most one every few seconds); failures do not matter. */
export function reportTyping(conversationId: string, token: string): void {
  fetch('/api/web/typing', { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(token) }, body: JSON.stringify({ conversationId }) }).catch(() => {});
}

export type EventsState = 'open' | 'reconnecting';

/**
 * Listens to `/api/web/events` for one conversation: each event says a message arrived (the page
 * then fetches after its cursor), and each (re)connect is a chance to catch up. EventSource retries
 * by itself after a dropped connection, but gives up for good when a (re)connect gets an error
 * status; then we reopen it ourselves with a growing delay. Returns a function that stops listening.
 */
/** A short-lived ticket to open the event stream (EventSource cannot send the token as a header). */
async function streamTicket(conversationId: string, token: string): Promise<string | undefined> {
  try {
    const res = await fetch('/api/web/events/ticket', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(token) },
      body: JSON.stringify({ conversationId }),
    });
    if (!res.ok) return undefined;
    const body = (await res.json()) as { ticket?: unknown };
    return typeof body.ticket === 'string' ? body.ticket : undefined;
  } catch {
    return undefined;
  }
}

export function subscribeEvents(conversationId: string, token: string, onSignal: (s: StreamSignal) => void, onState: (s: EventsState) => void): () => void {
  let source: EventSource | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let delay = 1000;
  let stopped = false;

  const retry = () => {
    if (stopped) return;
    timer = setTimeout(() => void open(), delay);
    delay = Math.min(delay * 2, 30_000);
  };
  const open = async () => {
    const ticket = await streamTicket(conversationId, token); // a fresh one for every (re)open
    if (stopped) return;
    if (!ticket) {
      onState('reconnecting');
      retry();
      return;
    }
    source = new EventSource(`/api/web/events?conversationId=${encodeURIComponent(conversationId)}&ticket=${encodeURIComponent(ticket)}`);
    source.onopen = () => {
      delay = 1000;
      onState('open');
      onSignal({ kind: 'messages' }); // anything written while we were away
    };
    source.onmessage = (e) => onSignal(parseSignal(e.data));
    source.onerror = () => {
      onState('reconnecting');
      // EventSource retries a dropped stream by itself, with the same ticket; once that is refused
      // (the ticket expired) it closes for good, and a new ticket opens it again.
      if (source?.readyState !== EventSource.CLOSED || stopped) return;
      retry();
    };
  };
  void open();
  return () => {
    stopped = true;
    clearTimeout(timer);
    source?.close();
  };
}
