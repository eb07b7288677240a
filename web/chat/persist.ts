/**
 * What the page keeps in localStorage: the conversation id (so a reload continues the conversation),
 * the chrome locale, a bounded copy of the transcript to redraw after a reload, and the cursor (the
 * seq of the last server message it has) to fetch what came while it was closed.
 * Every access tolerates a browser that refuses storage (private mode, quota): the chat still works.
 */
import type { Attachment, Locale, QuickReply } from '../../core/model';
import { parseAttachments, parseQuickReplies } from './parse';

const ID_KEY = 'kefu.chat.conversationId';
const LOCALE_KEY = 'kefu.chat.locale';
const TRANSCRIPT_PREFIX = 'kefu.chat.transcript.';
const CURSOR_PREFIX = 'kefu.chat.cursor.';
const TOKEN_PREFIX = 'kefu.chat.token.';
const TRANSCRIPT_LIMIT = 100;

export type Role = 'customer' | 'bot' | 'agent' | 'system';

export interface TranscriptEntry {
  role: Role;
  text: string;
  at: number;
  /** The message's id on the server (the page's own message id for what the customer wrote). */
  id?: string;
  /** The customer's message's seq on the server, once sent (where "Seen" goes). */
  seq?: number;
  attachments?: Attachment[];
  quickReplies?: QuickReply[];
}

/** A random id; uses crypto.randomUUID where the page is a secure context, getRandomValues elsewhere. */
export function randomId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    // storage refused: the conversation simply does not survive a reload
  }
}

const ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

/** The stored conversation id, or a new one (stored) when there is none or it is malformed. */
export function loadConversationId(): string {
  const stored = read(ID_KEY);
  if (stored && ID_PATTERN.test(stored)) return stored;
  return newConversationId();
}

export function newConversationId(): string {
  const previous = read(ID_KEY);
  if (previous) {
    write(TRANSCRIPT_PREFIX + previous, null);
    write(CURSOR_PREFIX + previous, null);
    write(TOKEN_PREFIX + previous, null);
  }
  const id = `web-${randomId()}`;
  write(ID_KEY, id);
  return id;
}

/** The conversation's token (proof of the right to it, from its first answer), if the page has it. */
export function loadToken(conversationId: string): string | undefined {
  return read(TOKEN_PREFIX + conversationId) ?? undefined;
}

export function saveToken(conversationId: string, token: string): void {
  write(TOKEN_PREFIX + conversationId, token);
}

export function loadLocale(): Locale | undefined {
  const v = read(LOCALE_KEY);
  return v === 'en' || v === 'zh' ? v : undefined;
}

export function saveLocale(locale: Locale): void {
  write(LOCALE_KEY, locale);
}

export function loadTranscript(conversationId: string): TranscriptEntry[] {
  const raw = read(TRANSCRIPT_PREFIX + conversationId);
  if (!raw) return [];
  try {
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed) ? parsed.flatMap(toEntry) : [];
  } catch {
    return [];
  }
}

export function saveTranscript(conversationId: string, entries: readonly TranscriptEntry[]): void {
  write(TRANSCRIPT_PREFIX + conversationId, JSON.stringify(entries.slice(-TRANSCRIPT_LIMIT)));
}

/** The seq of the last server message this page has for the conversation (0: none yet). */
export function loadCursor(conversationId: string): number {
  const n = Number(read(CURSOR_PREFIX + conversationId));
  return Number.isInteger(n) && n > 0 ? n : 0;
}

export function saveCursor(conversationId: string, cursor: number): void {
  write(CURSOR_PREFIX + conversationId, String(cursor));
}

const ROLES: readonly Role[] = ['customer', 'bot', 'agent', 'system'];

/** Stored data is untrusted too (another version of the page, a hand edit): re-checked on load. */
function toEntry(v: unknown): TranscriptEntry[] {
  if (!v || typeof v !== 'object') return [];
  const e = v as Record<string, unknown>;
  const role = ROLES.find((r) => r === e.role);
  if (!role || typeof e.text !== 'string' || typeof e.at !== 'number') return [];
  const attachments = parseAttachments(e.attachments);
  const quickReplies = parseQuickReplies(e.quickReplies);
  const id = typeof e.id === 'string' ? e.id : undefined;
  const seq = typeof e.seq === 'number' && Number.isInteger(e.seq) && e.seq > 0 ? e.seq : undefined;
  return [
    {
      role,
      text: e.text,
      at: e.at,
      ...(id ? { id } : {}),
      ...(seq ? { seq } : {}),
      ...(attachments.length ? { attachments } : {}),
      ...(quickReplies.length ? { quickReplies } : {}),
    },
  ];
}
