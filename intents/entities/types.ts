import type { Entity } from '../../core';

/** An entity finder: pure, works on the original text, returns spans into it. */
export type EntityFinder = (text: string) => Entity[];

/** Runs a global regex and maps each match (or skips it when `map` returns undefined). */
export function matchAll(text: string, re: RegExp, map: (m: RegExpExecArray) => Entity | undefined): Entity[] {
  const out: Entity[] = [];
  for (const m of text.matchAll(re)) {
    const e = map(m as RegExpExecArray);
    if (e) out.push(e);
  }
  return out;
}

/** The entity for a match whose interesting part is capture group `group` (or the whole match). */
export function spanOf(m: RegExpExecArray, group = 0): { text: string; start: number; end: number } {
  const whole = m[0];
  const part = m[group] ?? whole;
  const start = (m.index ?? 0) + (group === 0 ? 0 : whole.indexOf(part));
  return { text: part, start, end: start + part.length };
}
