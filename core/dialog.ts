/**
 * The bot-author API: a dialog is a typed module with triggers, per-locale texts, slots that
 * validate into a {@link Result} and a `run` step. Every text key it uses is checked by the
 * compiler against its texts. See docs/dialogs.md and `dialogs/order-status.ts`.
 */
import type { TurnContext } from './context';
import type { DialogDataRecord, DialogMemory, MemoryKey } from './dialog-memory';
import { checkTexts, type DialogTexts, type SayArgs, type TextKey, type TextTable } from './dialog-texts';
import type { Locale, QuickReply } from './model';
import type { Result } from './result';
import { createSlotBuilders, type SlotBuilders, type SlotSpec } from './slots';
import { untypedSlotBuilders } from './slots-untyped';

/** The values `run` receives: each slot's validated type (`undefined` for a conditional slot that was skipped). */
export type SlotValues<Slots> = { [N in keyof Slots]: Slots[N] extends SlotSpec<infer T, string> ? T : never };

/** The context a dialog's `run` (and its step slots) receive: the turn context plus helpers bound to its texts. */
export interface DialogContext<T extends TextTable = TextTable> extends TurnContext<DialogDataRecord> {
  /** The text for `key` in the turn's locale, with its `{name}` placeholders filled from `vars`. */
  t<K extends TextKey<T>>(key: K, ...vars: SayArgs<T, K, never>): string;
  /** Reply with the text for `key`, optionally with quick-reply buttons. @example ctx.say('done', { no }) */
  say<K extends TextKey<T>>(key: K, ...args: SayArgs<T, K, QuickReply[]>): void;
  /** Start another dialog after this one, optionally with some slots filled (a dialog object checks them). */
  start<V>(dialog: Dialog<V>, values?: Partial<V>): void;
  start(dialogId: string, values?: Record<string, unknown>): void;
  /** Drop this dialog and every interrupted one (the "cancel" intent). Memory is kept. */
  cancelAll(): void;
  /** The label of the dialog an intent triggers, in the turn's locale (for "did you mean" buttons). */
  labelFor(intent: string): string | undefined;
  /** Conversation memory (values carried across dialogs), as declared in {@link DialogMemory}. */
  readonly memory: Readonly<Partial<DialogMemory>>;
  /** Write a memory value for later dialogs (see `MEMORY_TTL_MS` for how long it lasts). */
  remember<M extends MemoryKey>(key: M, value: DialogMemory[M]): void;
  /** Drop a memory value (e.g. an order number that turned out not to exist). */
  forget(key: MemoryKey): void;
}

/**
 * Slots as a dialog declares them; the text keys each uses must be keys of the dialog's texts.
 * (Only the keys are constrained: a value type here would be inferred into `slot.text()` calls.)
 */
export type SlotMap<T extends TextTable> = Record<string, { readonly kind: SlotSpec['kind']; readonly __types?: { readonly keys: TextKey<T> } }>;

export interface DialogDefinition<T extends TextTable, Slots extends SlotMap<T>> {
  /** Unique, stable id (kebab-case). */
  id: string;
  /** Bump when slots change: sessions saved with another version restart the dialog. */
  version?: number;
  /** Intent names that start this dialog. */
  triggers: readonly string[];
  /** Short label per locale, used by the fallback's "did you mean" buttons. */
  label?: Record<Locale, string>;
  /** Can interrupt any slot, free-text ones included (cancel, talk to a person, goodbye). */
  escape?: boolean;
  /** Texts per locale: `zh` has exactly the keys of `en`, with the same placeholders. */
  texts: DialogTexts<T>;
  /**
   * What to ask, in order. Write `(slot) => ({ … })` to get builders typed by `texts` (every key
   * checked, `fail(key)` included); put `slots` after `texts` and before `run`.
   */
  slots?: Slots | ((slot: SlotBuilders<T, DialogContext<T>>) => Slots);
  /** Runs once every slot is filled (or skipped). */
  run(ctx: DialogContext<T>, values: SlotValues<Slots>): void | Promise<void>;
}

/** A dialog after definition: its definition with defaults filled in; `V` types `ctx.start(dialog, values)`. */
export interface Dialog<V = Record<string, unknown>> {
  readonly id: string;
  readonly version: number;
  readonly triggers: readonly string[];
  readonly label?: Record<Locale, string>;
  /** May interrupt any slot, free-text ones included. */
  readonly escape?: boolean;
  readonly slots: Readonly<Record<string, SlotSpec>>;
  readonly texts: Readonly<Record<Locale, TextTable>>;
  run(ctx: DialogContext, values: Record<string, unknown>): void | Promise<void>;
  /** Phantom: the slot values, for the compiler only. */
  readonly __values?: V;
}

function neededKeys(slots: Readonly<Record<string, SlotSpec>>): Set<string> {
  const needed = new Set<string>();
  for (const s of Object.values(slots)) {
    if (s.kind !== 'step') needed.add(s.prompt);
    for (const key of [s.giveUp, s.invalid]) if (key) needed.add(key);
    for (const b of s.buttons ?? []) if (typeof b.label === 'string') needed.add(b.label);
  }
  return needed;
}

/**
 * Defines a dialog and checks its texts: every key a slot uses and every key of `en` exists in
 * every locale, with the same placeholders.
 * @example
 * export const orderStatus = defineDialog({
 *   id: 'order-status', triggers: ['order.status'],
 *   texts: { en: { ask: 'Your order number?', bad: 'Six digits, please.', done: 'Order {no} ships today.' },
 *            zh: { ask: '请提供订单号？', bad: '请输入6位数字。', done: '订单{no}今天发货。' } },
 *   slots: (slot) => ({ orderNo: slot.text({ prompt: 'ask', validate: (t) => (/^\d{6}$/.test(t) ? ok(t) : fail('bad')) }) }),
 *   run(ctx, { orderNo }) { ctx.say('done', { no: orderNo }) },
 * })
 */
export function defineDialog<const T extends TextTable, Slots extends SlotMap<T> = Record<never, never>>(def: DialogDefinition<T, Slots>): Dialog<SlotValues<Slots>> {
  const declared = typeof def.slots === 'function' ? def.slots(createSlotBuilders<T, DialogContext<T>>()) : def.slots;
  const slots = { ...(declared ?? {}) } as Record<string, SlotSpec>;
  checkTexts(def.id, def.texts, neededKeys(slots));
  return {
    id: def.id,
    version: def.version ?? 1,
    triggers: def.triggers,
    ...(def.label ? { label: def.label } : {}),
    escape: def.escape ?? false,
    slots,
    texts: def.texts,
    run: def.run as unknown as Dialog['run'],
  };
}

/**
 * Slot builders for `slots: { … }` objects and shared slots. Keys they take are checked when the
 * dialog is defined (at start-up), not by the compiler: prefer `slots: (slot) => ({ … })`.
 * @example slots: { orderNo: slot.entity('orderNumber', { prompt: 'askOrderNo', invalid: 'badOrderNo' }) }
 */
export const slot = untypedSlotBuilders;

export { fillTemplate } from './dialog-texts';
export type { Result };
