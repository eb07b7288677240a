/**
 * The audit hash chain: appends from concurrent writers (in one process and from two processes on
 * one SQLite file) take every seq exactly once; verify passes; editing, re-hashing, deleting,
 * reordering, cutting off or corrupting one stored entry is named by its seq.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryData, type MemoryData, type Repositories } from '../../core';
import { AUDIT_HEAD_META, type AuditEntry, type AuditHead, createAuditLog, GENESIS_HASH, hashEntry, verifyAuditLog } from '../../plugins/audit';
import { createAesCodec } from '../../stores/encrypted/codec';
import { createSqliteData } from '../../stores/sqlite';

async function fill(data: Repositories, n: number): Promise<AuditEntry[]> {
  const audit = createAuditLog({ data, now: () => 1_700_000_000_000 });
  const out: AuditEntry[] = [];
  for (let i = 1; i <= n; i++) out.push(await audit.append({ actor: 'anna', action: 'reply', target: `web:c${i}`, detail: { delivery: 'sent', attachments: 0 } }));
  return out;
}

/** What a forger with write access to the database does: edit a stored entry in place. */
function rewrite(data: MemoryData, seq: number, change: (e: AuditEntry) => void): void {
  const text = data.auditRows.get(seq);
  assert.ok(text, `entry ${seq} exists`);
  const e = JSON.parse(text) as AuditEntry;
  change(e);
  data.auditRows.set(seq, JSON.stringify(e));
}

