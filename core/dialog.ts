/**
 * The bot-author API: a dialog is a typed module with triggers, slots that validate into a
 * {@link Result}, per-locale texts and a `run` step. See `dialogs/order-status.ts`.
 */
import type { Entity } from './classifier';
import type { TurnContext } from './context';
import { KefuError } from './errors';
import { LOCALES, type Locale, type QuickReply } from './model';
import type { Result } from './result';

/** What a slot validator sees: the customer's text plus what the NLU found in it. */
export interface SlotInput {
  text: string;
  payload?: string;
  entities: readonly Entity[];
  locale: Locale;
}

/** What a failed validation says: a text key, or a text key with values for its placeholders. */
export type SlotProblem = string | { key: string; vars?: Record<string, string | number> };

/** A validator's answer. @example return fail({ key: 'unknownOrder', vars: { no } }) */
export type SlotResult<T> = Result<T, SlotProblem>;

export interface SlotSpec<T> {
  /** 'text' slots accept any answer, so a recognised intent interrupts them; others must validate. */
  readonly kind: 'text' | 'entity' | 'choice';
  /** Text key asked when the slot is empty. */
  readonly prompt: string;
  /** Returns the value, or the text key explaining what was wrong (then the prompt is repeated). */
  validate(input: SlotInput): SlotResult<T> | Promise<SlotResult<T>>;
  /** Values for the prompt's placeholders, from the slots filled so far (e.g. "Refund order {orderNo}?"). */
  readonly promptVars?: (values: Readonly<Record<string, unknown>>) => Record<string, string | number>;
  /** Fill the slot from the message that started the dialog, when it validates. */
  readonly prefill: boolean;
  /** Failed answers before the dialog gives up (says `giveUp` if defined, else ends). */
  readonly maxAttempts: number;
  /** Buttons offered with the prompt: label text key → payload. */
  readonly options?: Readonly<Record<string, string>>;
}

type SlotOpts<T> = {
  prompt: string;
  validate?: (text: string, input: SlotInput) => SlotResult<T> | Promise<SlotResult<T>>;
  promptVars?: (values: Readonly<Record<string, unknown>>) => Record<string, string | number>;
  prefill?: boolean;
  maxAttempts?: number;
};

/** Slot builders. @example slots: { orderNo: slot.entity('orderNumber', { prompt: 'askOrderNo', invalid: 'badOrderNo' }) } */
export const slot = {
  /** Free text, optionally validated. */
  text<T = string>(opts: SlotOpts<T>): SlotSpec<T> {
    const validate = opts.validate ?? ((text: string) => (text.trim() ? { ok: true as const, value: text.trim() as T } : { ok: false as const, error: opts.prompt }));
    return {
      kind: 'text',
      prompt: opts.prompt,
      validate: (input) => validate(input.text, input),
      prefill: opts.prefill ?? false,
      maxAttempts: opts.maxAttempts ?? 3,
      ...(opts.promptVars ? { promptVars: opts.promptVars } : {}),
    };
  },
  /** The first entity of `type` the NLU found (or that `validate` extracts). Prefills by default. */
  entity<T = string>(
    type: string,
    opts: { prompt: string; invalid: string; validate?: (value: T, input: SlotInput) => SlotResult<T>; prefill?: boolean; maxAttempts?: number },
  ): SlotSpec<T> {
    return {
      kind: 'entity',
      prompt: opts.prompt,
      prefill: opts.prefill ?? true,
      maxAttempts: opts.maxAttempts ?? 3,
      validate(input) {
        const found = input.entities.find((e) => e.type === type);
        if (!found) return { ok: false, error: opts.invalid };
        return opts.validate ? opts.validate(found.value as T, input) : { ok: true, value: found.value as T };
      },
    };
  },
  /** One of a fixed set, offered as buttons. `choices` maps the value to its label text key. */
  choice<C extends string>(
    choices: Readonly<Record<C, string>>,
    opts: { prompt: string; invalid: string; maxAttempts?: number; promptVars?: (values: Readonly<Record<string, unknown>>) => Record<string, string | number> },
  ): SlotSpec<C> {
    const values = Object.keys(choices) as C[];
    return {
      ...(opts.promptVars ? { promptVars: opts.promptVars } : {}),
      kind: 'choice',
      prompt: opts.prompt,
      prefill: false,
      maxAttempts: opts.maxAttempts ?? 3,
      options: Object.fromEntries(values.map((v) => [choices[v], v])),
      validate(input) {
        const answer = (input.payload ?? input.text).trim().toLowerCase();
        const hit = values.find((v) => v.toLowerCase() === answer);
        return hit ? { ok: true, value: hit } : { ok: false, error: opts.invalid };
      },
    };
  },
};

