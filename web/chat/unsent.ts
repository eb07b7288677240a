/**
 * Messages that failed to send (the network, the server restarting), each with its retry: all are
 * re-sent when the server is back (the event stream reopens, the browser is online again). Each
 * retry sends the same message id, so one that did arrive is answered once.
 */
export interface Unsent {
  add(item: HTMLElement, retry: () => void): void;
  sent(item: HTMLElement): void;
  clear(): void;
  resendAll(): void;
}

export function createUnsent(): Unsent {
  const retries = new Map<HTMLElement, () => void>();
  return {
    add: (item, retry) => void retries.set(item, retry),
    sent: (item) => void retries.delete(item),
    clear: () => retries.clear(),
    resendAll() {
      const all = [...retries.values()];
      retries.clear();
      for (const retry of all) retry();
    },
  };
}
