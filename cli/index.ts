/** `kefu <command>`: init, start, chat, train, eval, learn, audit, report, erase, keys, backup (and test). Each command lives in cli/commands/<name>.ts and holds no logic. */
type Command = { run(argv: string[]): Promise<number> };

// require() rather than import(): commands load lazily (chat pulls in the whole server) and tsx's
// CommonJS hook handles require but not dynamic ESM import of .ts files.
const COMMANDS: Record<string, { summary: string; load: () => Command }> = {
  init: { summary: 'create a bot project: kefu init <dir>', load: () => require('./commands/init') as Command },
  start: { summary: 'run a bot project (its bot.ts)', load: () => require('./commands/start') as Command },
  chat: { summary: 'talk to the demo bot (or --app <module>) in this terminal', load: () => require('./commands/chat') as Command },
  train: { summary: 'train the NLU models from locales/<lang>/corpus.json', load: () => require('./commands/train') as Command },
  eval: { summary: 'evaluate the classifier on a JSONL dataset or by cross-validation', load: () => require('./commands/eval') as Command },
  test: { summary: 'run the conversation stories in stories/ (or given files) against the bot', load: () => require('./commands/test') as Command },
  learn: { summary: 'show unrecognised messages; --export writes labelled ones into the corpora', load: () => require('./commands/learn') as Command },
  audit: { summary: 'verify the staff audit log (hash chain) or list its latest entries', load: () => require('./commands/audit') as Command },
  report: { summary: 'CSV of conversations, tickets or analytics for a date range', load: () => require('./commands/report') as Command },
  erase: { summary: 'erase one conversation on request (session, messages, handoffs, tickets, inbox)', load: () => require('./commands/erase') as Command },
  keys: { summary: 'show which keys seal the data at rest, or re-encrypt it all with the current key', load: () => require('./commands/keys') as Command },
  backup: { summary: 'copy the embedded SQLite store into a file, also while kefu runs', load: () => require('./commands/backup') as Command },
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(8)}${c.summary}`);
  return `usage: kefu <command> [options]\n\ncommands:\n${lines.join('\n')}\n\nRun kefu <command> --help for its options.\n`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`kefu: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  return command.load().run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const coded = err as { code?: string; message?: string };
    process.stderr.write(`kefu: ${coded.code ? `${coded.code}: ` : ''}${coded.message ?? String(err)}\n`);
    process.exitCode = 1;
  },
);
