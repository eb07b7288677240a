/** Small helpers for agent action results: failures carry a code and say what to do. */
import type { Versioned } from '../../core/data';
import { type ErrorCode, isKefuError } from '../../core/errors';
import { MAX_TEXT_LENGTH } from '../../core/model';
import type { Desk } from './desk';
import { systemMessage } from './texts';
import type { ActionResult, AgentProfile, HandoffRecord } from './types';

export type Failure = { ok: false; code: ErrorCode; message: string };

export function failure(code: ErrorCode, message: string): Failure {
  return { ok: false, code, message };
}

/** Runs an action; a coded error thrown inside (store down, conflict) becomes a failure result too. */
export async function guard<T extends object>(fn: () => Promise<ActionResult<T>>): Promise<ActionResult<T>> {
  try {
    return await fn();
  } catch (err) {
    if (isKefuError(err)) return failure(err.code, err.message);
    throw err;
  }
}

export function checkText(text: unknown, field = 'text'): Failure | undefined {
  if (typeof text !== 'string' || !text.trim()) return failure('KEFU_ERR_HANDOFF_INPUT_INVALID', `${field} must be a non-empty string.`);
  if (text.length > MAX_TEXT_LENGTH) return failure('KEFU_ERR_HANDOFF_INPUT_INVALID', `${field} is ${text.length} characters; the limit is ${MAX_TEXT_LENGTH}.`);
  return undefined;
}

export function knownAgent(desk: Desk, agentId: string): AgentProfile | Failure {
  return desk.profile(agentId) ?? failure('KEFU_ERR_AGENT_UNKNOWN', `No agent has the id "${agentId}"; use one of: ${desk.agents.map((a) => a.id).join(', ')}.`);
}

/** The active record of `key`, or the failure explaining why there is none. */
export async function activeOrFailure(desk: Desk, key: string): Promise<Versioned<HandoffRecord> | Failure> {
  const v = await desk.data.handoffs.active(key);
  if (v) return v;
  const last = (await desk.data.handoffs.latest(key))?.value;
  if (!last) return failure('KEFU_ERR_HANDOFF_NOT_FOUND', `No handoff exists for conversation "${key}"; keys look like "channel:conversationId".`);
  const how = last.state === 'ticket' ? `became ticket ${last.ticketId}` : `was ${last.state}`;
  return failure('KEFU_ERR_HANDOFF_RESOLVED', `The handoff of "${key}" ${how}; nothing was sent to the customer.${last.ticketId ? ` Answer the ticket instead.` : ''}`);
}

/** The record if `agentId` has it, else why not. Caller holds the lock. */
export async function assignedTo(desk: Desk, key: string, agentId: string): Promise<Versioned<HandoffRecord> | Failure> {
  const v = await activeOrFailure(desk, key);
  if (isFailure(v)) return v;
  const r = v.value;
  if (r.state !== 'assigned' || r.agentId !== agentId) {
    const who = r.state === 'queued' ? 'is waiting in the queue; claim it first' : `is assigned to ${r.agentId}`;
    return failure('KEFU_ERR_HANDOFF_NOT_ASSIGNED', `Conversation "${key}" ${who}.`);
  }
  return v;
}

/**
 * An agent's action on the active handoff of `key`: the agent must be known, the desk's lock is held,
 * and `act` gets the active record (or the result is the failure saying why there is none).
 */
export function onActiveHandoff<T extends object>(
  desk: Desk,
  key: string,
  agentId: string,
  act: (v: Versioned<HandoffRecord>, agent: AgentProfile) => Promise<ActionResult<T>>,
): Promise<ActionResult<T>> {
  return guard(async () => {
    const agent = knownAgent(desk, agentId);
    if (isFailure(agent)) return agent;
    return desk.locked(async () => {
      const v = await activeOrFailure(desk, key);
      return isFailure(v) ? v : act(v, agent);
    });
  });
}

/** `agent` takes the queued `v` (a claim or an accepted offer): assigned, the customer told who is with them, the queue routed again. Caller holds the lock. */
export async function takeHandoff(desk: Desk, v: Versioned<HandoffRecord>, agent: AgentProfile, by: 'claim' | 'accept'): Promise<void> {
  const view = desk.agentViews().find((a) => a.id === agent.id) ?? { ...agent, load: 0 };
  await desk.assign(v, view, by);
  await desk.tell(v.value.ref, systemMessage(v.value.locale, 'assigned', { agent: agent.name }));
  await desk.dispatch();
}

export function isFailure(x: object): x is Failure {
  return 'ok' in x && (x as { ok: unknown }).ok === false;
}
