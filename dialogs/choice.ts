/**
 * A choice slot that also understands typed answers ("yes please", "坏了"), not only its buttons.
 * core's `slot.choice` matches the button value exactly; customers often type instead.
 */
import { fail, type Locale, ok, type SlotSpec } from '../core';

export interface ChoiceOption {
  /** Text key of the button label. */
  label: string;
  /** Typed answers that mean this option, per locale (lower case). */
  words: Readonly<Record<Locale, readonly string[]>>;
}

const normalize = (s: string) =>
  s
    .trim()
    .toLowerCase()
    .replace(/[\s.,!?;:~。，！？；：、~…“”"'‘’]+/g, ' ')
    .trim();

/** How typed answers are matched: `prefix` ("yes please", "不用了") or anywhere (`contains`). */
export type ChoiceMatch = 'prefix' | 'contains';

/** True when `answer` is `word`, starts with it, or (for `contains`) has it as whole words. */
function matches(answer: string, word: string, locale: Locale, mode: ChoiceMatch): boolean {
  if (answer === word) return true;
  if (locale === 'zh') return mode === 'contains' ? answer.includes(word) : answer.startsWith(word);
  return mode === 'contains' ? ` ${answer} `.includes(` ${word} `) : answer.startsWith(`${word} `);
}

/**
 * Options are checked in order, so list the ones whose words could prefix others first
 * (for example "no" before "yes" when "不" and "不好" both mean no). Use `match: 'contains'`
 * for descriptive answers ("the lamp arrived broken"), the default `prefix` for yes/no.
 * @example confirm: flexibleChoice({ no: { label: 'optNo', words: { en: ['no'], zh: ['不'] } }, yes: … }, { prompt: 'askConfirm', invalid: 'badConfirm' })
 */
export function flexibleChoice<C extends string>(
  options: Readonly<Record<C, ChoiceOption>>,
  opts: { prompt: string; invalid: string; maxAttempts?: number; match?: ChoiceMatch },
): SlotSpec<C> {
  const mode = opts.match ?? 'prefix';
  const values = Object.keys(options) as C[];
  return {
    kind: 'choice',
    prompt: opts.prompt,
    prefill: false,
    maxAttempts: opts.maxAttempts ?? 3,
    options: Object.fromEntries(values.map((v) => [options[v].label, v])),
    validate(input) {
      const pressed = input.payload && values.find((v) => v === input.payload);
      if (pressed) return ok(pressed);
      const answer = normalize(input.payload ?? input.text);
      if (!answer) return fail(opts.invalid);
      for (const v of values) {
        if (v.toLowerCase() === answer) return ok(v);
        if (options[v].words[input.locale].some((w) => matches(answer, w, input.locale, mode))) return ok(v);
      }
      return fail(opts.invalid);
    },
  };
}