export type SlotValues<Slots> = { [N in keyof Slots]: Slots[N] extends SlotSpec<infer T> ? T : never };

/** The context a dialog's `run` receives: the turn context plus text helpers bound to its texts. */
export interface DialogContext<K extends string = string> extends TurnContext {
  /** The text for `key` in the turn's locale, with `{name}` placeholders filled from `vars`. */
  t(key: K, vars?: Record<string, string | number>): string;
  /** Reply with the text for `key`, optionally with quick-reply buttons. */
  say(key: K, vars?: Record<string, string | number>, quickReplies?: QuickReply[]): void;
  /** Start another dialog after this one (e.g. a survey), optionally with some slots already filled. */
  start(dialogId: string, values?: Record<string, unknown>): void;
  /** Drop this dialog and every interrupted one (the "cancel" intent). */
  cancelAll(): void;
  /** The label of the dialog an intent triggers, in the turn's locale (for "did you mean" buttons). */
  labelFor(intent: string): string | undefined;
}

export interface DialogDefinition<Slots extends Record<string, SlotSpec<unknown>>, T extends Record<string, string>> {
  /** Unique, stable id (kebab-case). */
  id: string;
  /** Bump when slots change: sessions saved with another version restart the dialog. */
  version?: number;
  /** Intent names that start this dialog. */
  triggers: readonly string[];
  /** Short label per locale, used by the fallback's "did you mean" buttons. */
  label?: Record<Locale, string>;
  slots?: Slots;
  /** Texts per locale; every key of `en` must exist in `zh`. */
  texts: { en: T; zh: { [K in keyof T]: string } };
  /** Runs once every slot is filled. */
  run(ctx: DialogContext<keyof T & string>, values: SlotValues<Slots>): void | Promise<void>;
}

/** A dialog after definition: its definition with defaults filled in, untyped at the edges. */
export interface Dialog {
  readonly id: string;
  readonly version: number;
  readonly triggers: readonly string[];
  readonly label?: Record<Locale, string>;
  readonly slots: Readonly<Record<string, SlotSpec<unknown>>>;
  readonly texts: Readonly<Record<Locale, Readonly<Record<string, string>>>>;
  run(ctx: DialogContext, values: Record<string, unknown>): void | Promise<void>;
}

/**
 * Defines a dialog and checks its texts: every key used by a slot and every key in `en`
 * must exist in every locale.
 * @example
 * export default defineDialog({
 *   id: 'order-status', triggers: ['order.status'],
 *   slots: { orderNo: slot.entity('orderNumber', { prompt: 'ask', invalid: 'bad' }) },
 *   texts: { en: { ask: 'Your order number?', bad: 'Six digits, please.', done: 'Order {no} ships today.' },
 *            zh: { ask: '请提供订单号？', bad: '请输入6位数字。', done: '订单{no}今天发货。' } },
 *   run(ctx, { orderNo }) { ctx.say('done', { no: orderNo }) },
 * })
 */
export function defineDialog<Slots extends Record<string, SlotSpec<unknown>>, T extends Record<string, string>>(def: DialogDefinition<Slots, T>): Dialog {
  const slots: Record<string, SlotSpec<unknown>> = def.slots ?? {};
  const needed = new Set(Object.keys(def.texts.en));
  for (const s of Object.values(slots)) {
    needed.add(s.prompt);
    for (const label of Object.keys(s.options ?? {})) needed.add(label);
  }
  for (const locale of LOCALES) {
    const table: Record<string, string> = def.texts[locale];
    const missing = [...needed].filter((k) => typeof table[k] !== 'string');
    if (missing.length) {
      throw new KefuError('KEFU_ERR_DIALOG_TEXT_MISSING', `Dialog "${def.id}" lacks ${locale} texts for: ${missing.join(', ')}. Add them to texts.${locale}.`);
    }
  }
  return {
    id: def.id,
    version: def.version ?? 1,
    triggers: def.triggers,
    label: def.label,
    slots,
    texts: def.texts,
    run: def.run as Dialog['run'],
  };
}

/** Fills `{name}` placeholders. Unknown placeholders stay visible so a missing var is noticed. */
export function fillTemplate(template: string, vars: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}
