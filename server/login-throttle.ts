/**
 * Backoff for console logins: after a few wrong passwords for an account (or from one address) the
 * next attempt must wait, 1 s and doubling up to 15 min, so guessing 1,000 passwords takes days
 * instead of two seconds. A right password resets the account's count.
 */
import { createLocalFailureCounts, type FailureCounts, type Failures } from './failure-counts';

export interface LoginThrottle {
  /** How long (ms) this attempt must wait, or 0 when it may go ahead. */
  wait(account: string, ip: string): Promise<number>;
  /** A wrong password: resolves to the account's failures so far. */
  failed(account: string, ip: string): Promise<number>;
  succeeded(account: string): Promise<void>;
}

const FREE_ACCOUNT_FAILURES = 5;
const FREE_IP_FAILURES = 20;
const FIRST_WAIT_MS = 1000;
const LONGEST_WAIT_MS = 15 * 60_000;
/** Failures older than this are forgotten. */
export const LOGIN_FAILURES_FORGET_MS = 60 * 60_000;

/**
 * `counts(name)` keeps one kind of failure count: in this process by default, in Redis in
 * multi-instance mode (every instance then throttles the same account and address).
 */
export function createLoginThrottle(counts?: (name: string, forgetMs: number) => FailureCounts, now: () => number = Date.now): LoginThrottle {
  const kept = counts ?? ((_name: string, forgetMs: number) => createLocalFailureCounts(forgetMs, now));
  const accounts = kept('login-account', LOGIN_FAILURES_FORGET_MS);
  const addresses = kept('login-ip', LOGIN_FAILURES_FORGET_MS);
  const waitFor = (f: Failures | undefined, free: number): number => {
    if (!f || f.count < free) return 0;
    const wait = Math.min(LONGEST_WAIT_MS, FIRST_WAIT_MS * 2 ** (f.count - free));
    return Math.max(0, f.last + wait - now());
  };

  return {
    async wait(account, ip) {
      const [a, i] = await Promise.all([accounts.get(account), addresses.get(ip)]);
      return Math.max(waitFor(a, FREE_ACCOUNT_FAILURES), waitFor(i, FREE_IP_FAILURES));
    },
    async failed(account, ip) {
      await addresses.bump(ip, now());
      return (await accounts.bump(account, now())).count;
    },
    succeeded: (account) => accounts.clear(account),
  };
}
