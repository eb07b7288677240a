/** withFields: the result of `{ ...base, ...extra }`, without the hidden classes such a literal makes per call. */
import assert from 'node:assert/strict';
import { withFields } from '../../core';

describe('core/withFields', () => {
  it('gives what the spread gives: base first, extra winning, base untouched', () => {
    const base = { id: 'm1', from: 'bot', text: 'hi', seq: 1 };
    const extra = { seq: 2, key: 'web:c' };
    const made = withFields(base, extra);
    assert.deepEqual(made, { ...base, ...extra });
    assert.deepEqual(Object.keys(made), Object.keys({ ...base, ...extra }));
    assert.notEqual(made, base);
    assert.deepEqual(base, { id: 'm1', from: 'bot', text: 'hi', seq: 1 });
  });
});
