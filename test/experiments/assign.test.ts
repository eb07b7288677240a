/** Sticky, weighted assignment from a hash: the same unit gets the same variant in any process. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { assignmentUnit, bucketOf, pickVariant } from '../../plugins/experiments/assign';

const AB = [
  { id: 'a', weight: 1 },
  { id: 'b', weight: 3 },
];

describe('experiments: assignment', () => {
  it('is sticky: the same experiment and unit always give the same variant', () => {
    for (let i = 0; i < 200; i++) {
      const unit = `conversation:web:c${i}`;
      assert.equal(pickVariant('greeting', unit, AB).id, pickVariant('greeting', unit, AB).id);
    }
  });

  it('follows the weights (1:3 gives 25 % / 75 % within 1.5 points over 20,000 units)', () => {
    let a = 0;
    const n = 20_000;
    for (let i = 0; i < n; i++) if (pickVariant('weights', `conversation:web:${i}`, AB).id === 'a') a++;
    assert.ok(Math.abs(a / n - 0.25) < 0.015, `share of a: ${a / n}`);
  });

  it('is independent across experiments (another id reshuffles the units)', () => {
    let same = 0;
    const n = 4000;
    const even = AB.map((v) => ({ ...v, weight: 1 }));
    for (let i = 0; i < n; i++) if (pickVariant('x', `u${i}`, even).id === pickVariant('y', `u${i}`, even).id) same++;
    assert.ok(Math.abs(same / n - 0.5) < 0.04, `agreement ${same / n}`);
  });

  it('survives a restart: a fresh process computes the same buckets (nothing stored, nothing random)', () => {
    const units = ['conversation:web:abc', 'user:telegram:42', 'conversation:wechat:o-9'];
    const here = units.map((u) => bucketOf('greeting-style', u));
    const script = `const { bucketOf } = require(${JSON.stringify(resolve(__dirname, '../../plugins/experiments/assign.ts'))}); console.log(JSON.stringify(${JSON.stringify(units)}.map((u) => bucketOf('greeting-style', u))))`;
    const out = execFileSync(process.execPath, ['--require', 'tsx/cjs', '-e', script], { encoding: 'utf8' });
    assert.deepEqual(JSON.parse(out), here);
    for (const b of here) assert.ok(b >= 0 && b < 1);
  });

  it('a verified customer is the unit across conversations; a visitor is only their conversation', () => {
    const verified = { channel: 'web', userId: 'cust-7', profile: { name: 'Li' } };
    assert.equal(assignmentUnit({ ...verified, conversationId: 'c1' }), assignmentUnit({ ...verified, conversationId: 'c2' }));
    assert.equal(assignmentUnit({ ...verified, conversationId: 'c1' }), 'user:web:cust-7');
    const visitor = { channel: 'web', userId: 'c1', conversationId: 'c1', profile: { visitor: true } };
    assert.equal(assignmentUnit(visitor), 'conversation:web:c1');
    assert.equal(assignmentUnit({ channel: 'web', userId: 'c3', conversationId: 'c3' }), 'conversation:web:c3', 'no profile: not vouched for');
  });
});
