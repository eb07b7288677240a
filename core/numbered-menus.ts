/**
 * Quick replies on text-only channels (WeChat, wechaty, any future one): the adapter shows them as
 * numbered lines ("1. Orders"), the runtime keeps the options last shown in the conversation's
 * session (`session.menu`, so they survive a restart and are shared by every instance), and maps
 * an answer back to the option's payload: a typed "2" (also "２", "2.", "2、"), the option's
 * label, the line itself ("2. Orders", what WeChat sends when a msgmenu item is tapped), or the
 * tapped item's id. Pure functions; the runtime (channel-runtime.ts) reads and writes the session.
 */
import type { OutboundMessage, QuickReply } from './model';
import { withFields } from './objects';
import type { NumberedMenu } from './session';

/** A menu older than this stands for nothing: a "2" typed the next day is just a "2". */
export const MENU_TTL_MS = 24 * 3_600_000;

/** Options beyond this are not numbered (two digits, and WeChat's msgmenu). */
export const MAX_MENU_OPTIONS = 99;

/** Longest text that can be an answer to a menu: "99. " and the longest label. */
const MAX_ANSWER_LENGTH = 90;

export interface MenuItem extends QuickReply {
  /** A stable id for platforms whose menus carry one (WeChat's msgmenu `id`, echoed as `bizmsgmenuid`). */
  id: string;
}

/** What the customer sent that may answer the menu. */
export interface MenuAnswer {
  text: string;
  /** The id of the tapped menu item, when the platform reports one. */
  itemId?: string | undefined;
}

/** The numbered line shown for an option: "1. Orders". */
export function optionLine(label: string, index: number): string {
  return `${index + 1}. ${label}`;
}

/**
 * The options as numbered items with ids: the menu's tag (4 digits, from its options) then the
 * option number as 2 digits, like WeChat's own examples ("101"). A tap on an item of a menu that
 * was since replaced by different options no longer matches.
 */
export function menuItems(options: readonly QuickReply[]): MenuItem[] {
  const tag = menuTag(options);
  return options.slice(0, MAX_MENU_OPTIONS).map((q, i) => withFields(q, { id: `${tag}${String(i + 1).padStart(2, '0')}` }));
}

/** True when the text is short enough to be an answer (only then is the session's menu read). */
export function couldAnswerMenu(answer: MenuAnswer): boolean {
  const text = answer.text.trim();
  return Boolean(answer.itemId) || (text.length > 0 && text.length <= MAX_ANSWER_LENGTH);
}

/** The menu while it still stands for something (younger than MENU_TTL_MS). */
export function liveMenu(menu: NumberedMenu | undefined, now: number): NumberedMenu | undefined {
  return menu && now - menu.at <= MENU_TTL_MS ? menu : undefined;
}

/** The payload the answer stands for in this menu, if any. */
export function resolveMenuAnswer(menu: NumberedMenu | undefined, answer: MenuAnswer, now: number): string | undefined {
  const live = liveMenu(menu, now);
  if (!live) return undefined;
  const items = menuItems(live.options);
  if (answer.itemId) return items.find((item) => item.id === answer.itemId)?.payload;
  const typed = answer.text.normalize('NFKC').trim();
  const number = /^(\d{1,2})\s*[.)、．。]?$/.exec(typed);
  if (number) return items[Number(number[1]) - 1]?.payload;
  const lower = typed.toLowerCase();
  return items.find((item, i) => item.label.toLowerCase() === lower || optionLine(item.label, i).toLowerCase() === lower)?.payload;
}

/**
 * The menu after these messages were shown: the last message's options, or none (a message
 * without options ends the menu, so a "2" that answers its question is not taken for an option).
 * Undefined when nothing changes (the caller then skips the write).
 */
export function menuAfter(current: NumberedMenu | undefined, shown: readonly OutboundMessage[], now: number): { menu: NumberedMenu | undefined } | undefined {
  const last = shown.at(-1);
  if (!last) return undefined;
  const options = (last.quickReplies ?? []).slice(0, MAX_MENU_OPTIONS);
  if (!options.length) return current ? { menu: undefined } : undefined;
  return { menu: { options: options.map((q) => ({ label: q.label, payload: q.payload })), at: now } };
}

/** A short number from the options (FNV-1a), so item ids of different menus differ. */
function menuTag(options: readonly QuickReply[]): string {
  let h = 0x811c9dc5;
  for (const ch of options.map((q) => `${q.label}\u0000${q.payload}`).join('\u0001')) {
    h ^= ch.codePointAt(0) ?? 0;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return String(1000 + (h % 9000));
}
