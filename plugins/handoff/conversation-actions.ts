/** Agent actions on a conversation: claim, reply, note, resolve, transfer. Each returns a result, never drops. */
import type { Desk } from './desk';
import { HANDLE_TIMES_KEPT, HANDLE_TIMES_META } from './hot-state';
import { activeOrFailure, assignedTo, checkText, failure, guard, isFailure, knownAgent, onActiveHandoff, takeHandoff } from './results';
import { csatButtons, systemMessage } from './texts';
import type { ActionResult, DeliveryState, HandoffRecord, ReplyInput, TransferTarget } from './types';

/** What the handoff keeps in `session.plugins.handoff`. */
export interface HandoffSessionData {
  escalations: number;
  /** Set on resolve: the next customer message may be the 1-5 rating for this finished handoff. */
  csat?: { handoffId: string; askedAt: number };
  /** The ticket this conversation got (the customer's messages go to it while it is open or recently resolved). */
  ticket?: { id: string };
}

export function createConversationActions(desk: Desk) {
  const { data, now } = desk;

  async function rememberHandleTime(ms: number): Promise<void> {
    const times = desk.hot.handleTimes;
    times.push(ms);
    if (times.length > HANDLE_TIMES_KEPT) times.splice(0, times.length - HANDLE_TIMES_KEPT);
    for (let attempt = 0; attempt < 5; attempt++) {
      const stored = await data.meta.get<number[]>(HANDLE_TIMES_META);
      if ((await data.meta.put(HANDLE_TIMES_META, times, stored?.version ?? 0)) === 'ok') return;
    }
  }

  return {
    claim: (key: string, agentId: string): Promise<ActionResult<{ record: HandoffRecord }>> =>
      onActiveHandoff(desk, key, agentId, async (v, agent) => {
        const r = v.value;
        if (r.state === 'assigned' && r.agentId !== agentId)
          return failure('KEFU_ERR_HANDOFF_TAKEN', `Conversation "${key}" is already with ${desk.profile(r.agentId ?? '')?.name ?? r.agentId}.`);
        if (r.state === 'queued' && r.level === 'expert' && agent.level !== 'expert')
          return failure('KEFU_ERR_HANDOFF_EXPERT_ONLY', `Conversation "${key}" was escalated to the experts; only an agent with level "expert" can take it.`);
        if (r.state === 'queued') await takeHandoff(desk, v, agent, 'claim');
        return { ok: true as const, record: r };
      }),

    reply: (key: string, agentId: string, message: ReplyInput): Promise<ActionResult<{ delivery: DeliveryState }>> =>
      guard(async () => {
        const bad = checkText(message?.text);
        if (bad) return bad;
        const attachments = message.attachments ?? [];
        const checked = await desk.locked(async () => {
          const v = await assignedTo(desk, key, agentId);
          if (isFailure(v)) return v;
          const at = now();
          v.value.firstResponseAt ??= at;
          if (v.value.level === 'expert') v.value.expertFirstResponseAt ??= at;
          v.value.updatedAt = at;
          await desk.save(v);
          return v.value;
        });
        if (isFailure(checked)) return checked;
        // Outside the lock: delivery may wait on the platform.
        const origin = message.desk ? { desk: message.desk } : {};
        const reply = { text: message.text, locale: checked.locale, from: 'agent' as const, agentId, ...origin, ...(attachments.length ? { attachments } : {}) };
        const pushed = await desk.engine().push(checked.ref, [reply]);
        const delivery: DeliveryState = pushed.state;
        const seq = pushed.messages[0]?.seq;
        desk.emit({ type: 'handoff.agent_message', key, record: checked, at: now(), agentId, text: message.text, attachments, delivery, ...origin, ...(seq ? { seq } : {}) });
        return { ok: true as const, delivery };
      }),

    note: (key: string, agentId: string, text: string, opts: { desk?: string } = {}): Promise<ActionResult<{ record: HandoffRecord }>> =>
      guard(async () => {
        const agent = knownAgent(desk, agentId);
        if (isFailure(agent)) return agent;
        const bad = checkText(text);
        if (bad) return bad;
        const v = await activeOrFailure(desk, key);
        if (isFailure(v)) return v;
        const origin = opts.desk ? { desk: opts.desk } : {};
        const pushed = await desk.engine().push(v.value.ref, [{ text, locale: v.value.locale, from: 'note', agentId, ...origin }]);
        const seq = pushed.messages[0]?.seq;
        desk.emit({ type: 'handoff.note', key, record: v.value, at: now(), agentId, text, ...origin, ...(seq ? { seq } : {}) });
        return { ok: true as const, record: v.value };
      }),

    resolve: (key: string, agentId: string): Promise<ActionResult<{ record: HandoffRecord }>> =>
      guard(async () => {
        const locked = await desk.locked(async () => {
          const v = await assignedTo(desk, key, agentId);
          if (isFailure(v)) return v;
          const r = v.value;
          const at = now();
          Object.assign(r, { state: 'resolved', resolvedAt: at, updatedAt: at });
          await desk.save(v);
          await rememberHandleTime(at - (r.assignedAt ?? r.requestedAt));
          desk.emit({ type: 'handoff.resolved', key, record: r, at, agentId });
          await desk.dispatch();
          return r;
        });
        if (isFailure(locked)) return locked;
        const r = locked;
        // Outside the lock: the session is the conversation's, and a turn may hold it.
        await desk.engine().updateSession(r.ref, (s) => {
          const data = (s.plugins.handoff as HandoffSessionData | undefined) ?? { escalations: 0 };
          s.plugins.handoff = { ...data, csat: { handoffId: r.id, askedAt: now() } } satisfies HandoffSessionData;
        });
        await desk.tell(r.ref, systemMessage(r.locale, 'csatAsk', {}, csatButtons()));
        return { ok: true as const, record: r };
      }),

    transfer: (key: string, agentId: string, target: TransferTarget): Promise<ActionResult<{ record: HandoffRecord }>> =>
      guard(async () => {
        const toAgent = target && 'agentId' in target && typeof target.agentId === 'string' ? target.agentId : undefined;
        const toSkill = target && 'skill' in target && typeof target.skill === 'string' && target.skill.trim() ? target.skill.trim() : undefined;
        if (!toAgent && !toSkill) return failure('KEFU_ERR_HANDOFF_INPUT_INVALID', 'target must be {agentId: "..."} or {skill: "..."}.');
        if (toAgent === agentId) return failure('KEFU_ERR_HANDOFF_INPUT_INVALID', 'An agent cannot transfer a conversation to themselves.');
        return desk.locked(async () => {
          const v = await assignedTo(desk, key, agentId);
          if (isFailure(v)) return v;
          const r = v.value;
          const view = toAgent ? desk.agentViews().find((a) => a.id === toAgent) : undefined;
          if (toAgent) {
            const to = knownAgent(desk, toAgent);
            if (isFailure(to)) return to;
            if (view?.status !== 'online' || view.load >= view.capacity) {
              return failure(
                'KEFU_ERR_AGENT_UNAVAILABLE',
                `${to.name} is ${view?.status ?? 'offline'}${view && view.load >= view.capacity ? ' and at capacity' : ''}; pick another agent or transfer to a skill.`,
              );
            }
          }
          r.transfers.push({ from: agentId, ...(toAgent ? { to: toAgent } : {}), ...(toSkill ? { skill: toSkill } : {}), at: now() });
          desk.emit({ type: 'handoff.transferred', key, record: r, at: now(), fromAgentId: agentId, target: toAgent ? { agentId: toAgent } : { skill: toSkill as string } });
          await desk.tell(r.ref, systemMessage(r.locale, 'transferred'));
          if (view) {
            await desk.assign(v, view, 'transfer');
            await desk.tell(r.ref, systemMessage(r.locale, 'assigned', { agent: view.name }));
          } else await desk.requeue(v, { skill: toSkill as string });
          await desk.dispatch();
          return { ok: true as const, record: (await data.handoffs.get(r.id))?.value ?? r };
        });
      }),
  };
}
