import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { configSchema, isKefuError, loadConfig } from '../../core';

describe('core/config', () => {
  it('starts with no variables at all (the demo needs no .env)', () => {
    const c = loadConfig({});
    assert.equal(c.PORT, 3000);
    assert.equal(c.DATA_DIR, './data');
    assert.equal(c.MONGODB_URI, undefined);
    assert.ok(Object.isFrozen(c));
  });

  it('lists every bad variable in one KEFU_ERR_CONFIG_INVALID', () => {
    assert.throws(
      () => loadConfig({ PORT: 'eighty', MONGODB_URI: 'localhost', NLU_THRESHOLD: '2' }),
      (e: unknown) => {
        assert.ok(isKefuError(e, 'KEFU_ERR_CONFIG_INVALID'));
        assert.equal(e.details?.length, 3);
        assert.match(e.message, /MONGODB_URI: must start with mongodb:\/\/ or mongodb\+srv:\/\/ \(got "loca…"\)/);
        assert.match(e.message, /PORT: /);
        assert.match(e.message, /NLU_THRESHOLD: /);
        return true;
      },
    );
  });

  it('treats empty strings as unset and coerces numbers and flags', () => {
    const c = loadConfig({ MONGODB_URI: '', PORT: '8080', WEB_CHAT_ENABLED: 'false' });
    assert.equal(c.MONGODB_URI, undefined);
    assert.equal(c.PORT, 8080);
    assert.equal(c.WEB_CHAT_ENABLED, false);
  });

  it('.env.example documents exactly the schema keys', () => {
    const documented = [...readFileSync('.env.example', 'utf8').matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]).sort();
    assert.deepEqual(documented, Object.keys(configSchema.shape).sort());
  });
});
