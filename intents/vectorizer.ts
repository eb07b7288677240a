/**
 * TF-IDF over the terms of `features.ts`: sublinear tf (1 + ln tf), smoothed idf, and an L2
 * norm per block (words, characters) times a block weight, as a union of two scikit-learn
 * TfidfVectorizers would do. Vectors are sparse: sorted indices + values.
 */
import { termBlock } from './features';

export interface SparseVector {
  idx: Int32Array;
  val: Float32Array;
}

export interface Vectorizer {
  /** Term → feature index. */
  vocab: Map<string, number>;
  idf: Float32Array;
  /** Weight of the word block and of the character block after each is L2-normalised. */
  blockWeights: [number, number];
  /**
   * idf given to terms outside the vocabulary. They get no feature, but they count in the norm,
   * so "what is the weather in paris" is not scored as if it were only "what is the": unknown
   * words dilute the known ones and the calibrated confidence drops (0 turns this off).
   */
  oovIdf: number;
  /** Features below this index are character n-grams, the rest word n-grams (see firstWordIndex). */
  firstWord: number;
}

export interface FitOptions {
  /** Drop terms seen in fewer training utterances than this. */
  minDf: number;
  blockWeights: [number, number];
  /** Let unknown terms dilute the vector (default true). */
  oovDilution?: boolean;
}

export function fitVectorizer(docs: readonly string[][], opts: FitOptions): Vectorizer {
  const df = new Map<string, number>();
  for (const terms of docs) {
    for (const t of new Set(terms)) df.set(t, (df.get(t) ?? 0) + 1);
  }
  const kept = [...df.entries()].filter(([, c]) => c >= opts.minDf).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const vocab = new Map<string, number>();
  const idf = new Float32Array(kept.length);
  const n = docs.length;
  kept.forEach(([term, count], i) => {
    vocab.set(term, i);
    idf[i] = Math.log((1 + n) / (1 + count)) + 1;
  });
  return { vocab, idf, blockWeights: opts.blockWeights, firstWord: firstWordIndex(kept.map(([t]) => t)), oovIdf: opts.oovDilution === false ? 0 : Math.log(1 + n) + 1 };
}

export function vectorize(v: Vectorizer, terms: readonly string[]): SparseVector {
  const ids: number[] = [];
  let unknown: Map<string, number> | undefined;
  for (const t of terms) {
    const i = v.vocab.get(t);
    if (i !== undefined) ids.push(i);
    else if (v.oovIdf > 0) {
      unknown ??= new Map();
      unknown.set(t, (unknown.get(t) ?? 0) + 1);
    }
  }
  const sorted = Int32Array.from(ids).sort();
  // Run-length count the sorted ids into (idx, tf-idf).
  const idx = new Int32Array(sorted.length);
  const val = new Float32Array(sorted.length);
  const norms = [0, 0];
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
    norms[i < v.firstWord ? 1 : 0] += w * w;
  }
  for (const [t, c] of unknown ?? []) {
    const w = (1 + Math.log(c)) * v.oovIdf;
    norms[termBlock(t)] += w * w;
  }
  const scale = [0, 1].map((b) => (norms[b] ? (v.blockWeights[b as 0 | 1] as number) / Math.sqrt(norms[b] as number) : 0));
  for (let k = 0; k < n; k++) val[k] = (val[k] as number) * (scale[(idx[k] as number) < v.firstWord ? 1 : 0] as number);
  return { idx: idx.slice(0, n), val: val.slice(0, n) };
}

/** Index of the first word term: the vocabulary is sorted, and 'c…' terms sort before 'w…' terms. */
export function firstWordIndex(sortedTerms: readonly string[]): number {
  let lo = 0;
  let hi = sortedTerms.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (termBlock(sortedTerms[mid] as string) === 0) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
