/**
 * Slots: what a dialog asks for before it runs. Each slot says how it is asked (a text key), how
 * an answer is read into a typed value, whether other intents may interrupt it, when it applies
 * and what it carries to and from the conversation memory. See docs/dialogs.md.
 */
import type { Entity } from './classifier';
import type { MemoryKeyReadableAs, MemoryKeyWritableFrom } from './dialog-memory';
import type { AnyPlaceholder, TextKey, TextTable } from './dialog-texts';
import type { Locale } from './model';
import type { Result } from './result';
import { type ChoiceMatch, matchChoice, YES_NO_WORDS } from './slots-choice';

/** What a slot validator sees: the customer's text plus what the NLU found in it. */
export interface SlotInput {
  text: string;
  payload?: string;
  entities: readonly Entity[];
  locale: Locale;
  /** A text key in every locale of the dialog asking (set by the engine; choice labels match through it). */
  textsOf?: (key: string) => readonly string[];
}

/** What a failed validation says: a text key, or a text key with values for its placeholders. */
export type SlotProblem<K extends string = string> = K | { key: K; vars?: Record<string, string | number> };

/** A validator's answer. @example return fail({ key: 'unknownOrder', vars: { no } }) */
export type SlotResult<T, K extends string = string> = Result<T, SlotProblem<K>>;

/** The slots filled so far (and, for prompts, the live conversation memory). */
export type Filled = Readonly<Record<string, unknown>>;

/**
 * Who may interrupt a slot: `true` any intent that starts another dialog, `false` nothing (not
 * even cancel), a list only those intents plus dialogs marked `escape` (cancel, a person).
 * A validated slot keeps an answer that fits; free text fits always, so it is interrupted only by
 * an allowed intent. Default: `[]` (escape dialogs only) for free-text slots, `true` for the others.
 */
export type Interruptible = boolean | readonly string[];

/** A button a choice slot offers: its payload and its label (a text key, or a label per locale). */
export interface SlotButton {
  payload: string;
  label: string | Readonly<Record<Locale, string>>;
}

/**
 * A slot as the engine runs it. `T` is the value's type and `K` the text keys it uses (checked
 * against the dialog's texts); both exist only for the compiler.
 */
export interface SlotSpec<T = unknown, K extends string = string> {
  /** 'text' accepts any answer; 'step' runs code instead of asking (see `slot.step`). */
  readonly kind: 'text' | 'entity' | 'choice' | 'step';
  /** Text key asked when the slot is empty (none for steps). */
  readonly prompt: string;
  /** Returns the value, or the text key explaining what was wrong (then the prompt is repeated). */
  validate(input: SlotInput): SlotResult<T> | Promise<SlotResult<T>>;
  /** Values for the prompt's placeholders beyond the filled slots and memory, which fill them by name. */
  readonly promptVars?: (filled: Filled) => Record<string, string | number>;
  /** Fill the slot from the message that started the dialog, when it validates. */
  readonly prefill: boolean;
  /** Failed answers before the dialog gives up (says `giveUp`, then ends). */
  readonly maxAttempts: number;
  /** Text key said when the attempts run out (default: the dialog's `giveUp` text, if it has one). */
  readonly giveUp?: string;
  /** Text key said when an answer does not fit (checked against the texts at definition). */
  readonly invalid?: string;
  /** Buttons offered with the prompt. */
  readonly buttons?: readonly SlotButton[];
  /** Who may interrupt the slot (default: `[]` for free text, else `true`). */
  readonly interruptible?: Interruptible;
  /** Takes any answer (a text slot without a validator), so only allowed intents interrupt it. */
  readonly freeText?: boolean;
  /** The slot is asked only when this returns true; otherwise it stays empty (`undefined`). */
  readonly when?: (filled: Filled) => boolean;
  /** Memory key the slot is filled from, when the memory holds a value. */
  readonly fromMemory?: string;
  /** Memory key the slot's value is written to once filled. */
  readonly remember?: string;
  /** Step slots: the code that produces the value (`undefined` ends the dialog). */
  readonly step?: (ctx: never, filled: Filled) => unknown;
  /** Phantom: the value and text-key types, for the compiler only. */
  readonly __types?: { value: T; keys: K };
}

