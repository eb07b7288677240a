/** `kefu chat`: a bot in the terminal (the demo, or `--app <module>`), through the same engine the server uses. */
import { createInterface } from 'node:readline';
import { type OutboundMessage, silentLogger } from '../../core';
import { createKefuApp } from '../../server/create-app';
import { appOptionsFrom } from '../app-module';

const HELP = `usage: kefu chat [--conversation ID] [--app MODULE]

Talk to the demo bot, or to the bot whose app options MODULE exports (default export or "app"). Type a number to press a button. Commands: /new (new conversation), /quit.
Uses DATA_DIR (default ./data) like the server, so conversations persist.
`;

export async function run(argv: string[]): Promise<number> {
  if (argv.includes('--help')) {
    process.stdout.write(HELP);
    return 0;
  }
  const idAt = argv.indexOf('--conversation');
  let conversationId = idAt >= 0 ? (argv[idAt + 1] ?? 'cli') : `cli-${Date.now().toString(36)}`;
  const app = await createKefuApp({ ...appOptionsFrom(argv), logger: silentLogger, channels: [] });
  const rl = createInterface({ input: process.stdin, terminal: false });
  let buttons: { label: string; payload: string }[] = [];
  const show = (replies: readonly OutboundMessage[]) => {
    for (const r of replies) {
      process.stdout.write(`bot> ${r.text}\n`);
      if (r.quickReplies?.length) buttons = r.quickReplies;
    }
    if (buttons.length) process.stdout.write(`     ${buttons.map((b, i) => `[${i + 1}] ${b.label}`).join('  ')}\n`);
  };
  process.stdout.write('kefu demo bot. Type a message (English or 中文); /quit to leave.\n');
  const prompt = () => process.stdout.write('you> ');
  prompt();
  try {
    // Async iteration buffers lines, so piped input (tests, scripts) is not lost between answers.
    for await (const raw of rl) {
      const line = raw.trim();
      if (line === '/quit' || line === '/exit') break;
      if (line === '/new') {
        conversationId = `cli-${Date.now().toString(36)}`;
        buttons = [];
      } else if (line) {
        const pressed = /^\d+$/.test(line) ? buttons[Number(line) - 1] : undefined;
        buttons = [];
        const result = await app.engine.handle({
          channel: 'cli',
          conversationId,
          userId: 'cli-user',
          text: pressed ? pressed.label : line,
          ...(pressed ? { payload: pressed.payload, kind: 'postback' as const } : {}),
        });
        show(result.replies);
      }
      prompt();
    }
  } finally {
    rl.close();
    await app.close();
  }
  return 0;
}
