/**
 * What a turn's variants change: texts and which dialog answers an intent (through the turn
 * context's `overrides`), the NLU threshold (the classification, before the dialog step) and
 * earlier handoff rules. With several experiments running, the first one that changes a thing wins.
 */
import { type Classification, type Locale, NONE_INTENT, type TurnOverrides } from '../../core';
import type { Variant } from './schema';

export function turnOverrides(variants: readonly Variant[]): TurnOverrides {
  return {
    text(dialogId: string, key: string, locale: Locale) {
      for (const v of variants) {
        const template = v.texts[dialogId]?.[locale]?.[key];
        if (template !== undefined) return template;
      }
      return undefined;
    },
    dialogFor(intent: string) {
      for (const v of variants) if (v.dialogs[intent]) return v.dialogs[intent];
      return undefined;
    },
  };
}

/** The first variant's NLU threshold, if any sets one. */
export function thresholdOf(variants: readonly Variant[]): number | undefined {
  return variants.find((v) => v.nluThreshold !== undefined)?.nluThreshold;
}

/**
 * Re-reads the classification at another confidence threshold: the best-ranked intent when it
 * reaches it, else None. (Quick replies that name an intent score 1 and always pass.)
 */
export function applyThreshold(c: Classification, threshold: number): void {
  const best = c.ranking[0];
  if (best && best.intent !== NONE_INTENT && best.score >= threshold) {
    c.intent = best.intent;
    c.score = best.score;
  } else if (c.intent !== NONE_INTENT && c.score < threshold) {
    c.intent = NONE_INTENT;
  }
}

/** The variants' handoff rules, the first set of each. */
export function handoffRulesOf(variants: readonly Variant[]): { afterFallbacks?: number; angerThreshold?: number } {
  const afterFallbacks = variants.find((v) => v.handoff?.afterFallbacks !== undefined)?.handoff?.afterFallbacks;
  const angerThreshold = variants.find((v) => v.handoff?.angerThreshold !== undefined)?.handoff?.angerThreshold;
  return { ...(afterFallbacks === undefined ? {} : { afterFallbacks }), ...(angerThreshold === undefined ? {} : { angerThreshold }) };
}
