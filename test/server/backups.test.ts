/**
 * Daily backups (server/backups.ts): the real `kefu backup` in a child process writes each copy;
 * one a day whatever the number of instances, the newest BACKUP_KEEP kept, a failed copy tried
 * again at the next look; MongoDB and memory stores are not copied (and the log says why).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryData, KefuError, loadConfig, type Repositories, silentLogger } from '../../core';
import { copyName, startBackups, wireBackups } from '../../server/backups';
import { createSqliteData } from '../../stores/sqlite';
import type { BackupSummary } from '../../stores/sqlite/backup';
import { createKeywordClassifier } from '../support/keyword-classifier';
import { startApp } from '../support/server';

const DAY = 86_400_000;

describe('daily backups of the SQLite store', function () {
  this.timeout(60_000);
  let dir: string;
  let data: Repositories;
  let t: number;
  const now = () => t;
  const dbPath = () => join(dir, 'data', 'kefu.db');
  const copies = () => readdirSync(join(dir, 'backups')).sort();

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kefu-backups-'));
    data = createSqliteData({ path: dbPath() });
    t = Date.UTC(2026, 11, 8, 3, 10);
    await data.commit({ key: 'web:b1', ref: { channel: 'web', conversationId: 'b1', userId: 'b1' }, messages: [{ id: 'm1', from: 'customer', text: 'hello', at: t }] });
  });
  afterEach(async () => {
    await data.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('copies once a day through the real command, keeps the newest BACKUP_KEEP, and leaves other files alone', async () => {
    const backups = startBackups({ dbPath: dbPath(), dir: join(dir, 'backups'), keep: 2, data, log: silentLogger, now });
    try {
      assert.equal(await backups.lastAt(), null);
      const first = (await backups.backupIfDue()) as BackupSummary;
      assert.equal(await backups.lastAt(), t);
      assert.equal(first.path, join(dir, 'backups', copyName(t)));
      assert.equal(first.rows.kefu_messages, 1);
      const copy = createSqliteData({ path: first.path });
      assert.deepEqual(
        (await copy.messages.after('web:b1', 0, 10)).map((m) => m.text),
        ['hello'],
        'the copy opens as a store',
      );
      await copy.close();
      writeFileSync(join(dir, 'backups', 'notes.txt'), 'mine');
      t += DAY - 60_000;
      assert.equal(await backups.backupIfDue(), undefined, 'not yet a day since the last copy');
      t += 60_000;
      await backups.backupIfDue();
      t += DAY;
      await backups.backupIfDue();
      assert.deepEqual(copies(), [copyName(t - DAY), copyName(t), 'notes.txt'].sort());
    } finally {
      await backups.stop();
    }
  });

  it('takes the day’s copy once when two instances look together, and tries again after a failed copy', async () => {
    const written: string[] = [];
    let failNext = true;
    const copy = async (_db: string, file: string): Promise<BackupSummary> => {
      if (failNext) {
        failNext = false;
        throw new KefuError('KEFU_ERR_STORE_UNAVAILABLE', 'the disk is full');
      }
      mkdirSync(join(dir, 'backups'), { recursive: true });
      writeFileSync(file, 'copy');
      written.push(file);
      return { path: file, bytes: 4, ms: 1, rows: {} };
    };
    const two = [0, 1].map(() => startBackups({ dbPath: dbPath(), dir: join(dir, 'backups'), keep: 3, data, log: silentLogger, now, copy }));
    try {
      await assert.rejects(two[0]?.backupIfDue() as Promise<unknown>, /the disk is full/);
      const results = await Promise.all(two.map((b) => b.backupIfDue()));
      assert.equal(results.filter(Boolean).length, 1, 'one instance took it');
      assert.deepEqual(written, [join(dir, 'backups', copyName(t))], 'the failed copy was tried again at the next look');
    } finally {
      for (const b of two) await b.stop();
    }
  });

  it('shows the last copy’s time in /healthz (for monitoring), only with BACKUP_DIR', async () => {
    const on = await startApp({ BACKUP_DIR: join(dir, 'backups') }, { classifier: createKeywordClassifier() }, join(dir, 'app'));
    const off = await startApp({}, { classifier: createKeywordClassifier() }, join(dir, 'app-off'));
    try {
      assert.deepEqual(((await (await fetch(`${on.url}/healthz`)).json()) as { backup?: unknown }).backup, { lastAt: null });
      assert.equal(((await (await fetch(`${off.url}/healthz`)).json()) as { backup?: unknown }).backup, undefined);
    } finally {
      await on.stop();
      await off.stop();
    }
  });

  it('is off without BACKUP_DIR, and copies only the SQLite store', async () => {
    assert.equal(wireBackups(loadConfig({ DATA_DIR: join(dir, 'data') }), data, silentLogger), undefined);
    const warned: string[] = [];
    const log = { ...silentLogger, warn: (_o: unknown, msg?: string) => warned.push(String(msg)) } as typeof silentLogger;
    const memory = createMemoryData();
    assert.equal(wireBackups(loadConfig({ BACKUP_DIR: join(dir, 'backups') }), memory, log), undefined);
    assert.match(warned.join('\n'), /copies the SQLite store only/);
    const on = wireBackups(loadConfig({ DATA_DIR: join(dir, 'data'), BACKUP_DIR: join(dir, 'backups') }), data, silentLogger);
    assert.ok(on);
    await on.stop();
    assert.equal(existsSync(join(dir, 'backups')), false, 'nothing copied before the first look');
  });
});
