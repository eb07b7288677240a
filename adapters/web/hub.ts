/** Fan-out of pushed messages (agent replies, queue updates) to open browser connections. */
import type { OutboundMessage } from '../../core';

export type Listener = (message: OutboundMessage) => void;

export class PushHub {
  private readonly listeners = new Map<string, Set<Listener>>();
  /** Messages pushed while nobody was connected, delivered on the next connection (bounded). */
  private readonly pending = new Map<string, OutboundMessage[]>();

  subscribe(conversationId: string, listener: Listener): () => void {
    const set = this.listeners.get(conversationId) ?? new Set<Listener>();
    set.add(listener);
    this.listeners.set(conversationId, set);
    const queued = this.pending.get(conversationId);
    if (queued) {
      this.pending.delete(conversationId);
      for (const m of queued) listener(m);
    }
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(conversationId);
    };
  }

  publish(conversationId: string, messages: readonly OutboundMessage[]): void {
    const set = this.listeners.get(conversationId);
    if (set?.size) {
      for (const m of messages) for (const l of set) l(m);
      return;
    }
    const queued = this.pending.get(conversationId) ?? [];
    queued.push(...messages);
    this.pending.set(conversationId, queued.slice(-50));
  }

  get connections(): number {
    let n = 0;
    for (const s of this.listeners.values()) n += s.size;
    return n;
  }
}