/** Options every asking slot shares. `K` = the dialog's text keys, `T` = the slot's value. */
export interface CommonSlotOptions<T, Texts extends TextTable> {
  /** Text key asked when the slot is empty. */
  prompt: TextKey<Texts>;
  /** Values for the prompt's placeholders; filled slots and memory fill placeholders of the same name anyway. */
  promptVars?(filled: Filled): Partial<Record<AnyPlaceholder<Texts>, string | number>>;
  /** Failed answers before giving up (default 3). */
  maxAttempts?: number;
  /** Said when the attempts run out (default: the dialog's `giveUp` text, if it has one). */
  giveUp?: TextKey<Texts>;
  /** Who may interrupt this slot; see {@link Interruptible}. */
  interruptible?: Interruptible;
  /** Ask this slot only when it returns true (a conditional slot); otherwise its value is `undefined`. */
  when?(filled: Filled): boolean;
  /** Fill from this memory key when the memory holds a value (after values passed to `start` and the first message). */
  fromMemory?: MemoryKeyReadableAs<T>;
  /** Write the value to this memory key once filled, for later dialogs. */
  remember?: MemoryKeyWritableFrom<T>;
}

export interface TextSlotOptions<T, Texts extends TextTable> extends CommonSlotOptions<T, Texts> {
  /** Reads the answer; default: any non-empty text. */
  validate?: (text: string, input: SlotInput) => SlotResult<T, TextKey<Texts>> | Promise<SlotResult<T, TextKey<Texts>>>;
  /** Fill from the message that started the dialog (default false). */
  prefill?: boolean;
}

export interface EntitySlotOptions<T, Texts extends TextTable> extends CommonSlotOptions<T, Texts> {
  /** Said when the answer has no such entity. */
  invalid: TextKey<Texts>;
  /** Checks or converts the entity the NLU found. */
  validate?: (value: T, input: SlotInput) => SlotResult<T, TextKey<Texts>>;
  /** Fill from the message that started the dialog (default true). */
  prefill?: boolean;
}

/** One option of a choice slot. */
export interface ChoiceOption<C extends string, Texts extends TextTable> {
  value: C;
  /** The button label: a text key of the dialog, or the label per locale. */
  label?: TextKey<Texts>;
  labels?: Readonly<Record<Locale, string>>;
  /** Typed answers that mean this option, per locale. `yes` / `no` options also know the built-in words. */
  synonyms?: Partial<Readonly<Record<Locale, readonly string[]>>>;
}

export interface ChoiceSlotOptions<T, Texts extends TextTable> extends CommonSlotOptions<T, Texts> {
  /** Said when the answer matches no option. */
  invalid: TextKey<Texts>;
  /** How synonyms match (default `prefix`; `contains` for descriptive answers such as "it arrived broken"). */
  match?: ChoiceMatch;
  /** Show the options as buttons (default true). */
  buttons?: boolean;
}

/** Options of `slot.confirm`: a yes/no choice whose button labels are text keys. */
export interface ConfirmSlotOptions<Texts extends TextTable> extends CommonSlotOptions<'yes' | 'no', Texts> {
  invalid: TextKey<Texts>;
  yes: TextKey<Texts>;
  no: TextKey<Texts>;
}

type WithWhen = { when(filled: Filled): boolean };
type Step<T, Ctx> = (ctx: Ctx, filled: Filled) => T | undefined | Promise<T | undefined>;

/**
 * The slot builders, typed by a dialog's texts so every key they take is checked. A dialog's
 * `slots: (slot) => ({ … })` receives them; `slot` exported from core is the untyped version.
 */
