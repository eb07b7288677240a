/**
 * What the page's event stream carries besides "a message arrived": the conversation's state when
 * a handoff changes it, the agent typing, and the agent having seen the customer's messages.
 * None of it is stored as a chat message. An agent channel hears the handoff's events (also those
 * of other instances: `mirrorsRemote`) and tells the pages connected here.
 *
 * Stream messages (JSON in `data:`): `{ kind: 'state', state }`, `{ kind: 'typing', from: 'agent', at }`,
 * `{ kind: 'seen', seq, at }`; anything else (no `kind`) announces stored messages to fetch.
 */
import type { AgentChannel, HandoffEvent, HandoffService } from '../../plugins/handoff';
import { type Listener, PushHub } from './hub';
import { type HandoffLookup, type WebChatState, webChatStateWithRecord } from './state';

export type StreamSignal = { kind: 'state'; state: WebChatState } | { kind: 'typing'; from: 'agent'; at: number } | { kind: 'seen'; seq: number; at: number };

export interface WebSignals {
  /** Add to the handoff service (`addAgentChannel`): its events become stream signals. */
  readonly agentChannel: AgentChannel;
  subscribe(conversationId: string, listener: Listener): () => void;
  stateOf(conversationId: string): Promise<WebChatState>;
}

/** Events that can change who the customer is talking to. */
const STATE_EVENTS: ReadonlySet<HandoffEvent['type']> = new Set([
  'handoff.initiated',
  'handoff.assigned',
  'handoff.queue_changed',
  'handoff.transferred',
  'handoff.resolved',
  'handoff.cancelled',
  'ticket.created',
  'ticket.updated',
]);

function conversationOf(event: HandoffEvent): string | undefined {
  const key = 'key' in event ? event.key : '';
  return key.startsWith('web:') ? key.slice(4) : undefined;
}

/** Conversations known to have no handoff at all, so their state (the bot) costs no query (bounded). */
const NO_HANDOFF_KEPT = 50_000;

export function createWebSignals(handoff: (HandoffLookup & Partial<Pick<HandoffService, 'onEvent'>>) | undefined): WebSignals {
  const hub = new PushHub();
  const noHandoff = new Set<string>();
  // Every handoff event of a conversation is heard as it is emitted (synchronously, before the turn's
  // answer is built), so a conversation that escalates here leaves the set at once.
  handoff?.onEvent?.((event) => {
    const id = conversationOf(event);
    if (id) noHandoff.delete(id);
  });
  const stateOf = async (conversationId: string): Promise<WebChatState> => {
    if (noHandoff.has(conversationId)) return { mode: 'bot' };
    const { state, record } = await webChatStateWithRecord(handoff, conversationId);
    if (!record && handoff) {
      noHandoff.add(conversationId);
      if (noHandoff.size > NO_HANDOFF_KEPT) noHandoff.delete(noHandoff.values().next().value as string);
    }
    return state;
  };
  const tell = (conversationId: string, signal: StreamSignal) => hub.publish(conversationId, [signal]);

  async function onEvent(event: HandoffEvent): Promise<void> {
    const conversationId = conversationOf(event);
    if (conversationId) noHandoff.delete(conversationId); // another instance's events arrive here too
    if (!conversationId || !hub.has(conversationId)) return; // nobody connected here to tell
    if (event.type === 'handoff.typing') {
      if (event.from === 'agent') tell(conversationId, { kind: 'typing', from: 'agent', at: event.at });
    } else if (event.type === 'handoff.seen') tell(conversationId, { kind: 'seen', seq: event.seq, at: event.at });
    else if (STATE_EVENTS.has(event.type)) tell(conversationId, { kind: 'state', state: await stateOf(conversationId) });
  }

  const agentChannel: AgentChannel = { name: 'web-chat', mirrorsRemote: true, onEvent };
  return { agentChannel, subscribe: (id, listener) => hub.subscribe(id, listener), stateOf };
}
