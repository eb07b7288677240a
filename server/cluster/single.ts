/** One process, no Redis: nobody to tell, limits in memory, nothing to lease. */
import { randomBytes } from 'node:crypto';
import { createRateLimiter } from '../rate-limit';
import type { Cluster } from './types';

export function createSingleInstance(): Cluster {
  return {
    mode: 'single',
    instanceId: randomBytes(6).toString('hex'),
    publish: () => {},
    subscribe: () => {},
    rateLimiter: (_name, perMinute) => createRateLimiter(perMinute),
    remember: async () => {},
    recall: async () => [],
    close: async () => {},
  };
}
