import type { Entity } from '../../core';
import { matchAll, spanOf } from './types';

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;

/** E-mail addresses; the value is lower-cased. */
export function findEmails(text: string): Entity[] {
  if (!text.includes('@')) return [];
  return matchAll(text, EMAIL, (m) => {
    const span = spanOf(m);
    return { type: 'email', value: span.text.toLowerCase(), ...span };
  });
}
