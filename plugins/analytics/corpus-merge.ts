/**
 * Adds labelled examples to a corpus file's text (`{ "locale", "data": [{ "intent", "utterances" }] }`)
 * without re-printing it: each utterance goes after the intent's last one, with the separator the
 * file already uses; a new intent is added after the last one in the same layout. Nothing is added
 * twice: an utterance already present (case, spaces and punctuation ignored, as the corpus test
 * compares) is skipped, and one present under another intent is reported as a conflict.
 */
import { isDeepStrictEqual } from 'node:util';
import { KefuError } from '../../core/errors';
import { field, indentOf, type JsonNode, readJsonSpans, separatorOf } from './json-spans';

export interface LabelledExample {
  text: string;
  intent: string;
}

export type SkipReason = 'duplicate' | 'conflict' | 'unknown-intent';

export interface MergeResult {
  raw: string;
  added: LabelledExample[];
  skipped: Array<LabelledExample & { reason: SkipReason; other?: string }>;
}

interface CorpusShape {
  locale: string;
  data: Array<{ intent: string; utterances: string[] }>;
}

/** The comparison of test/dialogs/corpus.test.ts: case, spaces and punctuation do not count. */
export function corpusKey(s: string): string {
  return s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s.,!?;:~。，！？；：、…“”"'‘’]+/g, ' ')
    .trim();
}

export function mergeIntoCorpus(raw: string, file: string, examples: readonly LabelledExample[], opts: { allowNewIntents?: boolean } = {}): MergeResult {
  const corpus = parseShape(raw, file);
  const owner = new Map<string, string>();
  for (const d of corpus.data) for (const u of d.utterances) owner.set(corpusKey(u), d.intent);
  const known = new Set(corpus.data.map((d) => d.intent));
  const result: MergeResult = { raw, added: [], skipped: [] };
  const additions = new Map<string, string[]>();
  for (const ex of examples) {
    const text = ex.text.trim();
    const k = corpusKey(text);
    const other = owner.get(k);
    if (other !== undefined) {
      result.skipped.push(other === ex.intent ? { ...ex, reason: 'duplicate' } : { ...ex, reason: 'conflict', other });
      continue;
    }
    if (!known.has(ex.intent) && !opts.allowNewIntents) {
      result.skipped.push({ ...ex, reason: 'unknown-intent' });
      continue;
    }
    owner.set(k, ex.intent);
    additions.set(ex.intent, [...(additions.get(ex.intent) ?? []), text]);
    result.added.push({ text, intent: ex.intent });
  }
  if (!additions.size) return result;
  result.raw = insert(raw, file, additions);
  const expected: CorpusShape = structuredClone(corpus);
  for (const [intent, utterances] of additions) {
    const entry = expected.data.find((d) => d.intent === intent);
    if (entry) entry.utterances.push(...utterances);
    else expected.data.push({ intent, utterances });
  }
  if (!isDeepStrictEqual(JSON.parse(result.raw), expected)) {
    throw new KefuError(
      'KEFU_ERR_NLU_CORPUS_INVALID',
      `Corpus ${file} could not be edited in place (unexpected layout); nothing was written. Add the examples by hand or print them with --jsonl.`,
    );
  }
  return result;
}

function parseShape(raw: string, file: string): CorpusShape {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    throw new KefuError('KEFU_ERR_NLU_CORPUS_INVALID', `Intent corpus ${file} is not valid JSON (${(err as Error).message}); fix it before exporting.`, { cause: err });
  }
  const data = (json as { data?: unknown })?.data;
  const ok = Array.isArray(data) && data.every((d) => typeof d?.intent === 'string' && Array.isArray(d.utterances) && d.utterances.every((u: unknown) => typeof u === 'string'));
  if (!ok) throw new KefuError('KEFU_ERR_NLU_CORPUS_INVALID', `Intent corpus ${file} has no "data" list of { intent, utterances }; fix it before exporting.`);
  return json as CorpusShape;
}

function insert(raw: string, file: string, additions: ReadonlyMap<string, string[]>): string {
  const data = field(readJsonSpans(raw), 'data');
  if (data?.kind !== 'array' || !data.items.length) throw new KefuError('KEFU_ERR_NLU_CORPUS_INVALID', `Intent corpus ${file} has no "data" list with intents.`);
  const edits: Array<{ at: number; text: string }> = [];
  const fresh: Array<[string, string[]]> = [];
  for (const [intent, utterances] of additions) {
    const entry = data.items.find((d) => {
      const name = field(d, 'intent');
      return name?.kind === 'string' && name.value === intent;
    });
    const list = field(entry, 'utterances');
    if (list?.kind !== 'array' || !list.items.length) {
      fresh.push([intent, utterances]);
      continue;
    }
    const sep = separatorOf(raw, list);
    edits.push({ at: (list.items.at(-1) as JsonNode).end, text: utterances.map((u) => `${sep}${JSON.stringify(u)}`).join('') });
  }
  if (fresh.length) edits.push({ at: (data.items.at(-1) as JsonNode).end, text: fresh.map(([i, u]) => newIntentText(raw, data, i, u)).join('') });
  let out = raw;
  for (const e of edits.sort((a, b) => b.at - a.at)) out = out.slice(0, e.at) + e.text + out.slice(e.at);
  return out;
}

/** A new `{ intent, utterances }` laid out like the last intent of the file. */
function newIntentText(raw: string, data: JsonNode & { kind: 'array' }, intent: string, utterances: string[]): string {
  const last = data.items.at(-1) as JsonNode;
  const sep = separatorOf(raw, data);
  const lastText = raw.slice(last.start, last.end);
  if (!lastText.includes('\n')) return `${sep}{ "intent": ${JSON.stringify(intent)}, "utterances": [${utterances.map((u) => JSON.stringify(u)).join(', ')}] }`;
  const indent = indentOf(raw, last.start);
  const block = JSON.stringify({ intent, utterances }, null, 2).replace(/\n/g, `\n${indent}`);
  return `${sep}${block}`;
}
