/** `kefu audit verify|list`: checks the staff audit log's hash chain, or prints its latest entries. */
import { parseArgs } from 'node:util';
import { type Config, isKefuError, loadConfig, type Repositories, silentLogger } from '../../core';
import { type AuditEntry, type AuditLog, createAuditLog } from '../../plugins/audit';
import { checkDigestsSince } from '../../server/audit-daily/check';
import { digestDir } from '../../server/audit-daily/files';
import { loadServerSecret } from '../../server/secret';
import { buildData } from '../../server/build-data';
import type { CommandIo } from './train';

const HELP = `usage: kefu audit verify [--expect SEQ:HASH] [--since YYYY-MM-DD] [--json]
       kefu audit list [--limit N] [--json]

verify  walks the audit log of staff actions (logins, claims, replies, notes, resolves, transfers,
        status changes, ticket updates, inbox labels) from entry 1 and checks every hash link.
        Prints "audit log OK" with the last entry's seq and hash, or names the first broken entry
        (edited, deleted, reordered or cut off) and exits with 1.
        --expect SEQ:HASH  also require entry SEQ to have HASH (a head you wrote down earlier,
                           so a log rewritten from the start is caught too)
        --since DATE       also check the daily digests (DATA_DIR/audit) from DATE on: each
                           signed with this server's key (KEFU_SECRET or DATA_DIR/secret), each
                           following the one before, each day's head still in the log
list    prints the latest entries, newest first (--limit, default 20).

Reads the store the server uses (DATA_DIR or MONGODB_URI, KEFU_ENCRYPTION_KEY).
  --json   machine-readable output
  --help   this text
`;

export interface AuditCommandDeps {
  env?: Record<string, string | undefined>;
  /** Use this data instead of the configured store (tests). */
  data?: Repositories;
}

export async function run(argv: string[], io: CommandIo = { stdout: process.stdout, stderr: process.stderr }, deps: AuditCommandDeps = {}): Promise<number> {
  let parsed: { values: { expect?: string; since?: string; limit?: string; json?: boolean; help?: boolean }; positionals: string[] };
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { expect: { type: 'string' }, since: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean' } },
    });
  } catch (err) {
    io.stderr.write(`kefu audit: ${err instanceof Error ? err.message : String(err)}\n\n${HELP}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const sub = positionals[0];
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  if (sub !== 'verify' && sub !== 'list') {
    io.stderr.write(`kefu audit: ${sub ? `unknown subcommand "${sub}"` : 'say verify or list'}\n\n${HELP}`);
    return 2;
  }
  const expect = values.expect ? /^(\d+):([0-9a-f]{64})$/.exec(values.expect) : undefined;
  if (values.expect && !expect) {
    io.stderr.write('kefu audit: --expect must look like 42:<64 hex characters> (a seq and its hash, as verify prints them)\n');
    return 2;
  }
  if (values.since !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(values.since)) {
    io.stderr.write(`kefu audit: --since must be a date like 2026-12-01 (got "${values.since}")\n`);
    return 2;
  }
  const limit = values.limit === undefined ? 20 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
    io.stderr.write(`kefu audit: --limit must be an integer 1..500 (got "${values.limit}")\n`);
    return 2;
  }
  const config = loadConfig(deps.env ?? process.env);
  const data = deps.data ?? (await buildData(config, silentLogger)).data;
  try {
    const audit = createAuditLog({ data });
    if (sub === 'list') return await list(audit, limit, values.json === true, io);
    const chain = await verify(audit, expect ? { seq: Number(expect[1]), hash: expect[2] as string } : undefined, values.json === true, io);
    if (values.since === undefined) return chain;
    return Math.max(chain, await verifyDigests(config, values.since, audit, values.json === true, io));
  } catch (err) {
    if (!isKefuError(err)) throw err;
    io.stderr.write(`kefu audit: ${err.code}: ${err.message}\n`);
    return 1;
  } finally {
    if (!deps.data) await data.close();
  }
}

async function verify(audit: ReturnType<typeof createAuditLog>, expect: { seq: number; hash: string } | undefined, json: boolean, io: CommandIo): Promise<number> {
  let result = await audit.verify();
  if (result.ok && expect) {
    const [entry] = (await audit.page({ before: expect.seq + 1, limit: 1 })).entries;
    if (entry?.seq !== expect.seq || entry.hash !== expect.hash) {
      const message =
        entry?.seq === expect.seq
          ? `Entry ${expect.seq} has hash ${entry.hash}, not the expected one: the log was rewritten up to there.`
          : `Entry ${expect.seq} does not exist: the log was rewritten or cut.`;
      result = { ok: false, entries: result.entries, seq: expect.seq, problem: 'link', message };
    }
  }
  if (json) io.stdout.write(`${JSON.stringify(result.ok ? result : { ...result, code: 'KEFU_ERR_AUDIT_CHAIN_BROKEN' })}\n`);
  else if (result.ok) io.stdout.write(result.head ? `audit log OK: ${result.entries} entries; last ${result.head.seq} ${result.head.hash}\n` : 'audit log OK: empty\n');
  else
    io.stdout.write(`audit log BROKEN at entry ${result.seq} (${result.problem}): ${result.message}\n  KEFU_ERR_AUDIT_CHAIN_BROKEN; ${result.entries} entries before it verify.\n`);
  return result.ok ? 0 : 1;
}

async function verifyDigests(config: Config, since: string, audit: AuditLog, json: boolean, io: CommandIo): Promise<number> {
  const key = (await loadServerSecret(config)).keyFor('audit-digest');
  const { checked, problems } = await checkDigestsSince(digestDir(config.DATA_DIR), since, key, audit);
  if (json) io.stdout.write(`${JSON.stringify({ digests: checked, ok: problems.length === 0, problems })}\n`);
  else if (!problems.length) io.stdout.write(`daily digests OK: ${checked} since ${since}\n`);
  else io.stdout.write(`daily digests: ${problems.length} problem(s) in ${checked} since ${since}:\n${problems.map((p) => `  ${p}`).join('\n')}\n`);
  return problems.length ? 1 : 0;
}

async function list(audit: ReturnType<typeof createAuditLog>, limit: number, json: boolean, io: CommandIo): Promise<number> {
  const { entries } = await audit.page({ limit });
  if (json) {
    for (const e of entries) io.stdout.write(`${JSON.stringify(e)}\n`);
    return 0;
  }
  if (!entries.length) io.stdout.write('audit log is empty\n');
  for (const e of entries) io.stdout.write(`${line(e)}\n`);
  return 0;
}

function line(e: AuditEntry): string {
  const detail = Object.entries(e.detail)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  return `${String(e.seq).padStart(6)}  ${new Date(e.at).toISOString()}  ${e.actor.padEnd(10)} ${e.action.padEnd(14)} ${e.target}${detail ? `  ${detail}` : ''}`;
}
