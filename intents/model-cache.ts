/**
 * Saves and loads trained models under `<cacheDir>/nlu-<locale>-<hash>.json`, where the hash
 * covers the corpus, the training options and CLASSIFIER_VERSION: a restart with the same corpus
 * loads instead of retraining, and any change trains anew. Float arrays are stored as base64 of
 * their exact bytes, so a loaded model predicts exactly what the trained one did.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { LOCALES, type Locale } from '../core';
import type { TrainingExample } from './corpus';
import { CLASSIFIER_VERSION, type IntentModel } from './intent-model';
import { createVectorizer } from './vectorizer';

export function modelHashOf(locale: Locale, examples: readonly TrainingExample[], options: unknown): string {
  const h = createHash('sha256');
  h.update(JSON.stringify({ version: CLASSIFIER_VERSION, locale, options: options ?? null }));
  for (const e of examples) h.update(`\n${e.intent}\t${e.text}`);
  return h.digest('hex').slice(0, 16);
}

export function modelFile(cacheDir: string, locale: Locale, hash: string): string {
  return join(cacheDir, `nlu-${locale}-${hash}.json`);
}

const b64 = (a: Float32Array | Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
function f32(s: string): Float32Array {
  const buf = Buffer.from(s, 'base64');
  const out = new Float32Array(Math.floor(buf.byteLength / 4));
  new Uint8Array(out.buffer).set(buf);
  return out;
}

function f64(s: string): Float64Array {
  const buf = Buffer.from(s, 'base64');
  const out = new Float64Array(Math.floor(buf.byteLength / 8));
  new Uint8Array(out.buffer).set(buf);
  return out;
}

const savedSchema = z.object({
  version: z.literal(CLASSIFIER_VERSION),
  locale: z.enum(LOCALES),
  spec: z.object({ wordMin: z.number(), wordMax: z.number(), charMin: z.number(), charMax: z.number(), skipWindow: z.number() }),
  blockWeights: z.tuple([z.number(), z.number()]),
  oovIdf: z.number().nonnegative(),
  classes: z.array(z.string()).min(1),
  /** Term keys (float64, base64). */
  keys: z.string(),
  idf: z.string(),
  weights: z.string(),
  bias: z.string(),
  temperature: z.number().positive(),
});

export function serializeModel(model: IntentModel): string {
  return JSON.stringify({
    version: model.version,
    locale: model.locale,
    spec: model.spec,
    blockWeights: model.vectorizer.blockWeights,
    oovIdf: model.vectorizer.oovIdf,
    classes: model.classes,
    keys: b64(model.vectorizer.keys),
    idf: b64(model.vectorizer.idf),
    weights: b64(model.linear.weights),
    bias: b64(model.linear.bias),
    temperature: model.temperature,
  });
}

/** Parses a saved model; undefined when it is from another version or damaged (then retrain). */
export function deserializeModel(raw: string): IntentModel | undefined {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return undefined;
  }
  const parsed = savedSchema.safeParse(json);
  if (!parsed.success) return undefined;
  const s = parsed.data;
  const keys = f64(s.keys);
  const idf = f32(s.idf);
  const weights = f32(s.weights);
  const bias = f32(s.bias);
  const K = s.classes.length;
  if (idf.length !== keys.length || bias.length !== K || weights.length !== idf.length * K) return undefined;
  return {
    version: s.version,
    locale: s.locale,
    spec: s.spec,
    classes: s.classes,
    vectorizer: createVectorizer(keys, idf, s.blockWeights, s.oovIdf),
    linear: { dim: idf.length, numClasses: K, weights, bias },
    temperature: s.temperature,
  };
}

export function readCachedModel(file: string): IntentModel | undefined {
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  return deserializeModel(raw);
}

/**
 * Writes via a temporary file and a rename, so a crash never leaves half a model behind, then
 * deletes the locale's older models (other hashes), so the cache does not grow with every edit.
 */
export function writeCachedModel(file: string, cacheDir: string, model: IntentModel): void {
  mkdirSync(cacheDir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, serializeModel(model));
  renameSync(tmp, file);
  const prefix = `nlu-${model.locale}-`;
  for (const name of readdirSync(cacheDir)) {
    if (name.startsWith(prefix) && name.endsWith('.json') && join(cacheDir, name) !== file) rmSync(join(cacheDir, name), { force: true });
  }
}
