/**
 * Offers: routing offers a waiting conversation to the best free agent (unless they auto-accept);
 * the agent accepts (the customer hears who is with them) or declines, and an offer unanswered for
 * `offerTimeoutMs` goes to the next agent who can take it (or, when there is none, to the same one
 * again). While offered the conversation stays queued (another agent may claim it) and counts in
 * the offered agent's load.
 */
import type { Desk } from './desk';
import { failure, onActiveHandoff, takeHandoff } from './results';
import { pickAgent } from './routing';
import type { ActionResult, HandoffRecord } from './types';

export function createOfferActions(desk: Desk) {
  const { data, now } = desk;

  const gone = (key: string, agentId: string) =>
    failure(
      'KEFU_ERR_HANDOFF_OFFER_GONE',
      `No offer of "${key}" stands for ${agentId}: it expired, was declined or another agent took it. Claim it from the queue if it is still waiting.`,
    );

  /** Whether an agent other than `agentId` (and those passed over) could take the conversation now. */
  function someoneElse(r: HandoffRecord, agentId: string): boolean {
    const skip = [agentId, ...(r.declinedBy ?? []), ...(r.transfers.at(-1)?.from ? [r.transfers.at(-1)?.from as string] : [])];
    const req = { locale: r.locale, skill: r.skill, ...(r.customer.tier ? { tier: r.customer.tier } : {}), ...(r.level === 'expert' ? { level: r.level } : {}) };
    return pickAgent(req, desk.agentViews(), skip) !== undefined;
  }

  return {
    accept: (key: string, agentId: string): Promise<ActionResult<{ record: HandoffRecord }>> =>
      onActiveHandoff(desk, key, agentId, async (v, agent) => {
        const r = v.value;
        if (r.state === 'assigned' && r.agentId === agentId) return { ok: true as const, record: r }; // accepted twice
        if (r.state !== 'queued' || r.offer?.agentId !== agentId) return gone(key, agentId);
        await takeHandoff(desk, v, agent, 'accept');
        return { ok: true as const, record: r };
      }),

    decline: (key: string, agentId: string): Promise<ActionResult<{ record: HandoffRecord }>> =>
      onActiveHandoff(desk, key, agentId, async (v) => {
        if (v.value.state !== 'queued' || v.value.offer?.agentId !== agentId) return gone(key, agentId);
        await desk.withdrawOffer(v, 'declined', true);
        await desk.dispatch();
        return { ok: true as const, record: (await data.handoffs.get(v.value.id))?.value ?? v.value };
      }),

    /** Offers past their time go to the next agent (or to the same one again when nobody else can take the conversation). */
    async expireOffers(): Promise<void> {
      const at = now();
      for (const [id, o] of [...desk.hot.offers]) {
        if (o.expiresAt > at) continue;
        await desk.locked(async () => {
          const v = await data.handoffs.get(id);
          const offer = v?.value.offer;
          if (v?.value.state !== 'queued' || !offer || offer.expiresAt > now()) return desk.catchUp(id, v);
          await desk.withdrawOffer(v, 'expired', someoneElse(v.value, offer.agentId));
          await desk.dispatch();
        });
      }
    },
  };
}
