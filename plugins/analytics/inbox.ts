/**
 * The unrecognised-messages inbox: every message the bot could not place is kept once per normalised
 * text (`data.inbox`), with how often it came and the classifier's best guesses, until staff label
 * it with an intent (or dismiss it) and `kefu learn --export` adds it to the corpus. Texts are
 * customer data: KEFU_ENCRYPTION_KEY encrypts them at rest; the entry id is an HMAC with a random
 * salt kept (encrypted) in `data.meta`, so ids do not reveal texts.
 */
import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { type Classification, NONE_INTENT } from '../../core/classifier';
import type { InboxEntry, InboxStatus, Repositories } from '../../core/data';
import { KefuError } from '../../core/errors';
import { keptSalt } from '../../core/meta-values';
import { LOCALES, type Locale } from '../../core/model';
import { withFields } from '../../core/objects';
import { withStoreRetry } from '../../core/session-io';
import type { ActionResult } from '../handoff/types';

/** The meta value holding the inbox's hashing salt. */
export const SALT_META = 'inbox-salt';
const MAX_ATTEMPTS = 20;
/** An intent id as the corpora use them: `order.status`, `faq.shipping`, `None`. */
export const INTENT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

const entrySchema = z.object({
  id: z.string(),
  text: z.string(),
  locale: z.enum(LOCALES),
  candidates: z.array(z.object({ intent: z.string(), score: z.number() })),
  count: z.number(),
  firstAt: z.number(),
  lastAt: z.number(),
  channel: z.string(),
  status: z.enum(['open', 'labelled', 'dismissed', 'exported']),
  intent: z.string().optional(),
  by: z.string().optional(),
  decidedAt: z.number().optional(),
  exportedAt: z.number().optional(),
});

/** Case, width, spacing, punctuation and digits do not make two messages different. */
export function normalizeText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\d+/g, '#')
    .replace(/[\p{P}\p{S}\s]+/gu, ' ')
    .trim();
}

export interface UnrecognisedMessage {
  text: string;
  locale: Locale;
  channel: string;
  ranking: Classification['ranking'];
  at: number;
}

export interface Inbox {
  /** Keeps (or counts again) a message; texts without any letter (a bare number, emoji) are skipped. */
  record(message: UnrecognisedMessage): Promise<void>;
  /** The id of the entry a text would be kept under (undefined for texts the inbox skips): erasure finds a customer's texts by it. */
  idOf(text: string, locale: Locale): Promise<string | undefined>;
  /** Entries, open first, most frequent first. */
  list(filter?: { status?: InboxStatus; locale?: Locale }): Promise<InboxEntry[]>;
  get(id: string): Promise<InboxEntry | undefined>;
  /**
   * Labels an entry with an intent. With `known` (the intents the bot's classifier knows in the
   * entry's language), only those, the intents other entries were labelled with, or a new intent
   * created explicitly (`newIntent: true`) are accepted; anything else is KEFU_ERR_INBOX_LABEL_UNKNOWN.
   */
  label(id: string, intent: string, by: string, opts?: LabelOptions): Promise<ActionResult<{ entry: InboxEntry }>>;
  /** The intents entries of `locale` were labelled with (new intents not yet in the corpus included). */
  labelIntents(locale: Locale): Promise<string[]>;
  dismiss(id: string, by: string): Promise<ActionResult<{ entry: InboxEntry }>>;
  markExported(ids: readonly string[]): Promise<number>;
  /** Deletes the least useful entries above the limit (exported, dismissed, then rare old open ones). */
  prune(): Promise<number>;
}

export interface LabelOptions {
  /** The intents the bot knows in the entry's language; without it any valid intent id is accepted. */
  known?: (locale: Locale) => readonly string[];
  /** The label is a new intent, on purpose ("create intent" in the console). */
  newIntent?: boolean;
}