export interface SlotBuilders<Texts extends TextTable, Ctx = unknown> {
  /** Free text, optionally validated. @example slot.text({ prompt: 'askAddress' }) */
  text<T = string>(opts: TextSlotOptions<T, Texts> & WithWhen): SlotSpec<T | undefined, TextKey<Texts>>;
  text<T = string>(opts: TextSlotOptions<T, Texts>): SlotSpec<T, TextKey<Texts>>;
  /** The first entity of `type` the NLU found. Prefills by default. */
  entity<T = string>(type: string, opts: EntitySlotOptions<T, Texts> & WithWhen): SlotSpec<T | undefined, TextKey<Texts>>;
  entity<T = string>(type: string, opts: EntitySlotOptions<T, Texts>): SlotSpec<T, TextKey<Texts>>;
  /**
   * One of a few options, offered as buttons; typed answers match values, labels (any language),
   * synonyms and, for `yes`/`no` options, the built-in yes/no words.
   * @example slot.choice([{ value: 'yes', label: 'optYes' }, { value: 'no', label: 'optNo' }], { prompt: 'ask', invalid: 'bad' })
   */
  choice<const C extends string>(options: readonly ChoiceOption<C, Texts>[], opts: ChoiceSlotOptions<C, Texts> & WithWhen): SlotSpec<C | undefined, TextKey<Texts>>;
  choice<const C extends string>(options: readonly ChoiceOption<C, Texts>[], opts: ChoiceSlotOptions<C, Texts>): SlotSpec<C, TextKey<Texts>>;
  /** Older form: value → label text key. */
  choice<C extends string>(options: Readonly<Record<C, TextKey<Texts>>>, opts: ChoiceSlotOptions<C, Texts>): SlotSpec<C, TextKey<Texts>>;
  /** A yes/no question. @example confirm: slot.confirm({ prompt: 'askConfirm', invalid: 'badConfirm', yes: 'optYes', no: 'optNo' }) */
  confirm(opts: ConfirmSlotOptions<Texts> & WithWhen): SlotSpec<'yes' | 'no' | undefined, TextKey<Texts>>;
  confirm(opts: ConfirmSlotOptions<Texts>): SlotSpec<'yes' | 'no', TextKey<Texts>>;
  /**
   * A branch point: code that runs when the dialog reaches it, with the slots filled so far. Its
   * value fills the slot; returning `undefined` ends the dialog there (say why first).
   * @example order: slot.step((ctx, { orderNo }) => findEligibleOrder(ctx, String(orderNo)))
   */
  step<T>(run: Step<T, Ctx>): SlotSpec<T, TextKey<Texts>>;
}

type AnyOpts = CommonSlotOptions<unknown, TextTable> & { prefill?: boolean };

function common(kind: SlotSpec['kind'], opts: AnyOpts, prefill: boolean, freeText = false): Omit<SlotSpec, 'validate'> {
  return {
    kind,
    prompt: opts.prompt,
    prefill: opts.prefill ?? prefill,
    maxAttempts: opts.maxAttempts ?? 3,
    freeText,
    // Free text takes anything ("Refund Lane 12"), so by default only escape dialogs interrupt it.
    interruptible: opts.interruptible ?? (freeText ? [] : true),
    ...(opts.promptVars ? { promptVars: opts.promptVars as SlotSpec['promptVars'] } : {}),
    ...(opts.when ? { when: opts.when } : {}),
    ...(opts.giveUp ? { giveUp: opts.giveUp } : {}),
    ...(opts.fromMemory ? { fromMemory: opts.fromMemory } : {}),
    ...(opts.remember ? { remember: opts.remember } : {}),
  };
}

function textSlot(opts: TextSlotOptions<unknown, TextTable>): SlotSpec {
  const validate = opts.validate ?? ((text: string) => (text.trim() ? { ok: true as const, value: text.trim() } : { ok: false as const, error: opts.prompt }));
  return { ...common('text', opts, false, !opts.validate), validate: (input) => validate(input.text, input) };
}

