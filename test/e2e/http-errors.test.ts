/**
 * server/http-errors.ts: a route or hook that throws answers a coded 500 that says nothing of the
 * error (the log has it); Fastify's own 404, 400 and 414 and Node's 400 and 431 are coded too.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { Writable } from 'node:stream';
import Fastify from 'fastify';
import { createLogger } from '../../core';
import { frameworkErrorOptions, installErrorHandlers } from '../../server/http-errors';

function recordingLog() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, log: createLogger('info', sink) };
}

async function startBare() {
  const { lines, log } = recordingLog();
  const http = Fastify({ logger: false, routerOptions: { maxParamLength: 512 }, ...frameworkErrorOptions(log) });
  installErrorHandlers(http, log);
  http.get('/throws', async () => {
    throw new TypeError('secret detail at /srv/kefu/x.ts:12');
  });
  http.addHook('onRequest', async (req) => {
    if (req.url === '/hook-throws') throw new Error('hook broke');
  });
  http.get('/hook-throws', async () => ({ ok: true }));
  http.get('/items/:id', async (req) => ({ id: (req.params as { id: string }).id }));
  const url = await http.listen({ port: 0, host: '127.0.0.1' });
  return { http, url, lines };
}

function raw(url: string, request: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(request));
    let answer = '';
    socket.on('data', (d) => {
      answer += d.toString();
    });
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

const codeOf = (answer: string) => (JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as { error: { code: string } }).error.code;

describe('http errors', () => {
  let s: Awaited<ReturnType<typeof startBare>>;
  before(async () => {
    s = await startBare();
  });
  after(async () => s.http.close());

  it('answers a throwing route or hook with a generic coded 500 and logs the details', async () => {
    for (const path of ['/throws', '/hook-throws']) {
      const res = await fetch(`${s.url}${path}`);
      assert.equal(res.status, 500);
      assert.deepEqual(await res.json(), { error: { code: 'KEFU_ERR_INTERNAL', message: 'Internal error; see the server log.' } });
    }
    assert.ok(s.lines.some((l) => /secret detail/.test(l) && /"route":"\/throws"/.test(l)));
    assert.ok(s.lines.some((l) => /hook broke/.test(l)));
  });

  it("codes Fastify's 404, bad-URL 400 and long-parameter 414", async () => {
    const missing = await fetch(`${s.url}/nope?token=x`);
    assert.equal(missing.status, 404);
    assert.deepEqual(await missing.json(), { error: { code: 'KEFU_ERR_HTTP_NOT_FOUND', message: 'No route answers GET /nope.' } });
    const badUrl = await fetch(`${s.url}/items/%ED%A0%80`);
    assert.equal(badUrl.status, 400);
    assert.equal(((await badUrl.json()) as { error: { code: string } }).error.code, 'KEFU_ERR_HTTP_REQUEST_INVALID');
    assert.equal((await fetch(`${s.url}/items/${'k'.repeat(512)}`)).status, 200);
    const long = await fetch(`${s.url}/items/${'k'.repeat(513)}`);
    assert.equal(long.status, 414);
    assert.equal(((await long.json()) as { error: { code: string } }).error.code, 'KEFU_ERR_HTTP_URL_TOO_LONG');
  });

  it("codes the requests Node's parser refuses (400, 431) and closes them", async () => {
    const malformed = await raw(s.url, 'GET /throws HTTP/1.1\r\nHost: x\r\nBad Header: 1\r\n\r\n');
    assert.match(malformed, /^HTTP\/1\.1 400 /);
    assert.equal(codeOf(malformed), 'KEFU_ERR_HTTP_REQUEST_INVALID');
    assert.match(malformed, /x-content-type-options: nosniff/);
    const huge = await raw(s.url, `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'h'.repeat(20_000)}\r\n\r\n`);
    assert.match(huge, /^HTTP\/1\.1 431 /);
    assert.equal(codeOf(huge), 'KEFU_ERR_HTTP_HEADERS_TOO_LARGE');
    assert.equal((await fetch(`${s.url}/items/1`)).status, 200);
  });
});
