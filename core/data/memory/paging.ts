/** Keyset paging over an in-memory list: sort by a list order, resume after a cursor. */
import type { ListOrder } from '../orders';
import { type CursorPart, decodeCursor, type Page, type PageRequest, pageLimit, toPage } from '../page';

export function compareKeys(a: readonly CursorPart[], b: readonly CursorPart[], dirs: readonly (1 | -1)[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as CursorPart;
    const y = b[i] as CursorPart;
    if (x === y) continue;
    return (x < y ? -1 : 1) * (dirs[i] ?? 1);
  }
  return 0;
}

/** One page of `items` in the list's order, after `req.after` if given. */
export function pageOf<T>(items: readonly T[], req: PageRequest, order: ListOrder<T>): Page<T> {
  const limit = pageLimit(req);
  const cursor = req.after === undefined ? undefined : decodeCursor(req.after, order.shape);
  const sorted = [...items].sort((a, b) => compareKeys(order.key(a), order.key(b), order.dirs));
  const rest = cursor ? sorted.filter((t) => compareKeys(order.key(t), cursor, order.dirs) > 0) : sorted;
  return toPage(rest.slice(0, limit + 1), limit, order.key);
}
