/**
 * Quick replies on WeChat: the adapter shows them as a numbered `msgmenu` (or numbered text lines in
 * a passive reply) and keeps, per user, which payload each option stands for. A click on a menu item
 * comes back as a text with `bizmsgmenuid`; a typed "1" (or the option's exact label) maps to the
 * latest menu's first option. Kept in memory, bounded, with a time limit.
 */
import type { QuickReply } from '../../core';

export interface MenuItem {
  id: string;
  label: string;
  payload: string;
}

export interface MenuStore {
  /** Replaces the user's menus with these (one list per message that had quick replies); returns their items. */
  remember(openId: string, menus: readonly (readonly QuickReply[])[]): MenuItem[][];
  /** The payload a click or a typed answer stands for, if any. */
  resolve(openId: string, answer: { menuItemId?: string | undefined; text: string }): string | undefined;
  /** The items of the user's latest menu (what a typed number refers to). */
  current(openId: string): readonly MenuItem[];
  clear(openId: string): void;
}

interface Entry {
  byId: Map<string, MenuItem>;
  latest: MenuItem[];
  at: number;
}

export function createMenuStore(opts: { now: () => number; ttlMs?: number; maxUsers?: number }): MenuStore {
  const ttlMs = opts.ttlMs ?? 24 * 3600_000;
  const maxUsers = opts.maxUsers ?? 10_000;
  const users = new Map<string, Entry>();
  let seq = 0;

  const live = (openId: string): Entry | undefined => {
    const e = users.get(openId);
    if (e && opts.now() - e.at > ttlMs) {
      users.delete(openId);
      return undefined;
    }
    return e;
  };

  return {
    remember(openId, menus) {
      users.delete(openId);
      const lists = menus.map((quickReplies) => {
        seq = (seq % 9_999_999) + 1;
        // Numeric ids like WeChat's own examples ("101"): the menu number, then the option as 2 digits.
        return quickReplies.slice(0, 99).map((q, i) => ({ id: `${seq}${String(i + 1).padStart(2, '0')}`, label: q.label, payload: q.payload }));
      });
      const nonEmpty = lists.filter((l) => l.length > 0);
      if (nonEmpty.length) {
        users.set(openId, { byId: new Map(nonEmpty.flat().map((item) => [item.id, item])), latest: nonEmpty[nonEmpty.length - 1] ?? [], at: opts.now() });
        if (users.size > maxUsers) users.delete(users.keys().next().value as string);
      }
      return lists;
    },
    resolve(openId, answer) {
      const e = live(openId);
      if (!e) return undefined;
      if (answer.menuItemId) return e.byId.get(answer.menuItemId)?.payload;
      const typed = answer.text.normalize('NFKC').trim();
      const n = /^(\d{1,2})\s*[.)、．。]?$/.exec(typed);
      if (n) return e.latest[Number(n[1]) - 1]?.payload;
      const lower = typed.toLowerCase();
      return e.latest.find((item) => item.label.toLowerCase() === lower)?.payload;
    },
    current: (openId) => live(openId)?.latest ?? [],
    clear(openId) {
      users.delete(openId);
    },
  };
}
