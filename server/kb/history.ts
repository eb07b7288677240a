/**
 * Every saved version of every knowledge base entry, in the store's `meta` documents (memory, SQLite
 * and MongoDB alike): one document per entry (`kb.entry.<locale>.<intent>`, its versions oldest
 * first) and one index (`kb.index`) listing the entries that have versions. Writes compare and set,
 * so two supervisors saving at once both land as versions, in some order; `baseVersion` turns a
 * stale edit into KEFU_ERR_KB_CONFLICT instead.
 */
import { KefuError, type Locale, type Repositories } from '../../core';
import type { FaqEntry } from '../../intents';

/** One saved version; `entry: null` is a deletion. Version 0 is the file's entry (never stored). */
export interface KbVersion {
  version: number;
  at: number;
  /** The staff member who saved it. */
  by: string;
  entry: FaqEntry | null;
}

interface EntryDoc {
  versions: KbVersion[];
}
interface IndexDoc {
  /** `<locale>/<intent>` of every entry with versions. */
  keys: string[];
}

const INDEX = 'kb.index';
const docName = (locale: Locale, intent: string) => `kb.entry.${locale}.${intent}`;
const MAX_ATTEMPTS = 20;

export interface KbHistory {
  /** The versions of one entry, oldest first (empty when it was never edited). */
  versions(locale: Locale, intent: string): Promise<KbVersion[]>;
  /** Saves a version; with `baseVersion`, only when it is the current version (else KB_CONFLICT). */
  append(locale: Locale, intent: string, change: { entry: FaqEntry | null; by: string; baseVersion?: number }): Promise<KbVersion>;
  /** The newest version of every edited entry, by `<locale>/<intent>`. */
  latest(): Promise<Map<string, KbVersion>>;
}

export const kbKey = (locale: Locale, intent: string) => `${locale}/${intent}`;

export function createKbHistory(data: Repositories, now: () => number): KbHistory {
  const versions = async (locale: Locale, intent: string) => (await data.meta.get<EntryDoc>(docName(locale, intent)))?.value.versions ?? [];

  async function addToIndex(key: string): Promise<void> {
    for (let i = 0; i < MAX_ATTEMPTS; i++) {
      const found = await data.meta.get<IndexDoc>(INDEX);
      if (found?.value.keys.includes(key)) return;
      if ((await data.meta.put(INDEX, { keys: [...(found?.value.keys ?? []), key] }, found?.version ?? 0)) === 'ok') return;
    }
    throw new KefuError('KEFU_ERR_STORE_CONFLICT', `The knowledge base index kept changing under ${MAX_ATTEMPTS} attempts; save the entry again.`);
  }

  async function append(locale: Locale, intent: string, change: { entry: FaqEntry | null; by: string; baseVersion?: number }): Promise<KbVersion> {
    const name = docName(locale, intent);
    for (let i = 0; i < MAX_ATTEMPTS; i++) {
      const found = await data.meta.get<EntryDoc>(name);
      const list = found?.value.versions ?? [];
      const current = list.at(-1)?.version ?? 0;
      if (change.baseVersion !== undefined && change.baseVersion !== current) {
        throw new KefuError(
          'KEFU_ERR_KB_CONFLICT',
          `${kbKey(locale, intent)} is at version ${current}, not ${change.baseVersion}: someone saved it in between. Reload it and save again.`,
        );
      }
      const saved: KbVersion = { version: current + 1, at: now(), by: change.by, entry: change.entry };
      if ((await data.meta.put(name, { versions: [...list, saved] }, found?.version ?? 0)) === 'ok') {
        await addToIndex(kbKey(locale, intent));
        return saved;
      }
    }
    throw new KefuError('KEFU_ERR_STORE_CONFLICT', `${kbKey(locale, intent)} kept changing under ${MAX_ATTEMPTS} attempts; save it again.`);
  }

  async function latest(): Promise<Map<string, KbVersion>> {
    const keys = (await data.meta.get<IndexDoc>(INDEX))?.value.keys ?? [];
    const out = new Map<string, KbVersion>();
    for (const key of keys) {
      const [locale, intent] = key.split('/') as [Locale, string];
      const last = (await versions(locale, intent)).at(-1);
      if (last) out.set(key, last);
    }
    return out;
  }

  return { versions, append, latest };
}
