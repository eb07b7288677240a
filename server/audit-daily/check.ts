/**
 * Checks the daily digests kept since a date against each other and against the log: each is
 * signed with this server's key, each names its predecessor's hash, and each head it wrote down is
 * still in the chain with the same hash. `kefu audit verify --since <date>` runs it.
 */
import type { AuditLog } from '../../plugins/audit';
import { type DailyDigest, digestHash, signatureValid } from './digest';
import { digestDates, readDigest } from './files';

export interface DigestCheck {
  checked: number;
  problems: string[];
}

export async function checkDigestsSince(dir: string, since: string, key: Buffer, audit: AuditLog): Promise<DigestCheck> {
  const dates = await digestDates(dir);
  const problems: string[] = [];
  let previous: DailyDigest | undefined;
  let checked = 0;
  for (const date of dates) {
    const digest = await readDigest(dir, date);
    if (!digest) problems.push(`${date}: the digest cannot be read`);
    else if (date >= since) {
      checked += 1;
      problems.push(...(await problemsOf(digest, previous, key, audit)));
    }
    previous = digest;
  }
  if (!checked) problems.push(`no daily digest since ${since} in ${dir}`);
  return { checked, problems };
}

async function problemsOf(digest: DailyDigest, previous: DailyDigest | undefined, key: Buffer, audit: AuditLog): Promise<string[]> {
  const out: string[] = [];
  if (!signatureValid(digest, key)) out.push(`${digest.date}: the digest does not match its signature (altered, or signed with another KEFU_SECRET)`);
  if (previous && digest.previous !== digestHash(previous)) out.push(`${digest.date}: it does not follow the digest of ${previous.date} (one of them was replaced)`);
  if (!digest.ok) out.push(`${digest.date}: that day's verification failed: ${digest.problem?.message ?? 'broken chain'}`);
  const head = digest.head;
  if (head) {
    const [entry] = (await audit.page({ before: head.seq + 1, limit: 1 })).entries;
    if (entry?.seq !== head.seq || entry.hash !== head.hash)
      out.push(`${digest.date}: entry ${head.seq} is no longer what that day's digest recorded (the log was rewritten since)`);
  }
  return out;
}
