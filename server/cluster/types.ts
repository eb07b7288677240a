/**
 * What instances of kefu share in multi-instance mode (`REDIS_URL`): a message bus between
 * instances, rate limits, remembered values that expire (revoked console sessions) and outbox lane
 * leases. One process without Redis gets the single-instance version, where each is local.
 */
import type { LaneLeases } from '../../core';
import type { FailureCounts } from '../failure-counts';
import type { RateLimiter } from '../rate-limit';

/** What the instances tell each other. */
export type ClusterTopic = 'handoff' | 'web-push' | 'revoked' | 'staff' | 'kb';

export interface Cluster {
  readonly mode: 'single' | 'redis';
  /** This instance's id (random per start), in logs and `/healthz`. */
  readonly instanceId: string;
  /** Tells the other instances (never this one). Never throws: a message Redis did not take is logged and dropped. */
  publish(topic: ClusterTopic, payload: unknown): void;
  /** Hears what the other instances publish on `topic` (their payloads, parsed from JSON: check their shape). */
  subscribe(topic: ClusterTopic, handler: (payload: unknown) => void): void;
  /** A per-key token-bucket limiter (`perWindow` per `windowMs`, default a minute; 0 = off), its buckets shared by every instance. */
  rateLimiter(name: string, perWindow: number, windowMs?: number): RateLimiter;
  /** Failure counts (login throttling) shared by every instance, each forgotten `forgetMs` after its last failure. */
  failureCounts(name: string, forgetMs: number): FailureCounts;
  /** Keeps `member` in the named set until `untilMs` (epoch ms). */
  remember(set: string, member: string, untilMs: number): Promise<void>;
  /** The named set's members that have not run out, with when they do. */
  recall(set: string): Promise<Array<{ member: string; untilMs: number }>>;
  /** Outbox lane leases (multi-instance only: one process needs none). */
  readonly leases?: LaneLeases;
  close(): Promise<void>;
}
