/**
 * Backoff for console logins: after a few wrong passwords for an account (or from one address) the
 * next attempt must wait, 1 s and doubling up to 15 min, so guessing 1,000 passwords takes days
 * instead of two seconds. A right password resets the account's count. Per process, bounded.
 */
import { touchBounded } from './rate-limit';

export interface LoginThrottle {
  /** How long (ms) this attempt must wait, or 0 when it may go ahead. */
  wait(account: string, ip: string): number;
  /** A wrong password: resolves to the account's failures so far. */
  failed(account: string, ip: string): number;
  succeeded(account: string): void;
}

const FREE_ACCOUNT_FAILURES = 5;
const FREE_IP_FAILURES = 20;
const FIRST_WAIT_MS = 1000;
const LONGEST_WAIT_MS = 15 * 60_000;
/** Failures older than this are forgotten. */
const FORGET_MS = 60 * 60_000;
const MAX_KEYS = 50_000;

interface Failures {
  count: number;
  last: number;
}

export function createLoginThrottle(now: () => number = Date.now): LoginThrottle {
  const accounts = new Map<string, Failures>();
  const addresses = new Map<string, Failures>();

  const current = (map: Map<string, Failures>, key: string): Failures | undefined => {
    const f = map.get(key);
    if (f && now() - f.last > FORGET_MS) map.delete(key);
    return map.get(key);
  };
  const waitFor = (f: Failures | undefined, free: number): number => {
    if (!f || f.count < free) return 0;
    const wait = Math.min(LONGEST_WAIT_MS, FIRST_WAIT_MS * 2 ** (f.count - free));
    return Math.max(0, f.last + wait - now());
  };
  const bump = (map: Map<string, Failures>, key: string): number => {
    const f = current(map, key) ?? { count: 0, last: 0 };
    f.count += 1;
    f.last = now();
    touchBounded(map, key, f, MAX_KEYS);
    return f.count;
  };

  return {
    wait: (account, ip) => Math.max(waitFor(current(accounts, account), FREE_ACCOUNT_FAILURES), waitFor(current(addresses, ip), FREE_IP_FAILURES)),
    failed(account, ip) {
      bump(addresses, ip);
      return bump(accounts, account);
    },
    succeeded(account) {
      accounts.delete(account);
    },
  };
}
