import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run as evalCommand } from '../../cli/commands/eval';
import { run as trainCommand } from '../../cli/commands/train';
import { evaluateSplit, evaluateSplitAt } from '../../intents/eval/evaluate';

const FIXTURES = join(__dirname, 'fixtures', 'locales');
const ROOT = join(__dirname, '..', '..');

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) } }, out, err };
}

function jsonl(rows: Array<[string, string]>): string {
  return rows.map(([text, intent]) => JSON.stringify({ text, intent })).join('\n');
}

describe('intents: kefu train / kefu eval commands', () => {
  let dir: string;
  let trainFile: string;
  let testFile: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'kefu-cli-'));
    const corpus = JSON.parse(readFileSync(join(FIXTURES, 'en', 'corpus.json'), 'utf8')) as { data: Array<{ intent: string; utterances: string[] }> };
    const rows: Array<[string, string]> = corpus.data.flatMap((d) => d.utterances.map((u) => [u, d.intent] as [string, string]));
    const oosTrain: Array<[string, string]> = [
      'what is the weather like',
      'tell me a joke',
      'who won the football game',
      'play some music',
      'what is the capital of france',
      'how tall is mount everest',
    ].map((t) => [t, 'oos']);
    trainFile = join(dir, 'train.jsonl');
    testFile = join(dir, 'test.jsonl');
    writeFileSync(trainFile, jsonl([...rows, ...oosTrain]));
    writeFileSync(
      testFile,
      jsonl([
        ['hello there', 'greeting'],
        ['where is my parcel', 'order.status'],
        ['I want my money back', 'refund.request'],
        ['let me talk to a human', 'agent.request'],
        ['thank you very much', 'thanks'],
        ['qwzx plmkj vbnrt', 'oos'],
        ['what is the weather tomorrow', 'oos'],
      ]),
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('eval --json prints one object with the metrics, speed and memory', async () => {
    const c = capture();
    const code = await evalCommand(['--train', trainFile, '--test', testFile, '--lang', 'en', '--json'], c.io);
    assert.equal(code, 0, c.err.join(''));
    assert.equal(c.out.length, 1);
    const r = JSON.parse(c.out[0] as string);
    for (const key of ['accuracy', 'macroF1', 'inScopeAccuracy', 'oosRecall', 'trainSeconds', 'utterancesPerSecond', 'peakRssMB']) {
      assert.equal(typeof r[key], 'number', key);
    }
    assert.ok(r.accuracy >= 5 / 7, `accuracy ${r.accuracy}`);
    assert.ok(r.oosRecall >= 0.5, `oos recall ${r.oosRecall}`);
    assert.ok(r.utterancesPerSecond > 0 && r.peakRssMB > 0);
    assert.ok(Array.isArray(r.perIntent) && Array.isArray(r.confusions));
  });

  it('eval without --json prints a readable report and writes the confusion matrix page', async () => {
    const c = capture();
    const html = join(dir, 'report.html');
    const code = await evalCommand(['--train', trainFile, '--test', testFile, '--valid', testFile, '--lang', 'en', '--html', html], c.io);
    assert.equal(code, 0, c.err.join(''));
    const text = c.out.join('');
    assert.match(text, /accuracy\s+\d+\.\d%/);
    assert.match(text, /intent\s+precision\s+recall\s+F1\s+support/);
    assert.match(text, /most confused/);
    assert.match(text, /refund\.request/);
    const page = readFileSync(html, 'utf8');
    assert.match(page, /<table>/);
    assert.match(page, /order\.status/);
  });

  it('eval --cv runs k-fold cross-validation per locale', async () => {
    const c = capture();
    const code = await evalCommand(['--cv', '3', '--locales', FIXTURES, '--json'], c.io);
    assert.equal(code, 0, c.err.join(''));
    const r = JSON.parse(c.out.join(''));
    assert.deepEqual(Object.keys(r).sort(), ['en', 'zh']);
    assert.equal(r.en.folds, 3);
    assert.equal(r.en.total, 64);
    assert.ok(r.zh.accuracy > 0.5, `zh cv accuracy ${r.zh.accuracy}`);
  });

  it('usage errors exit 2, --help exits 0, a bad file exits 1 with the error code', async () => {
    let c = capture();
    assert.equal(await evalCommand(['--train', trainFile, '--lang', 'en'], c.io), 2);
    assert.match(c.err.join(''), /--train, --test and --lang are required/);
    c = capture();
    assert.equal(await evalCommand(['--cv', '1'], c.io), 2);
    c = capture();
    assert.equal(await evalCommand(['--lang', 'fr', '--cv', '3'], c.io), 2);
    c = capture();
    assert.equal(await evalCommand(['--help'], c.io), 0);
    assert.match(c.out.join(''), /usage: kefu eval/);
    c = capture();
    assert.equal(await evalCommand(['--train', join(dir, 'missing.jsonl'), '--test', testFile, '--lang', 'en'], c.io), 1);
    assert.match(c.err.join(''), /KEFU_ERR_NLU_CORPUS_INVALID/);
    c = capture();
    assert.equal(await trainCommand(['--bogus'], c.io), 2);
  });

  it('train caches models and prints their hashes; a second run loads them', async () => {
    const cache = join(dir, 'models');
    let c = capture();
    assert.equal(await trainCommand(['--locales', FIXTURES, '--cache', cache], c.io), 0);
    const first = c.out.join('');
    // The fixture's 8 intents and the kit's None, which the fixture lacks (kit/locales is trained under every corpus).
    assert.match(first, /^en {2}[0-9a-f]{16} {2}9 intents {2}trained$/m);
    assert.match(first, /^zh {2}[0-9a-f]{16} {2}9 intents {2}trained$/m);
    assert.match(c.err.join(''), /training en: 100%/);
    c = capture();
    assert.equal(await trainCommand(['--locales', FIXTURES, '--cache', cache], c.io), 0);
    assert.match(c.out.join(''), /^en {2}[0-9a-f]{16} {2}9 intents {2}up to date \(cached\)$/m);
    assert.equal(c.err.join(''), '');
  });

  it('kefu train runs end to end through the CLI entry point', () => {
    const cache = join(dir, 'models-e2e');
    const locales = join(dir, 'en-only');
    cpSync(join(FIXTURES, 'en'), join(locales, 'en'), { recursive: true });
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'cli', 'index.ts'), 'train', '--locales', locales, '--cache', cache], { encoding: 'utf8', cwd: ROOT });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^en {2}[0-9a-f]{16}/m);
    assert.ok(existsSync(cache));
  });
});

describe('intents: evaluation', () => {
  it('a threshold sweep scores exactly what classify() answers at each threshold', async () => {
    const corpus = JSON.parse(readFileSync(join(FIXTURES, 'en', 'corpus.json'), 'utf8')) as { data: Array<{ intent: string; utterances: string[] }> };
    const rows = corpus.data.flatMap((d) => d.utterances.map((text) => ({ text, intent: d.intent })));
    const test = [
      { text: 'hi, is anybody there', intent: 'greeting' },
      { text: 'where is my package', intent: 'order.status' },
      { text: 'money back please', intent: 'refund.request' },
      { text: 'blorp zingle', intent: 'oos' },
    ];
    const sweep = await evaluateSplitAt(rows, test, { locale: 'en' }, [0, 0.6, 0.95]);
    for (const r of sweep) {
      const single = await evaluateSplit(rows, test, { locale: 'en', threshold: r.threshold });
      assert.deepEqual(single.matrix, r.matrix, `threshold ${r.threshold}`);
    }
    const recalls = sweep.map((r) => r.oosRecall ?? 0);
    assert.ok((recalls[0] as number) <= (recalls[1] as number) && (recalls[1] as number) <= (recalls[2] as number));
  });
});
