/** The cluster a kefu instance belongs to: multi-instance on Redis with `REDIS_URL`, else just this process. */
import type { Config, Logger } from '../../core';
import { createSingleInstance } from './single';
import type { Cluster } from './types';

export { bridgeHandoff, clusteredWebChannel, sharedRevocations } from './bridge';
export type { Cluster, ClusterTopic } from './types';

export async function joinCluster(config: Readonly<Pick<Config, 'REDIS_URL' | 'REDIS_KEY_PREFIX'>>, log: Logger): Promise<Cluster> {
  if (!config.REDIS_URL) return createSingleInstance();
  // ioredis loads only in multi-instance mode (require: kefu's modules are CommonJS, see server/wire-slack.ts).
  const { connectRedisCluster }: typeof import('./redis') = require('./redis');
  const cluster = await connectRedisCluster({ url: config.REDIS_URL, prefix: config.REDIS_KEY_PREFIX, log });
  log.info({ instance: cluster.instanceId, prefix: config.REDIS_KEY_PREFIX }, 'multi-instance mode: coordinating through redis');
  return cluster;
}
