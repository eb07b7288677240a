/**
 * One day's automatic audit: verify the whole chain, check that the heads earlier digests wrote down
 * are still in it (a log rewritten from entry 1 verifies on its own, but not against them), count
 * the day's entries by action, and sign the result chained to the previous digest.
 */
import type { AuditLog, AuditVerification } from '../../plugins/audit';
import { type DailyDigest, digestHash, signatureValid, signDigest } from './digest';

export interface VerifyDayInput {
  audit: AuditLog;
  /** The day verified, and its bounds (epoch ms, end exclusive). */
  date: string;
  from: number;
  to: number;
  /** The latest digest before `date`, if any. */
  previous?: DailyDigest;
  key: Buffer;
  now: number;
}

type Problem = NonNullable<DailyDigest['problem']>;

export async function verifyDay(input: VerifyDayInput): Promise<DailyDigest> {
  const chain = await input.audit.verify();
  const problem = brokenChain(chain) ?? previousDigestProblem(input) ?? (await rewrittenSince(input));
  return signDigest(
    {
      date: input.date,
      verifiedAt: input.now,
      ok: problem === undefined,
      entries: chain.entries,
      ...(chain.ok && chain.head ? { head: chain.head } : {}),
      actions: await actionsBetween(input.audit, input.from, input.to),
      ...(problem ? { problem } : {}),
      ...(input.previous ? { previous: digestHash(input.previous) } : {}),
    },
    input.key,
  );
}

function brokenChain(chain: AuditVerification): Problem | undefined {
  return chain.ok ? undefined : { seq: chain.seq, kind: chain.problem, message: chain.message };
}

function previousDigestProblem({ previous, key }: VerifyDayInput): Problem | undefined {
  if (!previous || signatureValid(previous, key)) return undefined;
  return { seq: previous.head?.seq ?? 0, kind: 'digest', message: `The digest of ${previous.date} does not match its signature: it was altered.` };
}

/** The head the previous digest wrote down must still be in the chain, with the same hash. */
async function rewrittenSince({ audit, previous }: VerifyDayInput): Promise<Problem | undefined> {
  const head = previous?.head;
  if (!head) return undefined;
  const [entry] = (await audit.page({ before: head.seq + 1, limit: 1 })).entries;
  if (entry?.seq === head.seq && entry.hash === head.hash) return undefined;
  return { seq: head.seq, kind: 'rewritten', message: `Entry ${head.seq} is not what the digest of ${previous?.date} recorded: the log was rewritten since.` };
}

/** Entries appended in [from, to), by action: pages back from the newest until one is older than `from`. */
async function actionsBetween(audit: AuditLog, from: number, to: number): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (let before: number | undefined; ; ) {
    const { entries } = await audit.page({ ...(before === undefined ? {} : { before }), limit: 500 });
    for (const e of entries) if (e.at >= from && e.at < to) counts[e.action] = (counts[e.action] ?? 0) + 1;
    const oldest = entries.at(-1);
    if (!oldest || oldest.at < from || oldest.seq <= 1) return counts;
    before = oldest.seq;
  }
}
