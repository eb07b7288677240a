/**
 * Typing and "seen": signals for the people watching a conversation (the console, the customer's
 * page), never stored and never acted on. They reach the event listeners (other instances, which
 * show them to their own viewers) and the agent channels that show things (`mirrorsRemote`: the
 * console, the web chat), not the ones that act on each event: a Slack thread would post or
 * update for every keystroke burst, and an audit log records actions, which typing is not.
 */
import type { Logger } from '../../core/logger';
import type { Desk } from './desk';
import { failure, guard, isFailure, knownAgent } from './results';
import type { AgentChannel, EventListener, HandoffEvent, HandoffService, SignalEvent } from './types';

export const isSignal = (event: HandoffEvent): event is SignalEvent => event.type === 'handoff.typing' || event.type === 'handoff.seen';

export interface Signals {
  addChannel(channel: AgentChannel): void;
  addListener(listener: EventListener): void;
  /** A signal that happened here: other instances hear it, viewers here see it. */
  emit(event: SignalEvent): void;
  /** A signal from another instance: viewers here see it. */
  show(event: SignalEvent): void;
}

export function createSignals(log: () => Logger): Signals {
  const channels: AgentChannel[] = [];
  const listeners: EventListener[] = [];
  const show = (event: SignalEvent) => {
    for (const ch of channels) {
      if (!ch.mirrorsRemote) continue;
      ch.onEvent(event).catch((err: unknown) => {
        log().warn({ agentChannel: ch.name, event: event.type, err: String(err) }, 'agent channel failed to show a signal');
      });
    }
  };
  return {
    addChannel: (channel) => void channels.push(channel),
    addListener: (listener) => void listeners.push(listener),
    emit(event) {
      for (const listener of listeners) listener(event, undefined);
      show(event);
    },
    show,
  };
}

/** `typing` and `seen` of the handoff service. */
export function signalActions(desk: () => Desk, signals: Signals): Pick<HandoffService, 'typing' | 'seen'> {
  const active = async (key: string) => (await desk().data.handoffs.active(key))?.value;
  return {
    typing: (key, from, agentId) =>
      guard(async () => {
        if (from !== 'customer' && from !== 'agent') return failure('KEFU_ERR_HANDOFF_INPUT_INVALID', `from must be "customer" or "agent" (got "${String(from)}").`);
        if (from === 'agent') {
          const agent = knownAgent(desk(), agentId ?? '');
          if (isFailure(agent)) return agent;
        }
        const record = await active(key);
        if (!record) return { ok: true as const, shown: false };
        signals.emit({ type: 'handoff.typing', key, record, at: desk().now(), from, ...(from === 'agent' && agentId ? { agentId } : {}) });
        return { ok: true as const, shown: true };
      }),
    seen: (key, agentId, seq) =>
      guard(async () => {
        const agent = knownAgent(desk(), agentId);
        if (isFailure(agent)) return agent;
        if (!Number.isInteger(seq) || seq < 0) return failure('KEFU_ERR_HANDOFF_INPUT_INVALID', `seq must be a message seq, an integer of 0 or more (got ${String(seq)}).`);
        const record = await active(key);
        if (!record) return { ok: true as const, shown: false };
        signals.emit({ type: 'handoff.seen', key, record, at: desk().now(), agentId, seq });
        return { ok: true as const, shown: true };
      }),
  };
}
