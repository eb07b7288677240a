/**
 * Quick-reply payloads ↔ Telegram `callback_data`, which holds 1-64 bytes. Payloads that fit are
 * sent as they are (readable, and they survive restarts); longer ones go out as a short id
 * (`~k` + 20 characters of a SHA-256) kept in a bounded in-memory map. An id unknown after a
 * restart decodes to undefined; the caller then falls back to the button's label.
 */
import { createHash } from 'node:crypto';

export const CALLBACK_DATA_MAX_BYTES = 64;
const PREFIX = '~k';

export interface CallbackDataMap {
  encode(payload: string): string;
  /** The payload for this callback_data, or undefined when it was a short id this process does not know. */
  decode(data: string): string | undefined;
  readonly size: number;
}

export function createCallbackDataMap(limit = 10_000): CallbackDataMap {
  const ids = new Map<string, string>();
  return {
    encode(payload) {
      if (Buffer.byteLength(payload) <= CALLBACK_DATA_MAX_BYTES && !payload.startsWith(PREFIX)) return payload;
      const id = PREFIX + createHash('sha256').update(payload).digest('base64url').slice(0, 20);
      ids.delete(id); // re-insert: most recently used last
      ids.set(id, payload);
      if (ids.size > limit) {
        const oldest = ids.keys().next().value;
        if (oldest !== undefined) ids.delete(oldest);
      }
      return id;
    },
    decode(data) {
      return data.startsWith(PREFIX) ? ids.get(data) : data;
    },
    get size() {
      return ids.size;
    },
  };
}
