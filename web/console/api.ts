/** The console's calls to the server. Types only from core; errors come back as `{ code, message }`. */
import type { StoredMessage } from '../../core/data/messages';
import type { AgentView, HandoffRecord, QueueEntry, Ticket } from '../../plugins/handoff/types';

export interface ApiError {
  code: string;
  message: string;
}

/** The first page of each side list; the lists page further through their own endpoints. */
export interface ConsoleState {
  me?: AgentView;
  /** What the logged-in staff member may do (docs/roles.md). */
  role: 'agent' | 'supervisor' | 'admin';
  agents: AgentView[];
  queue: QueueEntry[];
  /** Everyone waiting (the queue above is its first page). */
  queueSize: number;
  assigned: HandoffRecord[];
  tickets: Ticket[];
}

export interface ConversationView {
  record: HandoffRecord;
  /** The conversation's latest messages (customer, bot, agents, notes), oldest first. */
  transcript: StoredMessage[];
  profile: HandoffRecord['customer'];
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Outcome<T>> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      // Under the pages' no-referrer policy the Fetch standard sends `Origin: null` on POSTs; the server's CSRF check needs the real one.
      referrerPolicy: 'same-origin',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    return { ok: false, error: { code: 'NETWORK', message: 'The server cannot be reached; check the connection and try again.' } };
  }
  const json = (await res.json().catch(() => ({}))) as { error?: ApiError } & T;
  if (!res.ok) return { ok: false, error: json.error ?? { code: `HTTP_${res.status}`, message: res.statusText } };
  return { ok: true, value: json };
}

export const conversationPath = (key: string, action = '') => `/console/api/conversations/${encodeURIComponent(key)}${action ? `/${action}` : ''}`;
export const ticketPath = (id: string, action = '') => `/console/api/tickets/${encodeURIComponent(id)}${action ? `/${action}` : ''}`;

/** Opens the live socket; reconnects after a drop. Returns a stop function. */
export function connectLive(onMessage: (data: unknown) => void, onState: (state: 'live' | 'down') => void): () => void {
  let ws: WebSocket | undefined;
  let stopped = false;
  let retry: number | undefined;
  const open = () => {
    const proto = location.protocol === 'https:' ? 'wss' : 'ws';
    ws = new WebSocket(`${proto}://${location.host}/console/ws`);
    ws.onopen = () => onState('live');
    ws.onmessage = (m) => {
      try {
        onMessage(JSON.parse(String(m.data)));
      } catch {
        /* a malformed frame is ignored; the next refresh repairs the view */
      }
    };
    ws.onclose = () => {
      onState('down');
      if (!stopped) retry = window.setTimeout(open, 2000);
    };
  };
  open();
  return () => {
    stopped = true;
    if (retry) clearTimeout(retry);
    ws?.close();
  };
}
