/**
 * What kefu keeps per conversation between turns: the dialog state, small and versioned. What was
 * said lives in the conversation's messages (`data.messages`), not here.
 */
import type { MemoryEntry } from './dialog-memory';
import type { ConversationRef, Locale, QuickReply } from './model';

/** A dialog in progress: which one, which slot it waits for, what it has collected. */
export interface DialogFrame {
  id: string;
  /** The dialog's version when the frame was created; a different version on load resets it. */
  version: number;
  /** The slot the dialog is waiting for, if any. */
  awaiting?: string;
  values: Record<string, unknown>;
  /** Failed validations of the awaited slot so far. */
  attempts: number;
}

/** Quick replies a text-only channel showed as numbered lines ("1. Orders"), and when. */
export interface NumberedMenu {
  options: QuickReply[];
  /** When it was shown (ms); an old menu no longer stands for anything (see MENU_TTL_MS). */
  at: number;
}

export interface SessionState {
  /** Schema version of this record, so future releases can migrate it. */
  schema: 1;
  ref: ConversationRef;
  locale?: Locale;
  dialog?: DialogFrame;
  /** Interrupted dialogs, resumed last-in first-out. */
  stack: DialogFrame[];
  /** Consecutive turns that ended in the fallback dialog. */
  fallbacks: number;
  /** Recent platform message ids, newest last, for dedupe across restarts (the answers are in the messages). */
  seen: string[];
  /** Data owned by dialogs (bot authors). */
  data: Record<string, unknown>;
  /** Data owned by plugins (handoff, analytics), one key per plugin. */
  plugins: Record<string, unknown>;
  /** Conversation memory: values dialogs carry across dialogs (see core/dialog-memory.ts for the lifetime). */
  memory?: Record<string, MemoryEntry>;
  /** Text-only channels (WeChat, wechaty): the numbered options last shown, what a typed "2" stands for (see core/numbered-menus.ts). */
  menu?: NumberedMenu;
  turns: number;
  createdAt: number;
  updatedAt: number;
}

/** Platform message ids remembered for dedupe: platforms redeliver within minutes, not after dozens of messages. */
export const SEEN_LIMIT = 30;

export function newSession(ref: ConversationRef, now: number): SessionState {
  return { schema: 1, ref, stack: [], fallbacks: 0, seen: [], data: {}, plugins: {}, turns: 0, createdAt: now, updatedAt: now };
}

export function pushBounded<T>(list: T[], item: T, limit: number): void {
  list.push(item);
  if (list.length > limit) list.splice(0, list.length - limit);
}
