/**
 * Canned responses: short answers agents insert with a `/shortcut` in the reply box, in English and
 * Chinese. They are one versioned document in `data.meta` (every backend, every instance), changed
 * by compare-and-set and retried on a concurrent change, as the staff accounts are. Until someone
 * edits them the built-in defaults below are listed (nothing is stored).
 * @example
 * const canned = createCannedStore({ data: engine.data });
 * await canned.create({ shortcut: 'refund', texts: { en: 'Your refund is on its way.', zh: '退款已在处理中。' } }, 'lilei');
 * (await canned.list()).find((c) => c.shortcut === 'thanks')?.texts.zh; // '感谢您的耐心等待！'
 */
import { z } from 'zod';
import { KefuError, type Repositories } from '../../core';

export const CANNED_META = 'canned-responses';
const MAX_ATTEMPTS = 10;
/** Each console view lists them all: kept small on purpose. */
export const MAX_CANNED = 200;

const shortcutSchema = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, 'must be 1-32 lower-case letters, digits, "-" or "_", starting with a letter or digit (typed after "/")');
const textsSchema = z
  .object({ en: z.string().trim().min(1).max(2000).optional(), zh: z.string().trim().min(1).max(2000).optional() })
  .strict()
  .refine((t) => t.en !== undefined || t.zh !== undefined, 'give an English or a Chinese text (or both)');
export const cannedInputSchema = z.object({ shortcut: shortcutSchema, texts: textsSchema }).strict();
const cannedSchema = z.object({ shortcut: z.string(), texts: z.object({ en: z.string().optional(), zh: z.string().optional() }), by: z.string(), updatedAt: z.number() });
const docSchema = z.object({ schema: z.literal(1), items: z.array(cannedSchema) });

export type CannedInput = z.infer<typeof cannedInputSchema>;
export type CannedResponse = z.infer<typeof cannedSchema>;
type CannedDoc = z.infer<typeof docSchema>;

/** What a fresh install offers, so `/thanks` works before anyone has written one. */
export const DEFAULT_CANNED: readonly CannedResponse[] = [
  { shortcut: 'hello', texts: { en: 'Hi, thanks for waiting. How can I help you today?', zh: '您好，感谢您的等待！请问有什么可以帮您？' }, by: 'kefu', updatedAt: 0 },
  { shortcut: 'thanks', texts: { en: 'Thank you for your patience!', zh: '感谢您的耐心等待！' }, by: 'kefu', updatedAt: 0 },
  { shortcut: 'check', texts: { en: 'Let me check that for you; it takes a minute.', zh: '我帮您查一下，请稍等片刻。' }, by: 'kefu', updatedAt: 0 },
  { shortcut: 'bye', texts: { en: 'Is there anything else I can do for you? Have a nice day!', zh: '请问还有其他可以帮您的吗？祝您生活愉快！' }, by: 'kefu', updatedAt: 0 },
];

export interface CannedStore {
  /** Sorted by shortcut. */
  list(): Promise<CannedResponse[]>;
  create(input: unknown, by: string): Promise<CannedResponse>;
  update(shortcut: string, input: unknown, by: string): Promise<CannedResponse>;
  remove(shortcut: string, by: string): Promise<void>;
}

export function cannedInvalid(message: string): KefuError {
  return new KefuError('KEFU_ERR_CANNED_INVALID', message);
}

function parseInput(input: unknown): CannedInput {
  const r = cannedInputSchema.safeParse(input);
  if (!r.success) throw cannedInvalid(`Canned response is invalid: ${r.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')}.`);
  return r.data;
}

function found(doc: CannedDoc, shortcut: string): CannedResponse {
  const c = doc.items.find((x) => x.shortcut === shortcut);
  if (!c) throw new KefuError('KEFU_ERR_CANNED_NOT_FOUND', `No canned response "/${shortcut}"; list them with GET /console/api/canned.`);
  return c;
}

export function createCannedStore(opts: { data: Repositories; now?: () => number }): CannedStore {
  const now = opts.now ?? Date.now;

  async function read(): Promise<{ doc: CannedDoc; version: number }> {
    const stored = await opts.data.meta.get<unknown>(CANNED_META);
    if (!stored) return { doc: { schema: 1, items: DEFAULT_CANNED.map((c) => ({ ...c, texts: { ...c.texts } })) }, version: 0 };
    const parsed = docSchema.safeParse(stored.value);
    if (!parsed.success)
      throw new KefuError('KEFU_ERR_STORE_VALUE_INVALID', `The stored canned responses ("${CANNED_META}") do not match their schema; restore them from a backup.`);
    return { doc: parsed.data, version: stored.version };
  }

  /** Read, change, compare-and-set; retried when another instance saved in between. */
  async function change<T>(apply: (doc: CannedDoc) => T): Promise<T> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const { doc, version } = await read();
      const result = apply(doc);
      doc.items.sort((a, b) => (a.shortcut < b.shortcut ? -1 : 1));
      if ((await opts.data.meta.put(CANNED_META, doc, version)) === 'ok') return result;
    }
    throw new KefuError('KEFU_ERR_STORE_CONFLICT', 'The canned responses kept changing elsewhere; retry.');
  }

  return {
    list: async () => (await read()).doc.items.sort((a, b) => (a.shortcut < b.shortcut ? -1 : 1)),
    async create(input, by) {
      const { shortcut, texts } = parseInput(input);
      return change((doc) => {
        if (doc.items.some((c) => c.shortcut === shortcut))
          throw new KefuError('KEFU_ERR_CANNED_CONFLICT', `A canned response "/${shortcut}" exists already; edit it or pick another shortcut.`);
        if (doc.items.length >= MAX_CANNED) throw cannedInvalid(`There are ${MAX_CANNED} canned responses already; delete some first.`);
        const c: CannedResponse = { shortcut, texts, by, updatedAt: now() };
        doc.items.push(c);
        return c;
      });
    },
    async update(shortcut, input, by) {
      const next = parseInput(input);
      return change((doc) => {
        const c = found(doc, shortcut);
        if (next.shortcut !== shortcut && doc.items.some((x) => x.shortcut === next.shortcut))
          throw new KefuError('KEFU_ERR_CANNED_CONFLICT', `A canned response "/${next.shortcut}" exists already; pick another shortcut.`);
        Object.assign(c, { shortcut: next.shortcut, texts: next.texts, by, updatedAt: now() });
        return { ...c };
      });
    },
    async remove(shortcut, by) {
      await change((doc) => {
        found(doc, shortcut);
        doc.items = doc.items.filter((c) => c.shortcut !== shortcut);
        return by;
      });
    },
  };
}
