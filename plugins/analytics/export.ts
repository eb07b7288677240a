/**
 * `exportLabelled()`: the labelled inbox entries of each language go into that language's corpus
 * text (see corpus-merge.ts); entries that were added, or were already there under the same intent,
 * are marked exported. File access is passed in, so the CLI decides where corpora live and checks
 * them before writing.
 */
import type { Locale } from '../../core/model';
import { type LabelledExample, type MergeResult, mergeIntoCorpus } from './corpus-merge';
import type { Inbox } from './inbox';
import type { InboxEntry } from './types';

export interface CorpusFiles {
  /** The corpus text of a language, or undefined when it has none. */
  read(locale: Locale): Promise<string | undefined>;
  write(locale: Locale, raw: string): Promise<void>;
  /** For messages (a path). */
  name(locale: Locale): string;
}

export interface LocaleExport extends Omit<MergeResult, 'raw'> {
  locale: Locale;
  file: string;
  /** Labelled entries of a language without a corpus file. */
  noCorpus: boolean;
}

export async function exportLabelled(inbox: Inbox, files: CorpusFiles, opts: { allowNewIntents?: boolean; dryRun?: boolean } = {}): Promise<LocaleExport[]> {
  const labelled = await inbox.list({ status: 'labelled' });
  const byLocale = new Map<Locale, InboxEntry[]>();
  for (const e of labelled) byLocale.set(e.locale, [...(byLocale.get(e.locale) ?? []), e]);
  const out: LocaleExport[] = [];
  for (const [locale, entries] of [...byLocale].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const file = files.name(locale);
    const examples: LabelledExample[] = entries.map((e) => ({ text: e.text, intent: e.intent as string }));
    const raw = await files.read(locale);
    if (raw === undefined) {
      out.push({ locale, file, noCorpus: true, added: [], skipped: [] });
      continue;
    }
    const merged = mergeIntoCorpus(raw, file, examples, opts);
    if (!opts.dryRun) {
      if (merged.added.length) await files.write(locale, merged.raw);
      const done = new Set([...merged.added, ...merged.skipped.filter((s) => s.reason === 'duplicate')].map((x) => `${x.intent}\n${x.text.trim()}`));
      await inbox.markExported(entries.filter((e) => done.has(`${e.intent}\n${e.text.trim()}`)).map((e) => e.id));
    }
    out.push({ locale, file, noCorpus: false, added: merged.added, skipped: merged.skipped });
  }
  return out;
}
