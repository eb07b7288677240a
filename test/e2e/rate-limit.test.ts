/**
 * Per-client and per-conversation limits on web chat messages (issue 9: 5,000 messages at 863/s went
 * through): past the limit a message gets 429 KEFU_ERR_RATE_LIMITED with Retry-After and is not
 * processed; the buckets refill; 0 turns a limit off.
 */
import assert from 'node:assert/strict';
import { createRateLimiter } from '../../server/rate-limit';
import { createKeywordClassifier } from '../support/keyword-classifier';
import { postMessage, startApp } from '../support/server';

describe('web chat rate limits', function () {
  this.timeout(20_000);

  it('a bucket allows a burst up to the limit, then waits for the refill; 0 is no limit', () => {
    let t = 0;
    const limiter = createRateLimiter(3, () => t);
    assert.deepEqual([limiter.take('a'), limiter.take('a'), limiter.take('a')], [0, 0, 0]);
    assert.equal(limiter.take('a'), 20_000, 'one message back every 20 s at 3 a minute');
    assert.equal(limiter.take('b'), 0, 'keys are apart');
    t = 20_000;
    assert.equal(limiter.take('a'), 0);
    const off = createRateLimiter(0);
    for (let i = 0; i < 1000; i++) assert.equal(off.take('x'), 0);
  });

  it('the server answers 429 with Retry-After past either limit, and processes nothing', async () => {
    const s = await startApp({ WEB_RATE_LIMIT_PER_IP: '5', WEB_RATE_LIMIT_PER_CONVERSATION: '3' }, { classifier: createKeywordClassifier() });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await postMessage(s.url, { conversationId: 'flood', text: `hi ${i}` })).status);
      assert.deepEqual(statuses, [200, 200, 200, 429]);
      const refused = await fetch(`${s.url}/api/web/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ conversationId: 'flood', text: 'more' }),
      });
      assert.equal(refused.status, 429);
      assert.ok(Number(refused.headers.get('retry-after')) >= 1);
      assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'KEFU_ERR_RATE_LIMITED');
      const stored = await s.app.engine.data.messages.after('web:flood', 0, 50);
      assert.equal(stored.filter((m) => m.from === 'customer').length, 3, 'the refused messages were not processed');
      // The address has used its 5 (the refused ones count too): another conversation is refused as well.
      assert.equal((await postMessage(s.url, { conversationId: 'other', text: 'hello' })).status, 429);
    } finally {
      await s.stop();
    }
  });
});
