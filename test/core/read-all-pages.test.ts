/** readAllPages: a paged list read to its end, or to `max`, with each page's cursor passed on. */
import assert from 'node:assert/strict';
import { type Page, type PageRequest, readAllPages } from '../../core';

/** A list of 0..n-1 paged by position, recording each request it answered. */
function numbers(n: number, seen: PageRequest[]) {
  return async (req: PageRequest): Promise<Page<number>> => {
    seen.push(req);
    const from = req.after === undefined ? 0 : Number(req.after);
    const to = Math.min(n, from + (req.limit ?? 50));
    const items = Array.from({ length: to - from }, (_, i) => from + i);
    return to < n ? { items, next: String(to) } : { items };
  };
}

describe('readAllPages', () => {
  it('reads every page in order, passing each next cursor on', async () => {
    const seen: PageRequest[] = [];
    assert.deepEqual(await readAllPages(numbers(7, seen), { limit: 3 }), [0, 1, 2, 3, 4, 5, 6]);
    assert.deepEqual(seen, [{ limit: 3 }, { limit: 3, after: '3' }, { limit: 3, after: '6' }]);
    assert.deepEqual(await readAllPages(numbers(0, [])), []);
  });

  it('stops at max and returns no more than max', async () => {
    const seen: PageRequest[] = [];
    assert.deepEqual(await readAllPages(numbers(100, seen), { limit: 4, max: 6 }), [0, 1, 2, 3, 4, 5]);
    assert.equal(seen.length, 2, 'no page read past max');
  });
});
