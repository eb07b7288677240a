/**
 * A small lexicon scorer shared by the en and zh lexicons: longest-match lookup of phrases,
 * negators that flip the next sentiment phrase within a few units, and intensifiers that scale it
 * (downtoners such as "a bit" / 有点 are intensifiers under 1). Units are words (en) or characters
 * (zh); `sep` joins units into phrases. Besides the polarity sum it counts anger cues, so that one
 * negative word alone is never read as anger (see index.ts).
 */
export interface Lexicon {
  /** Phrase → polarity, about −3 (furious) … +3 (delighted). */
  words: Readonly<Record<string, number>>;
  negators: ReadonlySet<string>;
  /** Phrase → multiplier for the next sentiment phrase. */
  intensifiers: Readonly<Record<string, number>>;
  /** Words that show anger on their own (insults, profanity, threats to complain or sue, "furious"): two cues each. */
  strong?: ReadonlySet<string>;
  sep: '' | ' ';
}

export interface LexiconScore {
  /** Sum of the (negated, intensified) polarities. */
  raw: number;
  hits: number;
  /**
   * Anger cues: an emotional negative word (|polarity| ≥ 1.5, negated positives such as "not happy"
   * included) counts 1, a strong word 2, an intensifier on it 1 more. Problem words ("late",
   * 慢, 问题) move the polarity but are no cue: they describe the issue, not the customer's mood.
   */
  cues: number;
}

/** How far (in units) a negator or intensifier reaches. */
const SCOPE = 3;
/** Polarity from which a negative word counts as an emotion (an anger cue), not a description of the problem. */
const EMOTIONAL = 1.5;

export function scoreUnits(units: readonly string[], lex: Lexicon): LexiconScore {
  let raw = 0;
  let hits = 0;
  let cues = 0;
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
      const value = (negate ? (polarity > 0 ? -1.2 : -0.5) : 1) * polarity * boost;
      raw += value;
      if (value < 0) cues += angerCues(phrase, polarity, negate, boost, lex);
      hits++;
      negate = false;
      boost = 1;
      pendingSince = -1;
    }
    i += length;
  }
  return { raw, hits, cues };
}

function angerCues(phrase: string, polarity: number, negated: boolean, boost: number, lex: Lexicon): number {
  if (!negated && lex.strong?.has(phrase)) return 2 + (boost > 1 ? 1 : 0);
  if (Math.abs(polarity) < EMOTIONAL || boost < 1) return 0; // a problem word, or softened ("a bit disappointed")
  return 1 + (boost > 1 ? 1 : 0);
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
