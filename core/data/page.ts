/**
 * Keyset paging for every list a repository answers: a page holds at most `limit` items and, when
 * more follow, an opaque `next` cursor that names where the next page starts (the sort key of the
 * last item). No offset scans: a page costs the same at the start and at the end of a long list.
 */
import { KefuError } from '../errors';

export interface PageRequest {
  /** Items per page: 1..500, default 50. */
  limit?: number;
  /** The `next` cursor of the previous page. */
  after?: string;
}

export interface Page<T> {
  items: T[];
  /** Present when more items follow: pass it as `after` to get them. */
  next?: string;
}

export const DEFAULT_PAGE_LIMIT = 50;
export const MAX_PAGE_LIMIT = 500;

/** The limit to use for a request, or KEFU_ERR_PAGE_INVALID naming the bad value. */
export function pageLimit(req: PageRequest = {}): number {
  const limit = req.limit ?? DEFAULT_PAGE_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_LIMIT) {
    throw new KefuError('KEFU_ERR_PAGE_INVALID', `limit must be an integer from 1 to ${MAX_PAGE_LIMIT} (got ${String(limit)}).`);
  }
  return limit;
}

export type CursorPart = string | number;

/** A cursor for the sort key of the last item on a page. */
export function encodeCursor(parts: readonly CursorPart[]): string {
  return Buffer.from(JSON.stringify(parts), 'utf8').toString('base64url');
}

/**
 * The sort key a cursor names, checked against the expected shape ('s' string, 'n' number), or
 * KEFU_ERR_PAGE_INVALID: a cursor from another list, or edited by hand.
 */
export function decodeCursor(cursor: string, shape: readonly ('s' | 'n')[]): CursorPart[] {
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parts = undefined;
  }
  const fits =
    Array.isArray(parts) && parts.length === shape.length && parts.every((p, i) => (shape[i] === 'n' ? typeof p === 'number' && Number.isFinite(p) : typeof p === 'string'));
  if (!fits) throw new KefuError('KEFU_ERR_PAGE_INVALID', `The page cursor "${cursor.slice(0, 40)}" is not one this list gave out; start again without "after".`);
  return parts as CursorPart[];
}

/** Cuts `limit + 1` fetched rows into a page, with a cursor made from the last item kept. */
export function toPage<T>(rows: T[], limit: number, keyOf: (item: T) => readonly CursorPart[]): Page<T> {
  if (rows.length <= limit) return { items: rows };
  const items = rows.slice(0, limit);
  return { items, next: encodeCursor(keyOf(items[items.length - 1] as T)) };
}

/**
 * Reads a paged list to its end, `limit` items a page (default 500), in order; with `max`, stops
 * once that many were read (and returns no more than `max`).
 * @example const queued = await readAllPages((req) => data.handoffs.list({ state: 'queued' }, req));
 */
export async function readAllPages<T>(read: (req: PageRequest) => Promise<Page<T>>, opts: { limit?: number; max?: number } = {}): Promise<T[]> {
  const items: T[] = [];
  const max = opts.max ?? Number.POSITIVE_INFINITY;
  let after: string | undefined;
  do {
    const page = await read({ limit: opts.limit ?? MAX_PAGE_LIMIT, ...(after === undefined ? {} : { after }) });
    items.push(...page.items);
    after = page.next;
  } while (after !== undefined && items.length < max);
  return items.length > max ? items.slice(0, max) : items;
}
