/**
 * Fastify's schema compilers load only when a route declares a schema (server/schema-compilers.ts);
 * a route added to kefu's app with a JSON schema still validates its body and serialises its answer.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../core';
import { demoDialogs } from '../../dialogs';
import { buildApp } from '../../server/app';
import { createKeywordClassifier } from '../support/keyword-classifier';

describe('Fastify schema compilers', function () {
  this.timeout(30_000);

  it('a route with a body and a response schema: invalid bodies get 400, answers are serialised by the schema', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kefu-schema-'));
    const config = loadConfig({ LOG_LEVEL: 'silent', PORT: '0', DATA_DIR: dir, CONSOLE_AGENTS: 'anna:anna-pass-12345' });
    const app = await buildApp(config, { dialogs: demoDialogs, classifier: createKeywordClassifier() });
    try {
      app.http.post(
        '/shop/api/double',
        {
          schema: {
            body: { type: 'object', required: ['n'], properties: { n: { type: 'integer' } } },
            response: { 200: { type: 'object', properties: { n: { type: 'integer' } } } },
          },
        },
        async (req) => ({ n: (req.body as { n: number }).n * 2, secret: 'not in the schema' }),
      );
      const ok = await app.http.inject({ method: 'POST', url: '/shop/api/double', payload: { n: 21 } });
      assert.equal(ok.statusCode, 200);
      assert.deepEqual(ok.json(), { n: 42 }, 'fast-json-stringify wrote only what the schema names');
      const bad = await app.http.inject({ method: 'POST', url: '/shop/api/double', payload: { n: 'x' } });
      assert.equal(bad.statusCode, 400);
    } finally {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
