/** One process, no Redis: nobody to tell, limits in memory, nothing to lease. */
import { randomBytes } from 'node:crypto';
import { createLocalFailureCounts } from '../failure-counts';
import { createRateLimiter } from '../rate-limit';
import type { Cluster } from './types';

export function createSingleInstance(): Cluster {
  return {
    mode: 'single',
    instanceId: randomBytes(6).toString('hex'),
    publish: () => {},
    subscribe: () => {},
    rateLimiter: (_name, perWindow, windowMs) => createRateLimiter(perWindow, Date.now, windowMs),
    failureCounts: (_name, forgetMs) => createLocalFailureCounts(forgetMs),
    remember: async () => {},
    recall: async () => [],
    close: async () => {},
  };
}
