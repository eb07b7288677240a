/**
 * The whole learning loop through the real server, with the real NLU on a temporary locales
 * folder: a web chat message the bot does not understand → the console inbox → an agent labels it
 * over the API → `kefu learn --export` → `kefu train` → after a restart the same message is understood.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run as learn } from '../../cli/commands/learn';
import { run as train } from '../../cli/commands/train';
import type { InboxEntry } from '../../plugins/analytics';
import { postMessage, replyText, startApp } from '../support/server';

const FIXTURES = join(__dirname, '..', 'intents', 'fixtures', 'locales');
const NOT_UNDERSTOOD = /not sure I understood|didn’t quite get that/;

function quiet() {
  const out: string[] = [];
  return { io: { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => out.push(s) } }, text: () => out.join('') };
}

describe('learning loop end to end (server, console API, kefu learn, kefu train)', function () {
  this.timeout(120_000);
  let dir: string;
  let env: Record<string, string>;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'kefu-learn-e2e-'));
    cpSync(FIXTURES, join(dir, 'locales'), { recursive: true });
    env = { LOCALES_DIR: join(dir, 'locales'), DATA_DIR: join(dir, 'data') };
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a message labelled in the console is understood after export, training and a restart', async () => {
    const first = await startApp({ LOCALES_DIR: env.LOCALES_DIR as string }, {}, env.DATA_DIR);
    try {
      const before = await postMessage(first.url, { conversationId: 'loop1', text: 'the thingamajig is wobbly' });
      assert.match(replyText(before.json), NOT_UNDERSTOOD);
      const login = await fetch(`${first.url}/console/api/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ agentId: 'wang', password: 'wang-pass-12345' }),
      });
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      const inbox = (await (await fetch(`${first.url}/console/api/inbox`, { headers: { cookie } })).json()) as { entries: InboxEntry[] };
      const entry = inbox.entries.find((e) => e.text === 'the thingamajig is wobbly');
      assert.ok(entry, JSON.stringify(inbox));
      const labelled = await fetch(`${first.url}/console/api/inbox/${entry.id}/label`, {
        method: 'POST',
        headers: { cookie, origin: first.url, 'content-type': 'application/json' },
        body: JSON.stringify({ intent: 'refund.request' }),
      });
      assert.equal(labelled.status, 200);
    } finally {
      await first.stop(true);
    }

    const exported = quiet();
    assert.equal(await learn(['--export'], exported.io, { env }), 0, exported.text());
    assert.match(exported.text(), /\+ refund\.request: "the thingamajig is wobbly"/);
    const trained = quiet();
    assert.equal(await train(['--locales', env.LOCALES_DIR as string, '--cache', join(env.DATA_DIR as string, 'models')], trained.io), 0, trained.text());
    assert.match(trained.text(), /en .* trained/);

    const second = await startApp({ LOCALES_DIR: env.LOCALES_DIR as string }, {}, env.DATA_DIR);
    try {
      const after = await postMessage(second.url, { conversationId: 'loop2', text: 'the thingamajig is wobbly' });
      assert.doesNotMatch(replyText(after.json), NOT_UNDERSTOOD);
      assert.match(replyText(after.json), /refund|order number/i);
    } finally {
      await second.stop();
    }
  });
});
