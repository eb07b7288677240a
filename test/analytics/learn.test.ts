/**
 * The learning loop on a temporary locales folder with the real NLU: a message the bot does not
 * understand lands in the inbox (SQLite, as the server keeps it), staff label it, `kefu learn
 * --export` writes it into the corpus, and after training the same message is understood.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run as learn } from '../../cli/commands/learn';
import { createEngine } from '../../core';
import { createAnalytics, createInbox } from '../../plugins/analytics';
import { demoDialogs } from '../../dialogs';
import { createNluClassifier } from '../../intents';
import { createSqliteData } from '../../stores/sqlite';
import { captureIo } from '../support/command-io';

const FIXTURES = join(__dirname, '..', 'intents', 'fixtures', 'locales');

describe('learning from unrecognised messages (kefu learn)', function () {
  this.timeout(60_000);
  let dir: string;
  let env: Record<string, string>;
  const dbPath = () => join(dir, 'data', 'kefu.db');
  const corpus = (l: string) => readFileSync(join(dir, 'locales', l, 'corpus.json'), 'utf8');

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kefu-learn-'));
    cpSync(FIXTURES, join(dir, 'locales'), { recursive: true });
    env = { DATA_DIR: join(dir, 'data'), LOCALES_DIR: join(dir, 'locales'), SESSION_TTL_DAYS: '0' };
    const nlu = await createNluClassifier({ localesDir: env.LOCALES_DIR as string });
    const data = createSqliteData({ path: dbPath() });
    const engine = createEngine({ classifier: nlu, dialogs: demoDialogs, data });
    const { service, plugin } = createAnalytics();
    await engine.register(plugin, undefined);
    const say = (id: string, text: string) => engine.handle({ channel: 'web', conversationId: id, userId: id, text });
    assert.equal((await say('a', 'the thingamajig is wobbly')).dialogId, 'fallback');
    assert.equal((await say('b', '小部件晃动得厉害')).dialogId, 'fallback');
    await say('c', 'my gizmo hums'); // stays open
    await say('d', 'hello'); // understood: not in the inbox
    await service.idle();
    const entries = await service.inbox.list();
    assert.deepEqual(entries.map((e) => e.text).sort(), ['my gizmo hums', 'the thingamajig is wobbly', '小部件晃动得厉害']);
    for (const e of entries.filter((x) => x.text !== 'my gizmo hums')) assert.ok((await service.inbox.label(e.id, 'refund.request', 'anna')).ok);
    await engine.close();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('kefu learn shows the inbox; --jsonl prints the labelled examples; --dry-run writes nothing', async () => {
    const show = captureIo();
    assert.equal(await learn([], show.io, { env }), 0, show.err());
    assert.match(show.out(), /en: 1 open, 1 labelled, 0 dismissed, 0 exported\n\s+1× {2}"my gizmo hums"/);
    const jsonl = captureIo();
    assert.equal(await learn(['--export', '--jsonl'], jsonl.io, { env }), 0);
    assert.deepEqual(
      jsonl
        .out()
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l))
        .sort((x, y) => (x.locale < y.locale ? -1 : 1)),
      [
        { text: 'the thingamajig is wobbly', intent: 'refund.request', locale: 'en' },
        { text: '小部件晃动得厉害', intent: 'refund.request', locale: 'zh' },
      ],
    );
    const before = corpus('en');
    const dry = captureIo();
    assert.equal(await learn(['--export', '--dry-run'], dry.io, { env }), 0);
    assert.match(dry.out(), /en: would add 1 to .*corpus\.json\n {2}\+ refund\.request: "the thingamajig is wobbly"/);
    assert.equal(corpus('en'), before);
  });

  it('--export appends to the corpora in place, marks the entries exported, and training then understands them', async () => {
    const before = { en: corpus('en'), zh: corpus('zh') };
    const c = captureIo();
    assert.equal(await learn(['--export'], c.io, { env }), 0, c.err());
    assert.match(c.out(), /en: added 1 .*\n.*\nzh: added 1 /);
    assert.match(c.out(), /Now run kefu train/);
    assert.equal(corpus('en'), before.en.replace('"please refund $25"', '"please refund $25", "the thingamajig is wobbly"'));
    assert.equal(corpus('zh').length, before.zh.length + ', "小部件晃动得厉害"'.length);

    const again = captureIo();
    assert.equal(await learn(['--export'], again.io, { env }), 0);
    assert.equal(again.out(), 'Nothing to export: no labelled messages.\n');
    assert.equal(corpus('en'), before.en.replace('"please refund $25"', '"please refund $25", "the thingamajig is wobbly"'), 'not added twice');

    const data = createSqliteData({ path: dbPath() });
    const statuses = (await createInbox({ data }).list()).map((e) => [e.text, e.status]).sort();
    await data.close();
    assert.deepEqual(statuses, [
      ['my gizmo hums', 'open'],
      ['the thingamajig is wobbly', 'exported'],
      ['小部件晃动得厉害', 'exported'],
    ]);

    const retrained = await createNluClassifier({ localesDir: env.LOCALES_DIR as string });
    assert.equal((await retrained.classify('the thingamajig is wobbly', 'en')).intent, 'refund.request');
    assert.equal((await retrained.classify('小部件晃动得厉害', 'zh')).intent, 'refund.request');
  });

  it('labels with an intent the corpus lacks stay labelled unless --new-intents', async () => {
    const data = createSqliteData({ path: dbPath() });
    const inbox = createInbox({ data });
    const gizmo = (await inbox.list({ status: 'open' }))[0];
    assert.ok(gizmo && (await inbox.label(gizmo.id, 'product.noise', 'wang')).ok);
    await data.close();
    const c = captureIo();
    assert.equal(await learn(['--export'], c.io, { env }), 0);
    assert.match(c.out(), /= product\.noise: "my gizmo hums" \(intent not in the corpus \(--new-intents adds it\); left labelled\)/);
    const n = captureIo();
    assert.equal(await learn(['--export', '--new-intents'], n.io, { env }), 0);
    assert.match(corpus('en'), /\{ "intent": "product\.noise", "utterances": \["my gizmo hums"\] \}\n {2}\]/);
  });

  it('--help exits 0; stray options exit 2', async () => {
    const h = captureIo();
    assert.equal(await learn(['--help'], h.io, { env }), 0);
    assert.match(h.out(), /usage: kefu learn/);
    for (const argv of [['--jsonl'], ['--export', '--bogus']]) {
      const c = captureIo();
      assert.equal(await learn(argv, c.io, { env }), 2, argv.join(' '));
    }
  });
});
