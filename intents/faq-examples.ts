/**
 * Merges a knowledge base into a corpus: each FAQ entry's questions become examples of its intent,
 * next to whatever the corpus already has for it. Intents of deleted entries (`retired`) lose their
 * corpus examples too, so a deleted FAQ is no longer recognised.
 */
import type { TrainingExample } from './corpus';
import type { FaqEntry } from './faq-file';

/** What the knowledge base adds to one locale's training. */
export interface FaqTraining {
  entries: readonly FaqEntry[];
  /** FAQ intents that were deleted: their corpus examples are dropped. */
  retired?: readonly string[];
}

const sameText = (s: string) => s.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();

/** The corpus examples (minus retired intents) followed by every FAQ question not already there. */
export function mergeFaqExamples(corpus: readonly TrainingExample[], faq: FaqTraining): TrainingExample[] {
  const retired = new Set(faq.retired ?? []);
  const live = new Set(faq.entries.map((e) => e.intent));
  const out = corpus.filter((e) => !retired.has(e.intent) || live.has(e.intent));
  const seen = new Set(out.map((e) => `${e.intent}\t${sameText(e.text)}`));
  for (const entry of faq.entries) {
    for (const text of entry.questions) {
      const key = `${entry.intent}\t${sameText(text)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ text, intent: entry.intent });
    }
  }
  return out;
}
