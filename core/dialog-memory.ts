/**
 * Conversation memory: typed values that carry across dialogs ("the order number the customer
 * already gave"), kept in the session so they survive restarts and other instances.
 *
 * Lifetime: an entry lives {@link MEMORY_TTL_MS} after it was last written, within the same
 * conversation session; `ctx.forget(key)` drops it earlier and `ctx.cancelAll()` keeps it (a
 * cancelled question does not make a known order number wrong).
 */
import type { SessionState } from './session';

/**
 * What dialogs remember, declared by the bot author through declaration merging:
 * @example
 * declare module 'kefu/core/dialog-memory' { interface DialogMemory { orderNo: string } }
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by declaration merging
export interface DialogMemory {}

/**
 * What dialogs keep in `ctx.data` (the session's `data`: no expiry, for the conversation's
 * lifetime), declared by the bot author through declaration merging like {@link DialogMemory}.
 * Undeclared keys stay readable as `unknown`.
 * @example
 * declare module 'kefu' { interface DialogData { refund: { filed: Record<string, string> } } }
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by declaration merging
export interface DialogData {}

/** `ctx.data` in a dialog: the declared keys typed, any other key `unknown`. */
export type DialogDataRecord = Partial<DialogData> & Record<string, unknown>;

/** A memory key. */
export type MemoryKey = keyof DialogMemory & string;

/** Memory keys whose stored value a slot of type `T` can take (prefill from memory). */
export type MemoryKeyReadableAs<T> = { [M in MemoryKey]: DialogMemory[M] extends T ? M : never }[MemoryKey];

/** Memory keys a slot of type `T` can write (remember into memory). */
export type MemoryKeyWritableFrom<T> = { [M in MemoryKey]: T extends DialogMemory[M] ? M : never }[MemoryKey];

/** One remembered value and when it was written (ms). */
export interface MemoryEntry {
  value: unknown;
  at: number;
}

/** How long a remembered value stays usable after it was last written: 2 hours. */
export const MEMORY_TTL_MS = 2 * 60 * 60 * 1000;

/** Reads and writes the session's memory for one turn, ignoring entries older than the TTL. */
export interface MemoryAccess {
  get<M extends MemoryKey>(key: M): DialogMemory[M] | undefined;
  set<M extends MemoryKey>(key: M, value: DialogMemory[M]): void;
  delete(key: MemoryKey): void;
  /** The live values, for prompt placeholders. */
  snapshot(): Partial<DialogMemory>;
}

export function memoryOf(session: Pick<SessionState, 'memory'>, now: number): MemoryAccess {
  const live = (entry: MemoryEntry | undefined) => entry !== undefined && now - entry.at < MEMORY_TTL_MS;
  const entries = () => {
    session.memory ??= {};
    return session.memory;
  };
  return {
    get(key) {
      const entry = session.memory?.[key];
      return live(entry) ? (entry?.value as DialogMemory[typeof key]) : undefined;
    },
    set(key, value) {
      entries()[key] = { value, at: now };
    },
    delete(key) {
      if (session.memory) delete session.memory[key];
    },
    snapshot() {
      const out: Record<string, unknown> = {};
      for (const [k, e] of Object.entries(session.memory ?? {})) if (live(e)) out[k] = e.value;
      return out as Partial<DialogMemory>;
    },
  };
}
