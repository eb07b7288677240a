/**
 * How a choice slot reads an answer: a pressed button, the value, a button label (in either
 * language), a synonym, or a built-in yes/no word, ignoring case, full/half width and punctuation.
 */
import type { Locale } from './model';

/** Words that mean yes / no in every choice slot that has a `yes` / `no` option. */
export const YES_NO_WORDS: Readonly<Record<'yes' | 'no', Readonly<Record<Locale, readonly string[]>>>> = {
  yes: {
    en: ['yes', 'yeah', 'yep', 'yup', 'y', 'sure', 'ok', 'okay', 'yes please', 'correct', 'right', 'confirm', 'go ahead', 'please do', 'of course', 'absolutely'],
    zh: ['是', '是的', '对', '对的', '好', '好的', '可以', '没问题', '行', '嗯', '确认', '确定', '要'],
  },
  no: {
    en: ['no', 'nope', 'nah', 'n', 'not now', 'no thanks', 'no thank you', "don't", 'do not', 'never mind', 'cancel'],
    zh: ['不', '不是', '不要', '不用', '不用了', '不行', '算了', '否', '先不', '先不用', '暂时不', '别'],
  },
};

/** How synonyms match: the answer starts with one (`prefix`, for short answers) or has one anywhere (`contains`). */
export type ChoiceMatch = 'prefix' | 'contains';

/** One option as the matcher sees it. */
export interface ChoiceCandidate {
  value: string;
  /** Everything that means this option: value, labels in every locale, synonyms, built-in words. */
  phrases: readonly string[];
}

/** Lower case, NFKC (full-width → half-width), punctuation and runs of spaces to one space. */
export function normalizeAnswer(s: string): string {
  return s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[’‘`]/g, "'")
    .replace(/[\s.,!?;:~。，！？；：、…“”"()（）【】[\]-]+/g, ' ')
    .trim();
}

const HAS_CJK = /[\u3400-\u9fff]/;

/** Whether `phrase` appears in `answer` at its start (prefix) or anywhere (contains), as whole words for Latin text. */
function found(answer: string, phrase: string, mode: ChoiceMatch): boolean {
  if (HAS_CJK.test(phrase)) return mode === 'contains' ? answer.includes(phrase) : answer.startsWith(phrase);
  return mode === 'contains' ? ` ${answer} `.includes(` ${phrase} `) : answer === phrase || answer.startsWith(`${phrase} `);
}

/**
 * The option an answer means, or undefined.
 * @example matchChoice('Yes please!', [{ value: 'yes', phrases: YES_NO_WORDS.yes.en }], 'prefix') // 'yes' An exact phrase wins; otherwise the longest matching
 * phrase, so "不好" (no: "不") is not read as "好" (yes) and "not now" beats "no".
 */
export function matchChoice(text: string, candidates: readonly ChoiceCandidate[], mode: ChoiceMatch): string | undefined {
  const answer = normalizeAnswer(text);
  if (!answer) return undefined;
  let best: { value: string; length: number } | undefined;
  for (const c of candidates) {
    for (const raw of c.phrases) {
      const phrase = normalizeAnswer(raw);
      if (!phrase) continue;
      if (phrase === answer) return c.value;
      if ((!best || phrase.length > best.length) && found(answer, phrase, mode)) best = { value: c.value, length: phrase.length };
    }
  }
  return best?.value;
}
