/** Agent actions on a conversation: claim, reply, note, resolve, transfer. Each returns a result, never drops. */
import type { Engine } from '../engine';
import type { Desk } from './desk';
import { pushTranscript } from './desk';
import { activeOrFailure, assignedTo, checkText, failure, guard, isFailure, knownAgent } from './results';
import { csatButtons, systemMessage } from './texts';
import type { ActionResult, DeliveryState, HandoffRecord, ReplyInput, TransferTarget } from './types';

const HANDLE_TIMES_KEPT = 20;

/** What the handoff keeps in `session.plugins.handoff`. */
export interface HandoffSessionData {
  escalations: number;
  /** Set on resolve: the next customer message may be the 1-5 rating for this finished record. */
  csat?: { doneKey: string; askedAt: number };
}

export function createConversationActions(desk: Desk, engine: () => Engine) {
  const { repo, outbox, now } = desk;

  /** Delivers queued messages now; 'sent' when entry `id` left, else 'queued' (retried later). */
  async function deliver(id: string): Promise<DeliveryState> {
    await outbox.drain();
    return (await outbox.isPending(id)) ? 'queued' : 'sent';
  }

  async function assign(r: HandoffRecord, agentId: string, by: 'claim' | 'transfer'): Promise<void> {
    Object.assign(r, { state: 'assigned', agentId, updatedAt: now() });
    r.assignedAt ??= now();
    r.queuePosition = undefined;
    await repo.saveActive(r);
    desk.emit({ type: 'handoff.assigned', key: r.key, record: r, at: now(), agentId, by });
    await outbox.enqueue(r.ref, [systemMessage(r.locale, 'assigned', { agent: desk.profile(agentId)?.name ?? agentId })]);
  }

  return {
    claim: (key: string, agentId: string): Promise<ActionResult<{ record: HandoffRecord }>> =>
      guard(async () => {
        const agent = knownAgent(desk, agentId);
        if (isFailure(agent)) return agent;
        const result = await desk.locked(async () => {
          const r = await activeOrFailure(desk, key);
          if (isFailure(r)) return r;
          if (r.state === 'assigned' && r.agentId !== agentId)
            return failure('KEFU_ERR_HANDOFF_TAKEN', `Conversation "${key}" is already with ${desk.profile(r.agentId ?? '')?.name ?? r.agentId}.`);
          if (r.state === 'queued') {
            await assign(r, agentId, 'claim');
            await desk.dispatch();
          }
          return { ok: true as const, record: r };
        });
        void outbox.drain();
        return result;
      }),

    reply: (key: string, agentId: string, message: ReplyInput): Promise<ActionResult<{ delivery: DeliveryState }>> =>
      guard(async () => {
        const bad = checkText(message?.text);
        if (bad) return bad;
        const attachments = message.attachments ?? [];
        const locked = await desk.locked(async () => {
          const r = await assignedTo(desk, key, agentId);
          if (isFailure(r)) return r;
          const at = now();
          pushTranscript(r, { from: 'agent', agentId, text: message.text, at, ...(attachments.length ? { attachments } : {}) });
          r.firstResponseAt ??= at;
          r.updatedAt = at;
          await repo.saveActive(r);
          const id = await outbox.enqueue(r.ref, [{ text: message.text, locale: r.locale, from: 'agent', ...(attachments.length ? { attachments } : {}) }]);
          return { r, id };
        });
        if (isFailure(locked)) return locked;
        const delivery = await deliver(locked.id);
        desk.emit({ type: 'handoff.agent_message', key, record: locked.r, at: now(), agentId, text: message.text, attachments, delivery });
        return { ok: true as const, delivery };
      }),

    note: (key: string, agentId: string, text: string): Promise<ActionResult<{ record: HandoffRecord }>> =>
      guard(async () => {
        const agent = knownAgent(desk, agentId);
        if (isFailure(agent)) return agent;
        const bad = checkText(text);
        if (bad) return bad;
        return desk.locked(async () => {
          const r = await activeOrFailure(desk, key);
          if (isFailure(r)) return r;
          pushTranscript(r, { from: 'note', agentId, text, at: now() });
          r.updatedAt = now();
          await repo.saveActive(r);
          desk.emit({ type: 'handoff.note', key, record: r, at: now(), agentId, text });
          return { ok: true as const, record: r };
        });
      }),

    resolve: (key: string, agentId: string): Promise<ActionResult<{ record: HandoffRecord }>> =>
      guard(async () => {
        const locked = await desk.locked(async () => {
          const r = await assignedTo(desk, key, agentId);
          if (isFailure(r)) return r;
          const at = now();
          Object.assign(r, { state: 'resolved', resolvedAt: at, updatedAt: at });
          const doneKey = await repo.finish(r);
          await repo.updateCounters((c) => {
            c.handleTimes.push(at - (r.assignedAt ?? r.requestedAt));
            if (c.handleTimes.length > HANDLE_TIMES_KEPT) c.handleTimes.splice(0, c.handleTimes.length - HANDLE_TIMES_KEPT);
          });
          desk.emit({ type: 'handoff.resolved', key, record: r, at, agentId });
          await desk.dispatch();
          return { r, doneKey };
        });
        if (isFailure(locked)) return locked;
        const { r, doneKey } = locked;
        // Outside the lock: the session is the conversation's, and a turn may hold it.
        await engine().updateSession(r.ref, (s) => {
          const data = (s.plugins.handoff as HandoffSessionData | undefined) ?? { escalations: 0 };
          s.plugins.handoff = { ...data, csat: { doneKey, askedAt: now() } } satisfies HandoffSessionData;
        });
        await outbox.enqueue(r.ref, [systemMessage(r.locale, 'csatAsk', {}, csatButtons())]);
        void outbox.drain();
        return { ok: true as const, record: r };
      }),

    transfer: (key: string, agentId: string, target: TransferTarget): Promise<ActionResult<{ record: HandoffRecord }>> =>
      guard(async () => {
        const toAgent = target && 'agentId' in target && typeof target.agentId === 'string' ? target.agentId : undefined;
        const toSkill = target && 'skill' in target && typeof target.skill === 'string' && target.skill.trim() ? target.skill.trim() : undefined;
        if (!toAgent && !toSkill) return failure('KEFU_ERR_HANDOFF_INPUT_INVALID', 'target must be {agentId: "..."} or {skill: "..."}.');
        if (toAgent === agentId) return failure('KEFU_ERR_HANDOFF_INPUT_INVALID', 'An agent cannot transfer a conversation to themselves.');
        const result = await desk.locked(async () => {
          const r = await assignedTo(desk, key, agentId);
          if (isFailure(r)) return r;
          if (toAgent) {
            const to = knownAgent(desk, toAgent);
            if (isFailure(to)) return to;
            const view = (await desk.agentViews()).find((a) => a.id === toAgent);
            if (view?.status !== 'online' || view.load >= view.capacity) {
              return failure(
                'KEFU_ERR_AGENT_UNAVAILABLE',
                `${to.name} is ${view?.status ?? 'offline'}${view && view.load >= view.capacity ? ' and at capacity' : ''}; pick another agent or transfer to a skill.`,
              );
            }
          }
          r.transfers.push({ from: agentId, ...(toAgent ? { to: toAgent } : {}), ...(toSkill ? { skill: toSkill } : {}), at: now() });
          desk.emit({ type: 'handoff.transferred', key, record: r, at: now(), fromAgentId: agentId, target: toAgent ? { agentId: toAgent } : { skill: toSkill as string } });
          await outbox.enqueue(r.ref, [systemMessage(r.locale, 'transferred')]);
          if (toAgent) {
            await assign(r, toAgent, 'transfer');
          } else {
            Object.assign(r, { state: 'queued', skill: toSkill, updatedAt: now() });
            r.agentId = undefined;
            await repo.saveActive(r);
          }
          await desk.dispatch();
          return { ok: true as const, record: (await repo.active(key)) ?? r };
        });
        void outbox.drain();
        return result;
      }),
  };
}