export function createInbox(opts: { data: Repositories; limit?: number; now?: () => number }): Inbox {
  const { data } = opts;
  const limit = opts.limit ?? 500;
  const now = opts.now ?? Date.now;
  if (!Number.isInteger(limit) || limit < 1) throw new KefuError('KEFU_ERR_ANALYTICS_OPTIONS_INVALID', `inboxLimit must be a positive integer (got ${String(limit)}).`);
  let salt: Promise<string> | undefined;
  let created = 0;

  const loadSalt = () => keptSalt(data, SALT_META, { what: 'the inbox salt', attempts: MAX_ATTEMPTS });

  /** The entry (undefined when absent or not an entry) and the version to write over. */
  const read = async (id: string): Promise<{ value?: InboxEntry; version: number }> => {
    const found = await withStoreRetry('read the inbox', () => data.inbox.get(id));
    if (!found) return { version: 0 };
    const parsed = entrySchema.safeParse(found.value);
    return parsed.success ? { value: parsed.data as InboxEntry, version: found.version } : { version: found.version };
  };

  /** Read-modify-write of one entry; `change` returns the new entry, or undefined to leave it. */
  async function update(id: string, change: (e: InboxEntry | undefined) => InboxEntry | undefined): Promise<{ entry?: InboxEntry; created: boolean }> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const found = await read(id);
      const next = change(found.value);
      if (!next) return { created: false };
      if ((await withStoreRetry('save the inbox', () => data.inbox.put(next, found.version))) === 'ok') return { entry: next, created: !found.value };
    }
    throw new KefuError('KEFU_ERR_STORE_CONFLICT', `Inbox entry "${id}" kept changing; retry.`);
  }

  async function all(filter: { status?: InboxStatus; locale?: Locale } = {}): Promise<InboxEntry[]> {
    const out: InboxEntry[] = [];
    let after: string | undefined;
    do {
      const page = await withStoreRetry('list the inbox', () => data.inbox.list(filter, { limit: 500, ...(after ? { after } : {}) }));
      for (const e of page.items) if (entrySchema.safeParse(e).success) out.push(e);
      after = page.next;
    } while (after);
    return out;
  }

  const missing = (id: string) => ({
    ok: false as const,
    code: 'KEFU_ERR_INBOX_NOT_FOUND' as const,
    message: `No inbox entry "${id}"; it may have been pruned or expired. Reload the inbox.`,
  });

  const unknownLabel = (intent: string, locale: Locale, known: ReadonlySet<string>) => {
    const some = [...known].sort().slice(0, 12).join(', ');
    return {
      ok: false as const,
      code: 'KEFU_ERR_INBOX_LABEL_UNKNOWN' as const,
      message: `"${intent}" is not an intent the bot knows in ${locale} (it knows ${some || 'none'}${known.size > 12 ? ', …' : ''}). Pick one of them, or create the intent on purpose with { "intent": "${intent}", "newIntent": true }.`,
    };
  };

  const inbox: Inbox = {
    async idOf(text, locale) {
      const normal = normalizeText(text);
      if (!/\p{L}/u.test(normal)) return undefined;
      salt ??= loadSalt().catch((err: unknown) => {
        salt = undefined;
        throw err;
      });
      return `${locale}-${createHmac('sha256', await salt)
        .update(`${locale}\n${normal}`)
        .digest('hex')
        .slice(0, 20)}`;
    },
    async record(m) {
      const id = await inbox.idOf(m.text, m.locale);
      if (id === undefined) return;
      const candidates = m.ranking
        .filter((r) => r.intent !== NONE_INTENT)
        .slice(0, 3)
        .map((r) => ({ intent: r.intent, score: Math.round(r.score * 1000) / 1000 }));
      const result = await update(id, (e) =>
        e
          ? withFields(e, { count: e.count + 1, lastAt: Math.max(e.lastAt, m.at), candidates, channel: m.channel })
          : { id, text: m.text.trim(), locale: m.locale, candidates, count: 1, firstAt: m.at, lastAt: m.at, channel: m.channel, status: 'open' },
      );
      if (result.created && ++created % Math.max(1, Math.ceil(limit / 10)) === 0) await inbox.prune();
    },
    list: (filter = {}) => all(filter),
    get: async (id) => (await read(id)).value,
    async label(id, intent, by, opts = {}) {
      if (typeof intent !== 'string' || !INTENT_ID.test(intent)) {
        return { ok: false, code: 'KEFU_ERR_INBOX_INPUT_INVALID', message: `intent must be an intent id such as order.status or None (got ${JSON.stringify(intent)}).` };
      }
      if (opts.known && !opts.newIntent) {
        const current = (await read(id)).value;
        if (!current) return missing(id);
        const known = new Set([...opts.known(current.locale), ...(await inbox.labelIntents(current.locale))]);
        if (!known.has(intent)) return unknownLabel(intent, current.locale, known);
      }
      const { entry } = await update(id, (e) => e && { ...e, status: 'labelled', intent, by, decidedAt: now() });
      return entry ? { ok: true, entry } : missing(id);
    },
    async labelIntents(locale) {
      const decided = [...(await all({ status: 'labelled', locale })), ...(await all({ status: 'exported', locale }))];
      return [...new Set(decided.flatMap((e) => (e.intent ? [e.intent] : [])))].sort();
    },
    async dismiss(id, by) {
      const { entry } = await update(id, (e) => {
        if (!e) return undefined;
        const { intent: _dropped, ...rest } = e;
        return { ...rest, status: 'dismissed', by, decidedAt: now() };
      });
      return entry ? { ok: true, entry } : missing(id);
    },
    async markExported(ids) {
      let done = 0;
      for (const id of ids) {
        const { entry } = await update(id, (e) => (e?.status === 'labelled' ? { ...e, status: 'exported', exportedAt: now() } : undefined));
        if (entry) done += 1;
      }
      return done;
    },
    async prune() {
      const over = (await withStoreRetry('count the inbox', () => data.inbox.count())) - limit;
      if (over <= 0) return 0;
      const victims = await withStoreRetry('prune the inbox', () => data.inbox.pruneCandidates(over));
      await withStoreRetry('prune the inbox', () => data.inbox.delete(victims.map((v) => v.id)));
      return victims.length;
    },
  };
  return inbox;
}
