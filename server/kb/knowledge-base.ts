/**
 * The knowledge base as the bot uses it: the entries of `locales/<lang>/faq.json` with the console's
 * saved edits on top (the newest version of an entry wins over the file; a deletion hides it). It
 * answers FAQ intents (`FaqKnowledge`), lists and edits entries, and tells the retrainer when what
 * the classifier learns from has changed. `reload()` re-reads the edits (another instance saved).
 */
import { KefuError, LOCALES, type Locale, type Repositories } from '../../core';
import { type FaqEntry, type FaqTraining, parseFaqEntry } from '../../intents';
import { type FaqAnswer, type FaqKnowledge, faqAnswerOf } from '../../kit/faq';
import { createKbHistory, type KbVersion, kbKey } from './history';

/** An entry as the console lists it. */
export interface KbEntryView extends FaqEntry {
  locale: Locale;
  /** `file`: as in faq.json; `console`: saved in the console (over a file entry or new). */
  source: 'file' | 'console';
  /** 0 for the file's entry, then 1, 2, … per saved version. */
  version: number;
  updatedAt?: number;
  updatedBy?: string;
}

export interface KbChange {
  locale: Locale;
  by: string;
  /** Only save when the entry is at this version (the one the editor started from). */
  baseVersion?: number;
}

export interface KnowledgeBase extends FaqKnowledge {
  list(locale: Locale): KbEntryView[];
  get(locale: Locale, intent: string): KbEntryView | undefined;
  /** Every version of an entry, oldest first; version 0 is the file's. */
  history(locale: Locale, intent: string): Promise<KbVersion[]>;
  create(input: unknown, change: KbChange): Promise<KbEntryView>;
  update(intent: string, input: unknown, change: KbChange): Promise<KbEntryView>;
  remove(intent: string, change: KbChange): Promise<KbVersion>;
  /** Re-reads the saved edits; true when the answers or the training changed. */
  reload(): Promise<boolean>;
  /** What the classifier trains on per locale (entries, and file intents that were deleted). */
  training(): Map<Locale, FaqTraining>;
}

export function createKnowledgeBase(opts: { files: ReadonlyMap<Locale, readonly FaqEntry[]>; data: Repositories; now: () => number }): KnowledgeBase {
  const history = createKbHistory(opts.data, opts.now);
  let edits = new Map<string, KbVersion>();
  let views = new Map<Locale, KbEntryView[]>();
  let answers = new Map<string, FaqAnswer>();

  function fileEntry(locale: Locale, intent: string): FaqEntry | undefined {
    return opts.files.get(locale)?.find((e) => e.intent === intent);
  }

  function viewsOf(locale: Locale): KbEntryView[] {
    const out: KbEntryView[] = [];
    const fromFile = opts.files.get(locale) ?? [];
    for (const e of fromFile) {
      const edit = edits.get(kbKey(locale, e.intent));
      if (!edit) out.push({ ...e, locale, source: 'file', version: 0 });
      else if (edit.entry) out.push({ ...edit.entry, locale, source: 'console', version: edit.version, updatedAt: edit.at, updatedBy: edit.by });
    }
    for (const [key, edit] of edits) {
      const [l, intent] = key.split('/') as [Locale, string];
      if (l !== locale || !edit.entry || fromFile.some((e) => e.intent === intent)) continue;
      out.push({ ...edit.entry, locale, source: 'console', version: edit.version, updatedAt: edit.at, updatedBy: edit.by });
    }
    return out;
  }

  function rebuild(): void {
    views = new Map(LOCALES.map((l) => [l, viewsOf(l)]));
    answers = new Map([...views].flatMap(([l, list]) => list.map((e) => [kbKey(l, e.intent), faqAnswerOf(e)] as const)));
  }
  rebuild();

  const fingerprint = () => JSON.stringify([...views]);
  const notFound = (locale: Locale, intent: string) =>
    new KefuError('KEFU_ERR_KB_NOT_FOUND', `The ${locale} knowledge base has no entry "${intent}"; list them with GET /console/api/kb?locale=${locale}.`);

  async function saved(locale: Locale, intent: string, entry: FaqEntry | null, change: KbChange): Promise<KbVersion> {
    const version = await history.append(locale, intent, { entry, by: change.by, ...(change.baseVersion !== undefined ? { baseVersion: change.baseVersion } : {}) });
    const known = edits.get(kbKey(locale, intent));
    if (!known || known.version < version.version) edits.set(kbKey(locale, intent), version);
    rebuild();
    return version;
  }

  const kb: KnowledgeBase = {
    answer: (intent, locale) => answers.get(kbKey(locale, intent)),
    list: (locale) => views.get(locale) ?? [],
    get: (locale, intent) => views.get(locale)?.find((e) => e.intent === intent),
    async history(locale, intent) {
      const file = fileEntry(locale, intent);
      const base: KbVersion[] = file ? [{ version: 0, at: 0, by: 'file', entry: file }] : [];
      return [...base, ...(await history.versions(locale, intent))];
    },
    async create(input, change) {
      const entry = parseFaqEntry(input, `entry (${change.locale})`);
      if (kb.get(change.locale, entry.intent)) {
        throw new KefuError('KEFU_ERR_KB_CONFLICT', `The ${change.locale} knowledge base already has "${entry.intent}"; edit that entry instead.`);
      }
      const current = edits.get(kbKey(change.locale, entry.intent))?.version ?? 0; // a deleted entry comes back as its next version
      await saved(change.locale, entry.intent, entry, { ...change, baseVersion: current });
      return kb.get(change.locale, entry.intent) as KbEntryView;
    },
    async update(intent, input, change) {
      if (!kb.get(change.locale, intent)) throw notFound(change.locale, intent);
      const entry = parseFaqEntry(input, `entry "${intent}" (${change.locale})`);
      if (entry.intent !== intent)
        throw new KefuError('KEFU_ERR_KB_INVALID', `Knowledge base entry "${intent}" cannot be renamed to "${entry.intent}"; create the new one and delete the old one.`);
      await saved(change.locale, intent, entry, change);
      return kb.get(change.locale, intent) as KbEntryView;
    },
    async remove(intent, change) {
      if (!kb.get(change.locale, intent)) throw notFound(change.locale, intent);
      return saved(change.locale, intent, null, change);
    },
    async reload() {
      const before = fingerprint();
      edits = await history.latest();
      rebuild();
      return fingerprint() !== before;
    },
    training() {
      const out = new Map<Locale, FaqTraining>();
      for (const locale of LOCALES) {
        const entries = kb.list(locale);
        const retired = (opts.files.get(locale) ?? []).map((e) => e.intent).filter((i) => !entries.some((e) => e.intent === i));
        out.set(locale, { entries, retired });
      }
      return out;
    },
  };
  return kb;
}
