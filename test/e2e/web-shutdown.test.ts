/**
 * SIGTERM with a chat page's event stream open: kefu (as `npm start` runs it) ends the stream at
 * once and exits, instead of waiting on the open connection until the 15 s force-exit.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startChildServer } from '../support/child-server';

describe('web chat: SIGTERM with an event stream open (child process)', function () {
  this.timeout(60_000);
  const dir = mkdtempSync(join(tmpdir(), 'kefu-web-shutdown-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('ends the stream and exits within seconds, with exit code 0', async () => {
    const server = await startChildServer(dir);
    try {
      const post = (path: string, body: object, token?: string) =>
        fetch(`${server.url}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body: JSON.stringify(body),
        });
      const first = (await (await post('/api/web/messages', { conversationId: 'bye-1', text: 'hi' })).json()) as { conversationToken: string };
      const { ticket } = (await (await post('/api/web/events/ticket', { conversationId: 'bye-1' }, first.conversationToken)).json()) as { ticket: string };
      const stream = await fetch(`${server.url}/api/web/events?conversationId=bye-1&ticket=${encodeURIComponent(ticket)}`);
      assert.equal(stream.status, 200);
      const reader = (stream.body as ReadableStream<Uint8Array>).getReader();
      await reader.read(); // connected
      const exited = new Promise<number | null>((resolve) => server.child.once('exit', (code) => resolve(code)));
      const started = Date.now();
      server.child.kill('SIGTERM');
      for (;;) if ((await reader.read().catch(() => ({ done: true }))).done) break;
      assert.equal(await exited, 0);
      assert.ok(Date.now() - started < 5000, `exit took ${Date.now() - started} ms`);
    } finally {
      await server.kill();
    }
  });
});
