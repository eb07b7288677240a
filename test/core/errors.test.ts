import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { asCodedError, DialogError, ERROR_CODES, isKefuError, KefuError } from '../../core';

describe('core/errors', () => {
  it('documents every code in docs/errors.md', () => {
    const doc = readFileSync('docs/errors.md', 'utf8');
    const missing = Object.keys(ERROR_CODES).filter((code) => !doc.includes(`\`${code}\``));
    assert.deepEqual(missing, [], `add these codes to docs/errors.md: ${missing.join(', ')}`);
  });

  it('documents no code that does not exist', () => {
    const doc = readFileSync('docs/errors.md', 'utf8');
    const documented = [...doc.matchAll(/`(KEFU_ERR_[A-Z_]+)`/g)].map((m) => m[1] as string);
    const unknown = documented.filter((c) => !(c in ERROR_CODES));
    assert.deepEqual(unknown, []);
  });

  it('names codes KEFU_ERR_<AREA>_<WHAT> (KEFU_ERR_INTERNAL is the one catch-all)', () => {
    for (const code of Object.keys(ERROR_CODES)) if (code !== 'KEFU_ERR_INTERNAL') assert.match(code, /^KEFU_ERR_[A-Z]+_[A-Z_]+$/);
  });

  it('wraps unknown errors and dialog failures with their cause', () => {
    const cause = new Error('disk full');
    const coded = asCodedError(cause);
    assert.equal(coded.code, 'KEFU_ERR_INTERNAL');
    assert.equal(coded.cause, cause);
    const known = new KefuError('KEFU_ERR_STORE_CLOSED', 'closed');
    assert.equal(asCodedError(known), known);
    const d = new DialogError(cause, 'order-status', 't-1');
    assert.ok(isKefuError(d, 'KEFU_ERR_DIALOG_FAILED'));
    assert.match(d.message, /order-status.*t-1.*disk full/);
    assert.deepEqual(JSON.parse(JSON.stringify(known)), { code: 'KEFU_ERR_STORE_CLOSED', message: 'closed' });
  });
});
