/** `kefu <command>`: train, eval, chat. Each command lives in cli/commands/<name>.ts and holds no logic. */
const COMMANDS: Record<string, { summary: string; load: () => Promise<{ run(argv: string[]): Promise<number> }> }> = {
  chat: { summary: 'talk to the demo bot in this terminal', load: () => import('./commands/chat') },
  train: { summary: 'train the NLU models from locales/<lang>/corpus.json', load: () => import('./commands/train') },
  eval: { summary: 'evaluate the classifier on a JSONL dataset or by cross-validation', load: () => import('./commands/eval') },
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
  return (await command.load()).run(rest);
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
