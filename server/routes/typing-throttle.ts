/**
 * At most one typing signal per key (a conversation and a side) every `intervalMs`: a page or a
 * console may report every keystroke, the console and the customer's page hear one every 3 s.
 */
import { touchBounded } from '../rate-limit';

export const TYPING_INTERVAL_MS = 3_000;
const MAX_KEYS = 100_000;

export function createTypingThrottle(now: () => number, intervalMs = TYPING_INTERVAL_MS): (key: string) => boolean {
  const last = new Map<string, number>();
  return (key) => {
    const t = now();
    const before = last.get(key);
    if (before !== undefined && t - before < intervalMs) return false;
    touchBounded(last, key, t, MAX_KEYS);
    return true;
  };
}
