/** `kefu erase --conversation <key> | --customer <id> --by <who>`: erasure on request, from the command line (docs/privacy.md). */
import { parseArgs } from 'node:util';
import { isKefuError, loadConfig, type Repositories, silentLogger } from '../../core';
import { buildData } from '../../server/build-data';
import { eraseConversation, eraseCustomer } from '../../server/erasure';
import type { CommandIo } from './train';

const HELP = `usage: kefu erase --conversation <key> --by <who>
       kefu erase --customer <channel>:<user id> --by <who>

Deletes everything kefu keeps about one conversation (e.g. web:3f2a…, telegram:12345): its session,
messages, handoffs, tickets, and the inbox entries of its customer's texts. With --customer, does it
for every conversation of that customer (web:<verified user id>, telegram:<user id>, wechat:<openid>,
slack:<user id>), or for none of them if one has a person on it. The audit log records who erased
it (--by) and the counts; a customer is recorded as a keyed hash of the id, printed here.
A conversation with a person on it is refused until its handoff ends.
Reads the store the server uses (DATA_DIR or MONGODB_URI, KEFU_ENCRYPTION_KEY).
`;

interface EraseArgs {
  conversation?: string;
  customer?: string;
  by?: string;
  help?: boolean;
}

function parse(argv: string[]): EraseArgs {
  const options = { conversation: { type: 'string' }, customer: { type: 'string' }, by: { type: 'string' }, help: { type: 'boolean' } } as const;
  return parseArgs({ args: argv, options }).values;
}

/** What the arguments ask for, or why they do not say. */
function problemWith(v: EraseArgs): string | undefined {
  if (!v.conversation === !v.customer) return 'give one of --conversation and --customer';
  if (!v.by) return '--by is required';
  return undefined;
}

async function eraseAndReport(data: Repositories, v: EraseArgs, io: CommandIo): Promise<void> {
  const by = `cli:${v.by}`;
  if (v.customer) {
    const e = await eraseCustomer(data, v.customer, by);
    io.stdout.write(
      `erased ${e.conversations} conversations of the customer (${e.target} in the audit log): ${e.messages} messages, ${e.handoffs} handoffs, ${e.tickets} tickets, ${e.inboxEntries} inbox entries\n`,
    );
    return;
  }
  const e = await eraseConversation(data, v.conversation ?? '', by);
  io.stdout.write(`erased ${e.key}: ${e.messages} messages, ${e.handoffs} handoffs, ${e.tickets} tickets, ${e.inboxEntries} inbox entries\n`);
}

export async function run(
  argv: string[],
  io: CommandIo = { stdout: process.stdout, stderr: process.stderr },
  deps: { env?: Record<string, string | undefined> } = {},
): Promise<number> {
  let values: EraseArgs;
  try {
    values = parse(argv);
  } catch (err) {
    io.stderr.write(`kefu erase: ${(err as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  const problem = problemWith(values);
  if (problem) {
    io.stderr.write(`kefu erase: ${problem}\n\n${HELP}`);
    return 2;
  }
  const { data } = await buildData(loadConfig(deps.env ?? process.env), silentLogger);
  try {
    await eraseAndReport(data, values, io);
    return 0;
  } catch (err) {
    if (!isKefuError(err)) throw err;
    io.stderr.write(`kefu erase: ${err.code}: ${err.message}\n`);
    return 1;
  } finally {
    await data.close();
  }
}
