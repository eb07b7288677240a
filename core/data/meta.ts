/** Small named values (an agent's status, the inbox salt, the audit head) and sequences (ticket numbers). */
import type { Versioned } from './sessions';

export interface MetaRepo {
  get<T>(name: string): Promise<Versioned<T> | undefined>;
  /** Saves when the stored version is `expectedVersion` (0: it must not exist yet). */
  put(name: string, value: unknown, expectedVersion: number): Promise<'ok' | 'conflict'>;
  /** Takes the next `count` numbers of a sequence atomically; resolves to the last one taken (the first call gives `count`). */
  nextSeq(name: string, count?: number): Promise<number>;
}
