import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSplits } from '../../bench/nlu-datasets';

const ROOT = join(__dirname, '..', '..');
const FIXTURES = join(__dirname, 'fixtures', 'locales');

function bench(env: Record<string, string>, ...args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'index.ts'), 'nlu', ...args], { encoding: 'utf8', cwd: ROOT, env: { ...process.env, ...env } });
}

describe('intents: npm run bench:nlu', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'kefu-bench-'));
    const corpus = JSON.parse(readFileSync(join(FIXTURES, 'en', 'corpus.json'), 'utf8')) as { data: Array<{ intent: string; utterances: string[] }> };
    const rows = corpus.data.flatMap((d) => d.utterances.map((text) => JSON.stringify({ text, intent: d.intent })));
    // A stand-in "banking77" without a valid split, so the bench carves one out of train.
    mkdirSync(join(dir, 'banking77'));
    writeFileSync(join(dir, 'banking77', 'train.jsonl'), rows.join('\n'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('says so and exits 0 when the datasets are absent', () => {
    const r = bench({ NLU_BENCH_DIR: join(dir, 'nothing-here') });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /no datasets found in .*nothing-here/);
  });

  it('holds out a stratified, deterministic tenth when a dataset has no valid split', () => {
    const a = loadSplits(dir, 'banking77');
    const b = loadSplits(dir, 'banking77');
    assert.deepEqual(a, b);
    assert.equal(a.train.length + a.valid.length, 64);
    assert.ok(a.valid.length >= 6 && a.valid.length <= 8, `valid ${a.valid.length}`);
    assert.ok(new Set(a.valid.map((r) => r.intent)).size >= 6);
    const trainTexts = new Set(a.train.map((r) => r.text));
    assert.ok(a.valid.every((r) => !trainTexts.has(r.text)));
  });

  it('trains and scores each present dataset in a child process and prints the figures', () => {
    const r = bench({ NLU_BENCH_DIR: dir }, '--json');
    assert.equal(r.status, 0, r.stderr);
    const rows = JSON.parse(r.stdout) as Array<Record<string, number | string>>;
    assert.equal(rows.length, 1);
    const row = rows[0] as Record<string, number | string>;
    assert.equal(row.dataset, 'banking77');
    for (const key of ['accuracy', 'macroF1', 'trainSeconds', 'trainCpuSeconds', 'utterancesPerSecond', 'peakRssMB']) assert.equal(typeof row[key], 'number', key);
    assert.match(String(row.note), /held out/);
  });
});
