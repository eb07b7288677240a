/**
 * A small lexicon scorer shared by the en and zh lexicons: longest-match lookup of phrases,
 * negators that flip the next sentiment phrase within a few units, and intensifiers that scale it.
 * Units are words (en) or characters (zh); `sep` joins units into phrases.
 */
export interface Lexicon {
  /** Phrase → polarity, about −3 (furious) … +3 (delighted). */
  words: Readonly<Record<string, number>>;
  negators: ReadonlySet<string>;
  /** Phrase → multiplier for the next sentiment phrase. */
  intensifiers: Readonly<Record<string, number>>;
  sep: '' | ' ';
}

export interface LexiconScore {
  /** Sum of the (negated, intensified) polarities. */
  raw: number;
  hits: number;
}

/** How far (in units) a negator or intensifier reaches. */
const SCOPE = 3;

export function scoreUnits(units: readonly string[], lex: Lexicon): LexiconScore {
  let raw = 0;
  let hits = 0;
  let negate = false;
  let boost = 1;
  let pendingSince = -1;
  let i = 0;
  while (i < units.length) {
    if (pendingSince >= 0 && i - pendingSince > SCOPE) {
      negate = false;
      boost = 1;
      pendingSince = -1;
    }
    const match = longestMatch(units, i, lex);
    if (!match) {
      i++;
      continue;
    }
    const { phrase, length } = match;
    const next = longestMatch(units, i + length, lex);
    const nextIsWord = next !== undefined && lex.words[next.phrase] !== undefined;
    if (lex.negators.has(phrase) && !(lex.words[phrase] !== undefined && !nextIsWord)) {
      negate = !negate;
      pendingSince = i;
    } else if (lex.intensifiers[phrase] !== undefined && (nextIsWord || lex.words[phrase] === undefined)) {
      boost *= lex.intensifiers[phrase] as number;
      pendingSince = i;
    } else if (lex.words[phrase] !== undefined) {
      const polarity = lex.words[phrase] as number;
      // "not bad" is mildly good, "not good" is clearly bad.
      raw += (negate ? (polarity > 0 ? -1.2 : -0.5) : 1) * polarity * boost;
      hits++;
      negate = false;
      boost = 1;
      pendingSince = -1;
    }
    i += length;
  }
  return { raw, hits };
}

/** Per lexicon: the first unit of every phrase → the longest phrase length starting with it. */
const firstUnits = new WeakMap<Lexicon, Map<string, number>>();

function firstUnitIndex(lex: Lexicon): Map<string, number> {
  let index = firstUnits.get(lex);
  if (!index) {
    index = new Map();
    for (const phrase of [...Object.keys(lex.words), ...lex.negators, ...Object.keys(lex.intensifiers)]) {
      const units = lex.sep === '' ? Array.from(phrase) : phrase.split(' ');
      index.set(units[0] as string, Math.max(index.get(units[0] as string) ?? 0, units.length));
    }
    firstUnits.set(lex, index);
  }
  return index;
}

function longestMatch(units: readonly string[], at: number, lex: Lexicon): { phrase: string; length: number } | undefined {
  // Most units start no phrase at all: skip them without building strings.
  const longest = firstUnitIndex(lex).get(units[at] as string);
  if (longest === undefined) return undefined;
  for (let n = Math.min(longest, units.length - at); n >= 1; n--) {
    const phrase = units.slice(at, at + n).join(lex.sep);
    if (lex.words[phrase] !== undefined || lex.negators.has(phrase) || lex.intensifiers[phrase] !== undefined) return { phrase, length: n };
  }
  return undefined;
}