function entitySlot(type: string, opts: EntitySlotOptions<unknown, TextTable>): SlotSpec {
  return {
    ...common('entity', opts, true),
    invalid: opts.invalid,
    validate(input) {
      const found = input.entities.find((e) => e.type === type);
      if (!found) return { ok: false, error: opts.invalid };
      return opts.validate ? opts.validate(found.value, input) : { ok: true, value: found.value };
    },
  };
}

function toOptions(options: readonly ChoiceOption<string, TextTable>[] | Readonly<Record<string, string>>): ChoiceOption<string, TextTable>[] {
  if (Array.isArray(options)) return [...options];
  return Object.entries(options as Record<string, string>).map(([value, label]) => ({ value, label }));
}

function choiceSlot(raw: readonly ChoiceOption<string, TextTable>[] | Readonly<Record<string, string>>, opts: ChoiceSlotOptions<unknown, TextTable>): SlotSpec {
  const options = toOptions(raw);
  const mode = opts.match ?? 'prefix';
  const buttons: SlotButton[] = options.map((o) => ({ payload: o.value, label: o.labels ?? o.label ?? o.value }));
  return {
    ...common('choice', opts, false),
    invalid: opts.invalid,
    ...(opts.buttons === false ? {} : { buttons }),
    validate(input) {
      const pressed = input.payload !== undefined ? options.find((o) => o.value === input.payload) : undefined;
      if (pressed) return { ok: true, value: pressed.value };
      const candidates = options.map((o) => ({ value: o.value, phrases: phrasesOf(o, input.textsOf ?? (() => [])) }));
      const hit = matchChoice(input.payload ?? input.text, candidates, mode);
      return hit === undefined ? { ok: false, error: opts.invalid } : { ok: true, value: hit };
    },
  };
}

function phrasesOf(o: ChoiceOption<string, TextTable>, labelText: (key: string) => readonly string[]): string[] {
  const builtIn = o.value === 'yes' || o.value === 'no' ? YES_NO_WORDS[o.value] : undefined;
  return [
    o.value,
    ...(o.label ? labelText(o.label) : []),
    ...Object.values(o.labels ?? {}),
    ...Object.values(o.synonyms ?? {}).flat(),
    ...(builtIn ? [...builtIn.en, ...builtIn.zh] : []),
  ];
}

/**
 * Builds the slot builders, typed by a dialog's texts (`defineDialog` passes them to `slots: (slot) => …`).
 * Use it for a slot shared by several dialogs, so the keys it needs travel with it.
 * @example export const emailSlot = createSlotBuilders<{ askEmail: string; badEmail: string }>().text({ prompt: 'askEmail', validate: … })
 */
export function createSlotBuilders<Texts extends TextTable, Ctx = unknown>(): SlotBuilders<Texts, Ctx> {
  const builders = {
    text: (opts: TextSlotOptions<unknown, TextTable>) => textSlot(opts),
    entity: (type: string, opts: EntitySlotOptions<unknown, TextTable>) => entitySlot(type, opts),
    choice: (options: readonly ChoiceOption<string, TextTable>[] | Readonly<Record<string, string>>, opts: ChoiceSlotOptions<unknown, TextTable>) => choiceSlot(options, opts),
    confirm: (opts: ConfirmSlotOptions<TextTable>) =>
      choiceSlot(
        [
          { value: 'yes', label: opts.yes },
          { value: 'no', label: opts.no },
        ],
        opts as unknown as ChoiceSlotOptions<unknown, TextTable>,
      ),
    step: (run: Step<unknown, Ctx>): SlotSpec => ({
      kind: 'step',
      prompt: '',
      prefill: false,
      maxAttempts: 1,
      interruptible: false,
      freeText: false,
      step: run as SlotSpec['step'],
      validate: () => ({ ok: false, error: '' }),
    }),
  };
  return builders as unknown as SlotBuilders<Texts, Ctx>;
}
