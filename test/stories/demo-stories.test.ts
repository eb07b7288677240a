/**
 * The demo shop's conversation stories (stories/demo), each run as a test against the demo app
 * in-process, exactly as `kefu test` runs them; and what an author sees when a story fails: a
 * readable diff and exit code 1.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run as kefuTest } from '../../cli/commands/test';
import { DEMO_AGENTS } from '../../plugins/handoff';
import { demoApp } from '../../demo/app';
import { createKefuApp, type KefuApp } from '../../server/create-app';
import { formatFailure, parseStories, runStories, type Story } from '../../testing';
import { storyEnv } from '../../testing/story-env';

const DEMO_STORIES = join(__dirname, '..', '..', 'stories', 'demo');

/** Read synchronously, so that each story is its own test. */
function demoStories(): Story[] {
  return readdirSync(DEMO_STORIES)
    .filter((f) => /\.(ya?ml|json)$/.test(f))
    .sort()
    .flatMap((f) => parseStories(readFileSync(join(DEMO_STORIES, f), 'utf8'), join('stories', 'demo', f)));
}

const WRONG = `
name: order status, expecting the wrong carrier
locale: en
steps:
  - customer: where is my order
  - bot: /order number/i
  - customer: "100234"
  - customer: ann.lee@example.com
  - bot: /with DHL/
`;

function captured(): { out: string[]; io: { stdout: { write(s: string): boolean }; stderr: { write(s: string): boolean } } } {
  const out: string[] = [];
  const sink = {
    write(s: string) {
      out.push(s);
      return true;
    },
  };
  return { out, io: { stdout: sink, stderr: sink } };
}

describe('demo stories (kefu test)', function () {
  this.timeout(60_000);
  let app: KefuApp;
  let dataDir: string;

  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'kefu-stories-'));
    const env = storyEnv(
      { LOCALES_DIR: join(__dirname, '..', '..', 'locales') },
      dataDir,
      DEMO_AGENTS.map((a) => a.id),
    );
    app = await createKefuApp({ ...demoApp, env, channels: [] });
  });
  after(async () => {
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  for (const story of demoStories()) {
    it(`${story.name} (${story.file})`, async () => {
      const report = await runStories(app, [story]);
      const [result] = report.results;
      assert.ok(result?.passed, result ? `\n${formatFailure(result)}` : 'no result');
    });
  }

  it('a failing story reports the story, the step, expected against got, and the conversation so far', async () => {
    const report = await runStories(app, parseStories(WRONG, 'wrong.yaml'), { waitMs: 100 });
    assert.deepEqual([report.passed, report.failed], [0, 1]);
    const [result] = report.results;
    assert.equal(result?.failure?.step, 5);
    const diff = formatFailure(result as NonNullable<typeof result>);
    assert.match(diff, /✗ order status, expecting the wrong carrier {2}\(wrong\.yaml\)/);
    assert.match(diff, /step 5: bot: \/with DHL\//);
    assert.match(diff, /- expected: the bot saying \/with DHL\//);
    assert.match(diff, /\+ got: {6}bot: "Good news: order 100234 .*SF Express/);
    assert.match(diff, /conversation so far:\n {4}customer {2}where is my order\n {4}bot {7}What’s your order number\?/);
  });

  it('kefu test exits 1 on a failing story and prints its diff and "0 passed, 1 failed"', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kefu-wrong-story-'));
    const file = join(dir, 'wrong.yaml');
    writeFileSync(file, WRONG);
    const { out, io } = captured();
    const previous = process.env.LOCALES_DIR;
    process.env.LOCALES_DIR = join(__dirname, '..', '..', 'locales');
    try {
      assert.equal(await kefuTest([file, '--wait', '100'], io), 1);
    } finally {
      if (previous === undefined) delete process.env.LOCALES_DIR;
      else process.env.LOCALES_DIR = previous;
      rmSync(dir, { recursive: true, force: true });
    }
    const text = out.join('');
    assert.match(text, /✗ order status, expecting the wrong carrier/);
    assert.match(text, /step 5: bot: \/with DHL\//);
    assert.match(text, /\n0 passed, 1 failed\n$/);
  });
});
