/**
 * A dialog's texts: one table per locale with the same keys, `{name}` placeholders filled at
 * run time. The types here let the compiler check every key and placeholder a dialog uses.
 */
import { KefuError } from './errors';
import { LOCALES, type Locale } from './model';

/** One locale's texts: key → template with `{name}` placeholders. */
export type TextTable = Readonly<Record<string, string>>;

/** A dialog's texts; `zh` must have exactly the keys of `en`. */
export interface DialogTexts<T extends TextTable> {
  en: T;
  zh: { readonly [K in keyof T]: string };
}

/** The text keys of a table. */
export type TextKey<T extends TextTable> = keyof T & string;

/**
 * The placeholder names of a template: `'Order {no} ships {eta}'` → `'no' | 'eta'`.
 * A template typed only as `string` (texts loaded from data) allows any name.
 */
export type Placeholders<S extends string> = string extends S ? string : S extends `${string}{${infer V}}${infer Rest}` ? V | Placeholders<Rest> : never;

/** The values a text needs: one per placeholder of its `en` template. */
export type TextVars<T extends TextTable, K extends TextKey<T>> = { [V in Placeholders<T[K]>]: string | number };

/** Every placeholder name used anywhere in a table (what `promptVars` may return). */
export type AnyPlaceholder<T extends TextTable> = { [K in TextKey<T>]: Placeholders<T[K]> }[TextKey<T>];

type IsUnion<K, All = K> = K extends unknown ? ([All] extends [K] ? false : true) : never;

/**
 * `say`'s and `t`'s arguments after the key: the vars are required when the text has placeholders.
 * (A key that is not a text key makes `K` the whole union; then the key itself is reported.)
 */
export type SayArgs<T extends TextTable, K extends TextKey<T>, Q> =
  IsUnion<K> extends true ? [vars?: Record<string, string | number>, quickReplies?: Q] : VarsArgs<TextVars<T, K>, Q>;

type VarsArgs<V, Q> = string extends keyof V ? [vars?: V, quickReplies?: Q] : [keyof V] extends [never] ? [vars?: V, quickReplies?: Q] : [vars: V, quickReplies?: Q];

/** Fills `{name}` placeholders. Unknown placeholders stay visible so a missing var is noticed. */
export function fillTemplate(template: string, vars: Readonly<Record<string, string | number>> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

function placeholdersOf(template: string): string[] {
  return [...new Set([...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string))].sort();
}

/**
 * Checks a dialog's texts at definition time: every needed key exists in every locale, and each
 * key's placeholders are the same in every locale (a `{no}` missing in zh is a bug, not a style).
 */
export function checkTexts(dialogId: string, texts: Readonly<Record<Locale, TextTable>>, needed: ReadonlySet<string>): void {
  const keys = new Set([...needed, ...Object.keys(texts.en)]);
  for (const locale of LOCALES) {
    const table = texts[locale];
    const missing = [...keys].filter((k) => typeof table[k] !== 'string');
    if (missing.length) throw new KefuError('KEFU_ERR_DIALOG_TEXT_MISSING', `Dialog "${dialogId}" lacks ${locale} texts for: ${missing.join(', ')}. Add them to texts.${locale}.`);
  }
  for (const key of keys) {
    const en = placeholdersOf(texts.en[key] as string).join(',');
    const zh = placeholdersOf(texts.zh[key] as string).join(',');
    if (en !== zh) {
      throw new KefuError(
        'KEFU_ERR_DIALOG_TEXT_MISSING',
        `Dialog "${dialogId}": text "${key}" has placeholders {${en}} in en but {${zh}} in zh. Use the same placeholders in every locale.`,
      );
    }
  }
}
