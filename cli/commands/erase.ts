/** `kefu erase --conversation <key> --by <who>`: erasure on request, from the command line (docs/privacy.md). */
import { parseArgs } from 'node:util';
import { isKefuError, loadConfig, silentLogger } from '../../core';
import { buildData } from '../../server/build-data';
import { eraseConversation } from '../../server/erasure';
import type { CommandIo } from './train';

const HELP = `usage: kefu erase --conversation <key> --by <who>

Deletes everything kefu keeps about one conversation (e.g. web:3f2a…, telegram:12345): its session,
messages, handoffs, tickets, and the inbox entries of its customer's texts. The audit log records who
erased it (--by) and the counts. A conversation with a person on it is refused until its handoff ends.
Reads the store the server uses (DATA_DIR or MONGODB_URI, KEFU_ENCRYPTION_KEY).
`;

export async function run(
  argv: string[],
  io: CommandIo = { stdout: process.stdout, stderr: process.stderr },
  deps: { env?: Record<string, string | undefined> } = {},
): Promise<number> {
  let values: { conversation?: string; by?: string; help?: boolean };
  try {
    values = parseArgs({ args: argv, options: { conversation: { type: 'string' }, by: { type: 'string' }, help: { type: 'boolean' } } }).values;
  } catch (err) {
    io.stderr.write(`kefu erase: ${(err as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  if (!values.conversation || !values.by) {
    io.stderr.write(`kefu erase: --conversation and --by are required\n\n${HELP}`);
    return 2;
  }
  const { data } = await buildData(loadConfig(deps.env ?? process.env), silentLogger);
  try {
    const e = await eraseConversation(data, values.conversation, `cli:${values.by}`);
    io.stdout.write(`erased ${e.key}: ${e.messages} messages, ${e.handoffs} handoffs, ${e.tickets} tickets, ${e.inboxEntries} inbox entries\n`);
    return 0;
  } catch (err) {
    if (!isKefuError(err)) throw err;
    io.stderr.write(`kefu erase: ${err.code}: ${err.message}\n`);
    return 1;
  } finally {
    await data.close();
  }
}
