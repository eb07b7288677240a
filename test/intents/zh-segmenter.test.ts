/** The Chinese segmenter's word list: built from the dictionary once, then read from the cache folder. */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadZhSegmenter } from '../../intents/zh-segmenter';

const TEXT = '我想查询订单状态';

describe('zh segmenter word cache', function () {
  this.timeout(20_000);
  let dir: string;
  const cacheFile = () => {
    const [name] = readdirSync(dir).filter((f) => f.startsWith('zh-words-'));
    assert.ok(name, 'a word list is kept');
    return join(dir, name);
  };
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'kefu-zh-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('segments the same with and without the cache, and keeps the list as lines', () => {
    const plain = loadZhSegmenter().segment(TEXT);
    assert.deepEqual(loadZhSegmenter(dir).segment(TEXT), plain);
    assert.deepEqual(plain, ['我', '想', '查询', '订单', '状态']);
    const lines = readFileSync(cacheFile(), 'utf8').split('\n');
    assert.ok(lines.length > 100_000 && lines.includes('订单'));
  });

  it('reads the kept list on the next load (a word added there is used)', () => {
    const file = cacheFile();
    writeFileSync(file, `${readFileSync(file, 'utf8')}\n查询订单状态`);
    assert.deepEqual(loadZhSegmenter(dir).segment(TEXT), ['我', '想', '查询订单状态']);
  });

  it('a list cut short is not trusted: the dictionary is read again and the list rewritten', () => {
    writeFileSync(cacheFile(), '订单\n查询');
    assert.deepEqual(loadZhSegmenter(dir).segment(TEXT), ['我', '想', '查询', '订单', '状态']);
    assert.ok(readFileSync(cacheFile(), 'utf8').split('\n').length > 100_000);
  });
});
