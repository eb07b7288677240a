/**
 * What a forger with write access to the database does to the audit chain, on whichever backend
 * the test uses: edit a stored entry in place (the chain must name it).
 */
import type { AuditEntry } from '../../plugins/audit';
import type { MemoryData, Repositories } from '../../core/data';
import type { SqliteData } from '../../stores/sqlite';

export async function tamperAuditEntry(data: Repositories, seq: number, change: (e: AuditEntry) => AuditEntry): Promise<void> {
  if (data.kind === 'memory') {
    const rows = (data as MemoryData).auditRows;
    const text = rows.get(seq);
    if (!text) throw new Error(`no audit entry ${seq}`);
    rows.set(seq, JSON.stringify(change(JSON.parse(text) as AuditEntry)));
    return;
  }
  if (data.kind === 'sqlite') {
    const { db } = data as SqliteData;
    const row = db.prepare<[number], { body: string }>('SELECT body FROM kefu_audit WHERE seq = ?').get(seq);
    if (!row) throw new Error(`no audit entry ${seq}`);
    db.prepare('UPDATE kefu_audit SET body = ? WHERE seq = ?').run(JSON.stringify(change(JSON.parse(row.body) as AuditEntry)), seq);
    return;
  }
  throw new Error(`tamperAuditEntry does not know the ${data.kind} backend`);
}
