/** QA rules (server/qa/rules.ts, phrases.ts): defaults, QA_RULES_FILE merging, and coded errors for bad files. */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isKefuError } from '../../core';
import { DEFAULT_ACKNOWLEDGEMENTS } from '../../server/qa/default-rules';
import { findPhrases, isAcknowledgement } from '../../server/qa/phrases';
import { compileQaRules, loadQaRules } from '../../server/qa/rules';

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return isKefuError(err) ? err.code : 'not coded';
  }
  return undefined;
}

describe('QA rules', () => {
  it('plain phrases match whole words, case-insensitively; "/…/" is a regular expression', () => {
    const r = compileQaRules({ forbidden: { en: ['free gift', '/\\bno ?charge\\b/'] } });
    assert.deepEqual(findPhrases(r.forbidden, 'en', 'You get a FREE  gift!'), ['free gift']);
    assert.deepEqual(findPhrases(r.forbidden, 'en', 'a free giftcard'), [], 'whole words only');
    assert.deepEqual(findPhrases(r.forbidden, 'en', 'it is nocharge'), ['/\\bno ?charge\\b/']);
  });

  it("a list in the file replaces that language's default only", () => {
    const r = compileQaRules({ forbidden: { en: ['free gift'] } });
    assert.deepEqual(findPhrases(r.forbidden, 'en', 'guaranteed refund today'), []);
    assert.ok(findPhrases(r.forbidden, 'zh', '保证今天退款').includes('保证今天退款'));
  });

  it("a message is checked against its conversation's language and its own", () => {
    const r = compileQaRules();
    assert.equal(findPhrases(r.forbidden, 'en', '我们保证今天退款').length > 0, true);
    assert.equal(findPhrases(r.forbidden, 'zh', 'Not my problem.').length > 0, true);
  });

  it('acknowledgements are messages made only of acknowledgement phrases', () => {
    assert.equal(isAcknowledgement(DEFAULT_ACKNOWLEDGEMENTS, 'OK, thank you so much!'), true);
    assert.equal(isAcknowledgement(DEFAULT_ACKNOWLEDGEMENTS, '好的，谢谢！'), true);
    assert.equal(isAcknowledgement(DEFAULT_ACKNOWLEDGEMENTS, 'ok but where is my refund?'), false);
    assert.equal(isAcknowledgement(DEFAULT_ACKNOWLEDGEMENTS, '好的，那什么时候到？'), false);
  });

  it('a bad file is KEFU_ERR_QA_RULES_INVALID naming the problem', () => {
    assert.equal(
      code(() => compileQaRules({ forbidden: { fr: ['x'] } })),
      'KEFU_ERR_QA_RULES_INVALID',
    );
    assert.equal(
      code(() => compileQaRules({ weights: { no_greeting: 500 } })),
      'KEFU_ERR_QA_RULES_INVALID',
    );
    assert.equal(
      code(() => compileQaRules({ closings: { en: ['/(unclosed/'] } })),
      'KEFU_ERR_QA_RULES_INVALID',
    );
    const dir = mkdtempSync(join(tmpdir(), 'kefu-qa-'));
    writeFileSync(join(dir, 'bad.json'), '{ not json');
    assert.equal(
      code(() => loadQaRules(join(dir, 'bad.json'))),
      'KEFU_ERR_QA_RULES_INVALID',
    );
    writeFileSync(join(dir, 'ok.json'), JSON.stringify({ greetings: { en: ['ahoy'] }, sentimentDrop: 0.5 }));
    const r = loadQaRules(join(dir, 'ok.json'));
    assert.equal(r.sentimentDrop, 0.5);
    assert.deepEqual(findPhrases(r.greetings, 'en', 'Ahoy there'), ['ahoy']);
  });
});
