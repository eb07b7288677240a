/**
 * TF-IDF over the term keys of `features.ts`: sublinear tf (1 + ln tf), smoothed idf, and an L2
 * norm per block (words, characters) times a block weight, as a union of two scikit-learn
 * TfidfVectorizers would do. Vectors are sparse: sorted indices + values.
 */
import { termBlock } from './features';

export interface SparseVector {
  idx: Int32Array;
  val: Float32Array;
}

export interface Vectorizer {
  /** Term key → feature index. */
  vocab: KeyTable;
  /** The term key of each feature (ascending). */
  keys: Float64Array;
  /** The block of each feature (0 words, 1 characters). */
  blocks: Uint8Array;
  idf: Float32Array;
  /** Weight of the word block and of the character block after each is L2-normalised. */
  blockWeights: [number, number];
  /**
   * idf given to terms outside the vocabulary. They get no feature, but they count in the norm,
   * so "what is the weather in paris" is not scored as if it were only "what is the": unknown
   * words dilute the known ones and the calibrated confidence drops (0 turns this off).
   */
  oovIdf: number;
}

export interface FitOptions {
  /** Drop terms seen in fewer training utterances than this. */
  minDf: number;
  blockWeights: [number, number];
  /** Let unknown terms dilute the vector (default true). */
  oovDilution?: boolean;
}

/**
 * An open-addressing hash table from term key to feature index. Term keys are 53-bit integers;
 * a Map keyed by them boxes every lookup, and classifying looks up a few hundred per message.
 */
export interface KeyTable {
  hi: Int32Array;
  lo: Int32Array;
  /** Feature index, −1 for an empty slot. */
  ids: Int32Array;
  mask: number;
}

const SPLIT = 2097152; // 2^21: termKey() puts 32 bits above it and 21 below

function slotOf(hi: number, lo: number, mask: number): number {
  return (Math.imul(hi ^ (lo << 11), 0x9e3779b1) >>> 8) & mask;
}

export function createKeyTable(keys: Float64Array): KeyTable {
  let size = 16;
  while (size < keys.length * 2) size *= 2;
  const t: KeyTable = { hi: new Int32Array(size), lo: new Int32Array(size), ids: new Int32Array(size).fill(-1), mask: size - 1 };
  keys.forEach((key, i) => {
    const high = Math.floor(key / SPLIT);
    const hi = high | 0;
    const lo = key - high * SPLIT;
    let slot = slotOf(hi, lo, t.mask);
    while ((t.ids[slot] as number) >= 0) slot = (slot + 1) & t.mask;
    t.hi[slot] = hi;
    t.lo[slot] = lo;
    t.ids[slot] = i;
  });
  return t;
}

/** The feature index of a term key, or −1. */
export function lookup(t: KeyTable, key: number): number {
  // Subtraction, not %: a floating-point modulo per term was a third of the classify time.
  const high = Math.floor(key / SPLIT);
  const hi = high | 0;
  const lo = key - high * SPLIT;
  let slot = slotOf(hi, lo, t.mask);
  for (;;) {
    const id = t.ids[slot] as number;
    if (id < 0 || (t.hi[slot] === hi && t.lo[slot] === lo)) return id;
    slot = (slot + 1) & t.mask;
  }
}

export function fitVectorizer(docs: readonly (readonly number[])[], opts: FitOptions): Vectorizer {
  const df = new Map<number, number>();
  for (const terms of docs) {
    for (const t of new Set(terms)) df.set(t, (df.get(t) ?? 0) + 1);
  }
  const kept = [...df.entries()].filter(([, c]) => c >= opts.minDf).sort((a, b) => a[0] - b[0]);
  const idf = new Float32Array(kept.length);
  const n = docs.length;
  kept.forEach(([, count], i) => {
    idf[i] = Math.log((1 + n) / (1 + count)) + 1;
  });
  return createVectorizer(
    Float64Array.from(kept, ([key]) => key),
    idf,
    opts.blockWeights,
    opts.oovDilution === false ? 0 : Math.log(1 + n) + 1,
  );
}

export function createVectorizer(keys: Float64Array, idf: Float32Array, blockWeights: [number, number], oovIdf: number): Vectorizer {
  return { vocab: createKeyTable(keys), keys, blocks: Uint8Array.from(keys, termBlock), idf, blockWeights, oovIdf };
}

export function vectorize(v: Vectorizer, terms: readonly number[]): SparseVector {
  const ids: number[] = [];
  const unknown: number[] = [];
  for (const t of terms) {
    const i = lookup(v.vocab, t);
    if (i >= 0) ids.push(i);
    else if (v.oovIdf > 0) unknown.push(t);
  }
  const sorted = new Int32Array(ids).sort();
  // Run-length count the sorted ids into (idx, tf-idf); the squared weights summed per block.
  const idx = new Int32Array(sorted.length);
  const val = new Float32Array(sorted.length);
  const norms = new Float64Array(2);
  let n = 0;
  for (let k = 0; k < sorted.length; ) {
    const i = sorted[k] as number;
    let c = 0;
    while (k < sorted.length && sorted[k] === i) {
      c++;
      k++;
    }
    const w = (1 + Math.log(c)) * (v.idf[i] as number);
    idx[n] = i;
    val[n++] = w;
    norms[v.blocks[i] as number] += w * w;
  }
  if (unknown.length) addOutOfVocabularyNorms(norms, unknown, v.oovIdf);
  const scale0 = blockScale(norms[0] as number, v.blockWeights[0]);
  const scale1 = blockScale(norms[1] as number, v.blockWeights[1]);
  for (let k = 0; k < n; k++) val[k] = (val[k] as number) * (v.blocks[idx[k] as number] === 1 ? scale1 : scale0);
  return { idx: idx.slice(0, n), val: val.slice(0, n) };
}

/** A block's weight over its L2 norm; 0 for a block with no terms. */
function blockScale(norm: number, weight: number): number {
  return norm ? weight / Math.sqrt(norm) : 0;
}

/**
 * Out-of-vocabulary terms dilute the norm of their block (they have no feature of their own). Kept
 * out of `vectorize`: most messages have none, and a path optimised code has never run was a deopt
 * on every message that had one (V8 left the optimised code in place and deoptimised it again each
 * time: 211 deopts in 11,000 turns of the bench mix).
 */
function addOutOfVocabularyNorms(norms: Float64Array, unknown: readonly number[], oovIdf: number): void {
  const oov = Float64Array.from(unknown).sort();
  for (let k = 0; k < oov.length; ) {
    const t = oov[k] as number;
    let c = 0;
    while (k < oov.length && oov[k] === t) {
      c++;
      k++;
    }
    const w = (1 + Math.log(c)) * oovIdf;
    norms[termBlock(t)] += w * w;
  }
}