describe('audit log', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'kefu-audit-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('chains entries: seq 1.., prevHash = previous hash, hash = SHA-256 of the canonical entry; verify OK', async () => {
    const data = createMemoryData();
    const entries = await fill(data, 5);
    assert.deepEqual(
      entries.map((e) => e.seq),
      [1, 2, 3, 4, 5],
    );
    assert.equal(entries[0]?.prevHash, GENESIS_HASH);
    for (let i = 1; i < entries.length; i++) assert.equal(entries[i]?.prevHash, entries[i - 1]?.hash);
    for (const e of entries) assert.equal(e.hash, hashEntry(e));
    assert.deepEqual(await verifyAuditLog(data), { ok: true, entries: 5, head: { seq: 5, hash: entries[4]?.hash } });
    assert.deepEqual(await verifyAuditLog(createMemoryData()), { ok: true, entries: 0 });
  });

  it('two writers appending at once on one store never take the same seq, and the chain verifies', async () => {
    const data = createMemoryData();
    const a = createAuditLog({ data });
    const b = createAuditLog({ data });
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => (i % 2 ? a : b).append({ actor: i % 2 ? 'anna' : 'wang', action: 'note', target: `web:${i}` })));
    assert.deepEqual(
      results.map((e) => e.seq).sort((x, y) => x - y),
      Array.from({ length: 60 }, (_, i) => i + 1),
    );
    assert.deepEqual(results.map((e) => e.target).sort(), Array.from({ length: 60 }, (_, i) => `web:${i}`).sort(), 'every action is logged once');
    const v = await verifyAuditLog(data);
    assert.equal(v.ok, true, JSON.stringify(v));
    assert.equal(v.entries, 60);
  });

  it('two processes appending to one SQLite file at once: every entry kept once, chain intact', async function () {
    this.timeout(60_000);
    const path = join(dir, 'two-processes.db');
    await createSqliteData({ path }).close(); // create the schema before both start
    const worker = join(__dirname, 'append-worker.ts');
    const children = ['anna', 'wang'].map((actor) => spawn(process.execPath, ['--require', 'tsx/cjs', worker, path, '150', actor], { stdio: ['pipe', 'pipe', 'pipe'] }));
    const errors: string[] = [];
    await Promise.all(children.map((c) => new Promise<void>((resolve) => c.stdout.once('data', () => resolve()))));
    for (const c of children) {
      c.stderr.on('data', (d: Buffer) => errors.push(String(d)));
      c.stdin.write('go\n');
    }
    const codes = await Promise.all(children.map((c) => new Promise<number | null>((resolve) => c.on('exit', resolve))));
    assert.deepEqual(codes, [0, 0], errors.join(''));
    const data = createSqliteData({ path });
    try {
      const v = await verifyAuditLog(data);
      assert.deepEqual({ ok: v.ok, entries: v.entries }, { ok: true, entries: 300 }, JSON.stringify(v));
      const targets = (await data.audit.scan(0, 500)).map((r) => ('value' in r ? (r.value as AuditEntry).target : ''));
      assert.equal(new Set(targets).size, 300);
    } finally {
      await data.close();
    }
  });

  it('an entry edited in the store is named by its seq (hash no longer matches)', async () => {
    const data = createMemoryData();
    await fill(data, 6);
    rewrite(data, 3, (e) => {
      e.actor = 'mallory';
    });
    const v = await verifyAuditLog(data);
    assert.deepEqual({ ok: v.ok, seq: !v.ok && v.seq, problem: !v.ok && v.problem, entries: v.entries }, { ok: false, seq: 3, problem: 'edited', entries: 2 });
  });

  it('an edited entry whose hash was recomputed breaks the next link', async () => {
    const data = createMemoryData();
    await fill(data, 6);
    rewrite(data, 3, (e) => {
      e.detail = { delivery: 'queued', attachments: 0 };
      e.hash = hashEntry(e);
    });
    const v = await verifyAuditLog(data);
    assert.ok(!v.ok);
    assert.equal(v.seq, 4);
    assert.equal(v.problem, 'link');
  });

  it('a deleted entry is named as the gap; a deleted tail is caught by the head record', async () => {
    const data = createMemoryData();
    await fill(data, 6);
    data.auditRows.delete(4);
    const gap = await verifyAuditLog(data);
    assert.ok(!gap.ok);
    assert.deepEqual([gap.seq, gap.problem], [4, 'missing']);
    assert.match(gap.message, /Entry 4 is missing/);

    const cut = createMemoryData();
    await fill(cut, 6);
    cut.auditRows.delete(6);
    cut.auditRows.delete(5);
    const tail = await verifyAuditLog(cut);
    assert.ok(!tail.ok);
    assert.deepEqual([tail.seq, tail.problem], [5, 'truncated']);
  });

  it('two entries swapped are caught (moved), and so is a rewritten history the head record does not know', async () => {
    const data = createMemoryData();
    await fill(data, 4);
    const two = data.auditRows.get(2) as string;
    data.auditRows.set(2, data.auditRows.get(3) as string);
    data.auditRows.set(3, two);
    const v = await verifyAuditLog(data);
    assert.ok(!v.ok);
    assert.deepEqual([v.seq, v.problem], [2, 'moved']);

    const forged = createMemoryData();
    await fill(forged, 3);
    const head = (await forged.meta.get<AuditHead>(AUDIT_HEAD_META))!;
    // A forger rewrites entry 3 consistently (new content, new hash) but leaves the head record.
    rewrite(forged, 3, (e) => {
      e.target = 'web:elsewhere';
      e.hash = hashEntry(e);
    });
    assert.equal(head.version > 0, true);
    const f = await verifyAuditLog(forged);
    assert.ok(!f.ok);
    assert.deepEqual([f.seq, f.problem], [3, 'link']);
  });

  it('an encrypted entry whose stored bytes were altered is named as unreadable; appends follow a lagging head', async () => {
    const sealed = createMemoryData({ codec: createAesCodec(randomBytes(32)) });
    await fill(sealed, 3);
    const raw = sealed.auditRows.get(2) as string;
    sealed.auditRows.set(2, `${raw.slice(0, -4)}AAAA`);
    const v = await verifyAuditLog(sealed);
    assert.ok(!v.ok);
    assert.deepEqual([v.seq, v.problem], [2, 'unreadable']);

    const lag = createMemoryData();
    const first = await fill(lag, 5);
    const head = (await lag.meta.get<AuditHead>(AUDIT_HEAD_META))!;
    await lag.meta.put(AUDIT_HEAD_META, { seq: 2, hash: first[1]?.hash }, head.version); // a writer died before moving the head
    const next = await createAuditLog({ data: lag }).append({ actor: 'anna', action: 'resolve', target: 'web:c9' });
    assert.equal(next.seq, 6);
    assert.equal(next.prevHash, first[4]?.hash);
    assert.equal((await verifyAuditLog(lag)).ok, true);
  });

  it('pages newest first and keeps detail to ids and states (no free text fields)', async () => {
    const data = createMemoryData();
    await fill(data, 7);
    const audit = createAuditLog({ data });
    const first = await audit.page({ limit: 3 });
    assert.deepEqual(
      first.entries.map((e) => e.seq),
      [7, 6, 5],
    );
    const second = await audit.page({ before: 5, limit: 10 });
    assert.deepEqual(
      second.entries.map((e) => e.seq),
      [4, 3, 2, 1],
    );
    const odd = await audit.append({ actor: 'anna', action: 'status', target: 'anna', detail: { n: Number.NaN, long: 'x'.repeat(1000) } });
    assert.equal(odd.detail.n, 'NaN');
    assert.equal(String(odd.detail.long).length, 256);
    assert.equal((await audit.verify()).ok, true);
  });
});
