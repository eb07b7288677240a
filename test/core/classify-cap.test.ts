/** The classifier reads at most the first CLASSIFIED_CHARS characters of a message, whatever its length. */
import assert from 'node:assert/strict';
import { createEngine, createMemoryData, type IntentClassifier, NONE_INTENT } from '../../core';
import { CLASSIFIED_CHARS } from '../../core/classify-turn';
import { testDialogs } from './fixtures';

describe('core: what the classifier reads', () => {
  it('a long message is classified on its first CLASSIFIED_CHARS characters; a short one whole', async () => {
    const seen: string[] = [];
    const classifier: IntentClassifier = {
      async classify(text) {
        seen.push(text);
        return { intent: NONE_INTENT, score: 0, ranking: [], entities: [] };
      },
    };
    const engine = createEngine({ classifier, dialogs: testDialogs, data: createMemoryData() });
    const long = `where is my order 100234 ${'and some more words '.repeat(190)}`;
    assert.ok(long.length > 3000);
    await engine.handle({ channel: 'web', conversationId: 'c1', userId: 'u1', text: long });
    await engine.handle({ channel: 'web', conversationId: 'c1', userId: 'u1', text: 'hi' });
    assert.deepEqual(
      seen.map((t) => t.length),
      [CLASSIFIED_CHARS, 2],
    );
    assert.ok(seen[0]?.startsWith('where is my order 100234'));
    await engine.close();
  });
});
