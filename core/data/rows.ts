/**
 * Turning records into stored text and back, the same way in every backend: JSON through the
 * codec, with the record named as additional data. A row that cannot be read in a list is reported
 * (`onCorrupt`) and skipped; a single read of it throws the coded error.
 */
import { isKefuError, KefuError } from '../errors';
import { plainCodec, type ValueCodec } from './codec';
import type { CorruptRow, DataOptions } from './repositories';

/** The additional data a record is sealed with: its table and id. */
export function recordAad(table: string, id: string): string {
  return `${table}/${id}`;
}

/** JSON text of a value for `table`/`id`, sealed by the codec; KEFU_ERR_STORE_VALUE_INVALID when JSON cannot hold it. */
export function encodeRecord(codec: ValueCodec, table: string, id: string, value: unknown): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (err) {
    throw new KefuError('KEFU_ERR_STORE_VALUE_INVALID', `The ${table} record "${id}" cannot be saved as JSON (${err instanceof Error ? err.message : String(err)}).`, {
      cause: err,
    });
  }
  if (json === undefined) throw new KefuError('KEFU_ERR_STORE_VALUE_INVALID', `The ${table} record "${id}" cannot be saved as JSON (got ${typeof value}).`);
  return codec.seal(recordAad(table, id), json);
}

/** The value back: KEFU_ERR_STORE_DECRYPT_FAILED when it does not open, KEFU_ERR_STORE_VALUE_INVALID when it is not JSON. */
export function decodeRecord<T>(codec: ValueCodec, table: string, id: string, stored: string): T {
  const json = codec.open(recordAad(table, id), stored);
  try {
    return JSON.parse(json) as T;
  } catch (err) {
    throw new KefuError('KEFU_ERR_STORE_VALUE_INVALID', `The stored ${table} record "${id}" is not valid JSON (corrupt row); delete it or restore it from a backup.`, {
      cause: err,
    });
  }
}

/** Reads rows of a list: a row that cannot be read is reported and left out. */
export function createRowReader(opts: Pick<DataOptions, 'codec' | 'onCorrupt'>) {
  const codec = opts.codec ?? plainCodec;
  const report = (row: CorruptRow) => opts.onCorrupt?.(row);
  return {
    codec,
    report,
    encode: (table: string, id: string, value: unknown) => encodeRecord(codec, table, id, value),
    decode: <T>(table: string, id: string, stored: string) => decodeRecord<T>(codec, table, id, stored),
    /** The value, or undefined after reporting the row as corrupt. */
    tryDecode<T>(table: string, id: string, stored: string): T | undefined {
      try {
        return decodeRecord<T>(codec, table, id, stored);
      } catch (err) {
        const code = unreadableCode(err);
        if (!code) throw err;
        report({ table, id, code, reason: (err as Error).message });
        return undefined;
      }
    },
    /**
     * A record that must not be replaced when the key is wrong (a session): null after reporting
     * it when it is not JSON, but KEFU_ERR_STORE_DECRYPT_FAILED thrown when it does not open.
     */
    decodeOrNull<T>(table: string, id: string, stored: string): T | null {
      try {
        return decodeRecord<T>(codec, table, id, stored);
      } catch (err) {
        if (unreadableCode(err) !== 'KEFU_ERR_STORE_VALUE_INVALID') throw err;
        report({ table, id, code: 'KEFU_ERR_STORE_VALUE_INVALID', reason: (err as Error).message });
        return null;
      }
    },
  };
}

/** The code of an error that means "this row cannot be read", else undefined. */
export function unreadableCode(err: unknown): CorruptRow['code'] | undefined {
  if (isKefuError(err, 'KEFU_ERR_STORE_VALUE_INVALID')) return 'KEFU_ERR_STORE_VALUE_INVALID';
  if (isKefuError(err, 'KEFU_ERR_STORE_DECRYPT_FAILED')) return 'KEFU_ERR_STORE_DECRYPT_FAILED';
  return undefined;
}

export type RowReader = ReturnType<typeof createRowReader>;

/** KEFU_ERR_STORE_CLOSED for a backend used after close(). */
export function closedError(what: string): KefuError {
  return new KefuError('KEFU_ERR_STORE_CLOSED', `${what} was used after close(); create a new one.`);
}
