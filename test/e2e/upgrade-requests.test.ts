/**
 * No unauthenticated request ends the process: WebSocket upgrades with a malformed cookie, a
 * request target that is not a URL, or a path kefu does not serve are answered with a coded error
 * and closed, and /healthz keeps answering. (Issue 9 found each of these killing the server, or
 * leaving sockets open until file descriptors ran out.)
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { createKeywordClassifier } from '../support/keyword-classifier';
import { type RunningApp, startApp } from '../support/server';

const UPGRADE = 'Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n';

/** Sends raw request bytes; resolves with everything the server answered before it closed the connection. */
function raw(url: string, request: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(request));
    let answer = '';
    socket.on('data', (d) => {
      answer += d.toString();
    });
    socket.on('end', () => resolve(answer));
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
    socket.setTimeout(5000, () => {
      socket.destroy();
      reject(new Error(`no answer and no close within 5 s; got ${JSON.stringify(answer)}`));
    });
  });
}

describe('upgrade requests that used to end the process', function () {
  this.timeout(20_000);
  let s: RunningApp;
  before(async () => {
    s = await startApp({}, { classifier: createKeywordClassifier() });
  });
  after(async () => s?.stop());
  const alive = async () => assert.equal((await fetch(`${s.url}/healthz`)).status, 200);

  it('a console socket with a malformed cookie gets 401 KEFU_ERR_CONSOLE_AUTH', async () => {
    const answer = await raw(s.url, `GET /console/ws HTTP/1.1\r\nHost: x\r\n${UPGRADE}Cookie: kefu_console=%\r\n\r\n`);
    assert.match(answer, /^HTTP\/1\.1 401 /);
    assert.match(answer, /KEFU_ERR_CONSOLE_AUTH/);
    await alive();
  });

  it('the same cookie on a staff route is a 401, not a 500', async () => {
    const res = await fetch(`${s.url}/console/api/state`, { headers: { cookie: 'kefu_console=%' } });
    assert.equal(res.status, 401);
    await alive();
  });

  it('a request target that is not a URL gets 400; an upgrade to another path gets 404 and is closed', async () => {
    const bad = await raw(s.url, `GET http://[ HTTP/1.1\r\nHost: x\r\n${UPGRADE}\r\n`);
    assert.match(bad, /^HTTP\/1\.1 400 /);
    const elsewhere = await raw(s.url, `GET /somewhere HTTP/1.1\r\nHost: x\r\n${UPGRADE}\r\n`);
    assert.match(elsewhere, /^HTTP\/1\.1 404 /);
    assert.match(elsewhere, /KEFU_ERR_HTTP_NOT_FOUND/);
    await alive();
  });
});
