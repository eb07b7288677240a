/**
 * What crosses between instances in multi-instance mode, and how each side takes it:
 * - handoff events (with their record's stored version): other instances' routing state applies
 *   them, and their consoles show them (`AgentChannel.mirrorsRemote`); Slack threads act once;
 * - web pushes: the instance holding the customer's event stream announces them (the page then
 *   fetches them from the store, where they already are);
 * - console logouts: every instance refuses the revoked session, also one started later.
 */
import type { Logger, OutboundMessage } from '../../core';
import type { HandoffEvent, HandoffService } from '../../plugins/handoff';
import type { WebChannel } from '../../adapters/web';
import type { RevokedTokens } from '../routes/console-auth';
import type { Cluster } from './types';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** Handoff events go out as they happen, and those of other instances come in. */
export function bridgeHandoff(cluster: Cluster, handoff: HandoffService, log: Logger): void {
  handoff.onEvent((event, version) => cluster.publish('handoff', { event, version }));
  cluster.subscribe('handoff', (payload) => {
    if (!isObject(payload) || !isObject(payload.event) || typeof payload.event.type !== 'string') {
      log.warn({ topic: 'handoff' }, 'cluster message of an unknown shape; dropped');
      return;
    }
    handoff.applyRemote(payload.event as unknown as HandoffEvent, typeof payload.version === 'number' ? payload.version : undefined);
  });
}

/**
 * The web channel whose pushes also reach event streams held by other instances. `send` reports
 * `live` for streams held here; another instance's stream gets the announcement all the same.
 */
export function clusteredWebChannel(web: WebChannel, cluster: Cluster): WebChannel {
  cluster.subscribe('web-push', (payload) => {
    if (!isObject(payload)) return;
    const ref = payload.ref;
    if (!isObject(ref) || typeof ref.conversationId !== 'string' || typeof ref.userId !== 'string' || !Array.isArray(payload.messages)) return;
    void web.send({ channel: 'web', conversationId: ref.conversationId, userId: ref.userId }, payload.messages as OutboundMessage[]);
  });
  return {
    name: web.name,
    delivery: web.delivery,
    async send(ref, messages) {
      cluster.publish('web-push', { ref, messages });
      return web.send(ref, messages);
    },
    handleMessage: (body, engine) => web.handleMessage(body, engine),
    subscribe: (conversationId, listener) => web.subscribe(conversationId, listener),
    get connections() {
      return web.connections;
    },
  };
}

/** Revocations every instance honours: kept in Redis until the session would have expired, and announced. */
export async function sharedRevocations(cluster: Cluster, local: RevokedTokens, log: Logger): Promise<RevokedTokens> {
  for (const { member, untilMs } of await cluster.recall('revoked')) local.add(member, untilMs);
  cluster.subscribe('revoked', (payload) => {
    if (isObject(payload) && typeof payload.signature === 'string' && typeof payload.expiresAt === 'number') local.add(payload.signature, payload.expiresAt);
  });
  return {
    add(signature, expiresAt) {
      local.add(signature, expiresAt);
      cluster.publish('revoked', { signature, expiresAt });
      cluster.remember('revoked', signature, expiresAt).catch((err: Error) => {
        log.error({ code: 'KEFU_ERR_CLUSTER_UNAVAILABLE', reason: err.message }, 'logout not kept in redis: instances started later accept the session until it expires');
      });
    },
    has: (signature) => local.has(signature),
  };
}
