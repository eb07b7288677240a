/**
 * The expert tier: an agent escalates a conversation to the expert queue (for a skill, with an
 * internal note), where routing offers it to experts only, ahead of the agent queue; and the SLA
 * check, which tells supervisors once per tier when a first-response target passed unanswered.
 * The check reads only the hot state's watch list (active handoffs their tier has not answered),
 * never the whole store.
 */
import type { Desk } from './desk';
import { slaWatchOf } from './hot-state';
import { assignedTo, checkText, failure, guard, isFailure, knownAgent } from './results';
import { systemMessage } from './texts';
import type { ActionResult, AgentLevel, ExpertEscalation, HandoffRecord, LevelPolicy } from './types';

/** Agent tier: first reply within 60 s of the request; expert tier: within 5 min of the escalation, ahead of the agent queue. */
export const DEFAULT_LEVELS: Readonly<Record<AgentLevel, LevelPolicy>> = {
  agent: { firstResponseMs: 60_000, priorityBoost: 0 },
  expert: { firstResponseMs: 300_000, priorityBoost: 4 },
};

export function createExpertActions(desk: Desk) {
  const { data, now } = desk;

  return {
    escalateToExpert: (key: string, agentId: string, input: ExpertEscalation): Promise<ActionResult<{ record: HandoffRecord }>> =>
      guard(async () => {
        const agent = knownAgent(desk, agentId);
        if (isFailure(agent)) return agent;
        const bad = checkText(input?.note, 'note');
        if (bad) return bad;
        const skill = typeof input.skill === 'string' && input.skill.trim() ? input.skill.trim() : undefined;
        if (!desk.agents.some((a) => a.level === 'expert'))
          return failure('KEFU_ERR_HANDOFF_NO_EXPERT', 'No agent has level "expert"; give one `"level": "expert"` in AGENTS_FILE, or transfer to a skill instead.');
        const note = input.note.trim();
        const done = await desk.locked(async () => {
          const v = await assignedTo(desk, key, agentId);
          if (isFailure(v)) return v;
          const r = v.value;
          if (r.level === 'expert')
            return failure('KEFU_ERR_HANDOFF_INPUT_INVALID', `Conversation "${key}" is already with the experts; transfer it to another expert or a skill instead.`);
          const at = now();
          const to = skill ?? r.skill;
          r.transfers.push({ from: agentId, skill: to, at });
          Object.assign(r, { level: 'expert', escalatedBy: agentId, escalatedAt: at, escalationNote: note, priority: r.priority + desk.levels.expert.priorityBoost });
          await desk.requeue(v, { skill: to });
          desk.emit({ type: 'handoff.escalated', key, record: r, at, agentId, level: 'expert', skill: to, note });
          await desk.tell(r.ref, systemMessage(r.locale, 'expertQueued'));
          await desk.dispatch();
          return (await data.handoffs.get(r.id))?.value ?? r;
        });
        if (isFailure(done)) return done;
        // The note goes with the conversation's messages (internal, like any note), outside the lock.
        await desk.engine().push(done.ref, [{ text: note, locale: done.locale, from: 'note', agentId }]);
        return { ok: true as const, record: done };
      }),

    /** Handoffs past their tier's first-response target, unanswered: one `handoff.sla_breached` each (the stored mark keeps it to one across instances). */
    async checkSla(): Promise<void> {
      const at = now();
      for (const [id, w] of [...desk.hot.slaWatch]) {
        const target = desk.levels[w.level].firstResponseMs;
        if (!target || at - w.since < target) continue;
        await desk.locked(async () => {
          const v = await data.handoffs.get(id);
          const watch = v ? slaWatchOf(v.value) : undefined;
          if (!v || !watch || watch.level !== w.level || now() - watch.since < target) return desk.catchUp(id, v);
          const r = v.value;
          const breachAt = now();
          r.slaBreachedAt = { ...r.slaBreachedAt, [watch.level]: breachAt };
          await desk.save(v);
          const assignee = r.state === 'assigned' ? r.agentId : undefined;
          desk.emit({
            type: 'handoff.sla_breached',
            key: r.key,
            record: r,
            at: breachAt,
            level: watch.level,
            targetMs: target,
            waitedMs: breachAt - watch.since,
            ...(assignee ? { agentId: assignee } : {}),
          });
        });
      }
    },
  };
}
