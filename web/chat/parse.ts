/**
 * Hand-written guards for what the server sends (the browser bundle carries no zod). Everything
 * from the network is `unknown` until it passes through here; bad parts are dropped, not trusted.
 */
import type { Attachment, Locale, OutboundMessage, QuickReply } from '../../core/model';

/** A message as the server stored it: what to show, with its id (dedupe) and seq (the page's cursor). */
export interface StoredChatMessage extends OutboundMessage {
  id: string;
  seq: number;
  role: 'customer' | 'bot' | 'agent' | 'system';
}

/** Who the customer is talking to (adapters/web/state.ts), as the header says it. */
export type ChatState = { mode: 'bot' } | { mode: 'queued'; position?: number } | { mode: 'agent'; agentName: string } | { mode: 'ticket'; ticketId: string };

/** What the event stream says besides "a message arrived" (adapters/web/signals.ts). */
export type StreamSignal = { kind: 'state'; state: ChatState } | { kind: 'typing' } | { kind: 'seen'; seq: number } | { kind: 'messages' };

export interface ReplyResponse {
  conversationId: string;
  /** Who answers now (absent from an older server). */
  state?: ChatState;
  locale: Locale;
  duplicate: boolean;
  replies: OutboundMessage[];
  /** The turn's stored messages (the customer's, then the replies), when the server sent them. */
  messages: StoredChatMessage[];
  /** The conversation's token, given once with its first answer. */
  conversationToken?: string;
}

export interface HistoryResponse {
  messages: StoredChatMessage[];
  cursor: number;
  more: boolean;
  /** The page's cursor was past every message the server keeps (erased or expired; numbering began again at 1). */
  restarted?: boolean;
}

export interface ErrorBody {
  code: string;
  message: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isLocale = (v: unknown): v is Locale => v === 'en' || v === 'zh';
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export function parseQuickReplies(v: unknown): QuickReply[] {
  if (!Array.isArray(v)) return [];
  return v.filter(isRecord).flatMap((q) => {
    const label = str(q.label);
    const payload = str(q.payload);
    return label && payload ? [{ label, payload }] : [];
  });
}

const KINDS = ['image', 'file', 'audio', 'video'] as const;

export function parseAttachments(v: unknown): Attachment[] {
  if (!Array.isArray(v)) return [];
  return v.filter(isRecord).flatMap((a) => {
    const kind = KINDS.find((k) => k === a.kind);
    if (!kind) return [];
    const out: Attachment = { kind };
    const url = str(a.url);
    const name = str(a.name);
    if (url) out.url = url;
    if (name) out.name = name;
    return [out];
  });
}

export function parseOutbound(v: unknown): OutboundMessage | undefined {
  if (!isRecord(v) || typeof v.text !== 'string') return undefined;
  const from = v.from === 'agent' || v.from === 'system' || v.from === 'bot' ? v.from : 'bot';
  const quickReplies = parseQuickReplies(v.quickReplies);
  const attachments = parseAttachments(v.attachments);
  return {
    text: v.text,
    locale: isLocale(v.locale) ? v.locale : 'en',
    from,
    ...(quickReplies.length ? { quickReplies } : {}),
    ...(attachments.length ? { attachments } : {}),
  };
}

export function parseStored(v: unknown): StoredChatMessage | undefined {
  const m = parseOutbound(v);
  if (!m || !isRecord(v) || typeof v.id !== 'string' || typeof v.seq !== 'number' || !Number.isInteger(v.seq)) return undefined;
  const role = v.from === 'customer' ? 'customer' : (m.from ?? 'bot');
  return { ...m, id: v.id, seq: v.seq, role };
}

function storedList(v: unknown): StoredChatMessage[] {
  return Array.isArray(v) ? v.map(parseStored).filter((m): m is StoredChatMessage => m !== undefined) : [];
}

export function parseReplyResponse(v: unknown): ReplyResponse | undefined {
  if (!isRecord(v) || !Array.isArray(v.replies) || !isLocale(v.locale)) return undefined;
  return {
    conversationId: str(v.conversationId) ?? '',
    locale: v.locale,
    duplicate: v.duplicate === true,
    replies: v.replies.map(parseOutbound).filter((m): m is OutboundMessage => m !== undefined),
    messages: storedList(v.messages),
    ...(parseState(v.state) ? { state: parseState(v.state) as ChatState } : {}),
    ...(str(v.conversationToken) ? { conversationToken: str(v.conversationToken) as string } : {}),
  };
}

export function parseHistory(v: unknown): HistoryResponse | undefined {
  if (!isRecord(v) || !Array.isArray(v.messages) || typeof v.cursor !== 'number') return undefined;
  return { messages: storedList(v.messages), cursor: v.cursor, more: v.more === true, ...(v.restarted === true ? { restarted: true } : {}) };
}

export function parseErrorBody(v: unknown): ErrorBody | undefined {
  if (!isRecord(v) || !isRecord(v.error)) return undefined;
  const message = str(v.error.message);
  return message ? { code: str(v.error.code) ?? 'KEFU_ERR_UNKNOWN', message } : undefined;
}

export function parseState(v: unknown): ChatState | undefined {
  if (!isRecord(v)) return undefined;
  if (v.mode === 'bot') return { mode: 'bot' };
  if (v.mode === 'queued') return typeof v.position === 'number' && v.position > 0 ? { mode: 'queued', position: v.position } : { mode: 'queued' };
  if (v.mode === 'agent' && str(v.agentName)) return { mode: 'agent', agentName: str(v.agentName) as string };
  if (v.mode === 'ticket' && str(v.ticketId)) return { mode: 'ticket', ticketId: str(v.ticketId) as string };
  return undefined;
}

/** One event-stream message: a signal, or (anything else) stored messages to fetch. */
export function parseSignal(data: unknown): StreamSignal {
  let v: unknown;
  try {
    v = typeof data === 'string' ? JSON.parse(data) : undefined;
  } catch {
    return { kind: 'messages' };
  }
  if (!isRecord(v)) return { kind: 'messages' };
  const state = v.kind === 'state' ? parseState(v.state) : undefined;
  if (state) return { kind: 'state', state };
  if (v.kind === 'typing') return { kind: 'typing' };
  if (v.kind === 'seen' && typeof v.seq === 'number' && Number.isInteger(v.seq)) return { kind: 'seen', seq: v.seq };
  return { kind: 'messages' };
}
