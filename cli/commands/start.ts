/**
 * `kefu start [file]`: runs a bot project's entry (default bot.ts) with kefu's TypeScript loader, so
 * a project needs no build step and no tsx of its own.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { KefuError } from '../../core';

const HELP = `usage: kefu start [file]

Runs your bot's entry file (default: bot.ts), which calls runKefu() or createKefuApp().listen().
`;

export async function run(argv: string[]): Promise<number> {
  if (argv.includes('--help')) {
    process.stdout.write(HELP);
    return 0;
  }
  const file = resolve(argv.find((a) => !a.startsWith('-')) ?? 'bot.ts');
  if (!existsSync(file)) throw new KefuError('KEFU_ERR_CONFIG_INVALID', `${file} does not exist; run kefu start in your bot's folder, or name its entry file.`);
  require(file); // bin/kefu.js registered tsx: the file may be TypeScript
  return new Promise<number>(() => {}); // the bot runs until it is stopped (runKefu exits the process)
}
