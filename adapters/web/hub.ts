/**
 * Fan-out of pushed messages to open browser connections (server-sent events). Only connected
 * pages are told; the messages themselves are kept in the conversation's messages, which a page
 * fetches after its cursor when it opens or reconnects, so nothing depends on being connected.
 */
export type Listener = (message: unknown) => void;

export class PushHub {
  private readonly listeners = new Map<string, Set<Listener>>();

  subscribe(conversationId: string, listener: Listener): () => void {
    const set = this.listeners.get(conversationId) ?? new Set<Listener>();
    set.add(listener);
    this.listeners.set(conversationId, set);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(conversationId);
    };
  }

  /** Tells the conversation's connected pages; true when at least one was connected. */
  publish(conversationId: string, messages: readonly unknown[]): boolean {
    const set = this.listeners.get(conversationId);
    if (!set?.size) return false;
    for (const m of messages) for (const l of set) l(m);
    return true;
  }

  /** Is a page of the conversation connected here? */
  has(conversationId: string): boolean {
    return (this.listeners.get(conversationId)?.size ?? 0) > 0;
  }

  get connections(): number {
    let n = 0;
    for (const s of this.listeners.values()) n += s.size;
    return n;
  }
}
