/**
 * Which payload each numbered option of the last message stands for, per conversation: a typed
 * "1" (also "１", "1.") or the exact option label maps to it. In memory, bounded, with a time limit.
 */
import type { QuickReply } from '../../core';

export interface NumberedMenus {
  /** Sets (or with an empty list clears) the conversation's current options. */
  remember(conversationId: string, options: readonly QuickReply[]): void;
  resolve(conversationId: string, text: string): string | undefined;
  current(conversationId: string): readonly QuickReply[];
}

export function createNumberedMenus(opts: { now: () => number; ttlMs?: number; maxConversations?: number }): NumberedMenus {
  const ttlMs = opts.ttlMs ?? 24 * 3600_000;
  const max = opts.maxConversations ?? 10_000;
  const menus = new Map<string, { options: readonly QuickReply[]; at: number }>();
  const live = (id: string) => {
    const e = menus.get(id);
    if (e && opts.now() - e.at > ttlMs) menus.delete(id);
    return menus.get(id)?.options ?? [];
  };
  return {
    remember(id, options) {
      menus.delete(id);
      if (!options.length) return;
      menus.set(id, { options: [...options], at: opts.now() });
      if (menus.size > max) menus.delete(menus.keys().next().value as string);
    },
    resolve(id, text) {
      const options = live(id);
      if (!options.length) return undefined;
      const typed = text.normalize('NFKC').trim();
      const n = /^(\d{1,2})\s*[.)、．。]?$/.exec(typed);
      if (n) return options[Number(n[1]) - 1]?.payload;
      return options.find((o) => o.label.toLowerCase() === typed.toLowerCase())?.payload;
    },
    current: live,
  };
}
