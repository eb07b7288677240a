/**
 * `kefu chat`: a bot in the terminal (the demo, or `--app <module>`), through the same engine the
 * server uses. After "talk to a human", what agents write (in this process, or in a server sharing
 * DATA_DIR) is relayed: the chat polls the conversation's messages and prints agent and system ones.
 * It never prints console passwords (see docs/handoff.md).
 */
import { createInterface } from 'node:readline';
import { type Channel, type OutboundMessage, silentLogger, type StoredMessage } from '../../core';
import { createKefuApp } from '../../server/create-app';
import { appOptionsFrom } from '../app-module';

const HELP = `usage: kefu chat [--conversation ID] [--app MODULE]

Talk to the demo bot, or to the bot whose app options MODULE exports (default export or "app"). Type a number to press a button. Commands: /new (new conversation), /quit.
Uses DATA_DIR (default ./data) like the server, so conversations persist. Agents' answers (from the console
of a server on the same DATA_DIR) are printed as they arrive.
`;

/** How often the chat looks for agents' messages. */
export const RELAY_POLL_MS = 1000;

/** The terminal as a channel: pushes (agent replies, notices) are stored and printed by the relay. */
const terminalChannel: Channel = { name: 'cli', delivery: 'response', send: async () => ({ live: false }) };

/** Prints the conversation's new agent and system messages (what no turn of ours returned). */
function createRelay(read: (after: number) => Promise<StoredMessage[]>, print: (line: string) => void) {
  let seen = 0;
  let busy = false;
  return {
    /** Everything up to now was shown (by the turn that returned it). */
    async catchUp() {
      for (let page = await read(seen); page.length; page = await read(seen)) seen = page.at(-1)?.seq ?? seen;
    },
    async poll() {
      if (busy) return;
      busy = true;
      try {
        for (const m of await read(seen)) {
          seen = Math.max(seen, m.seq);
          if (m.from === 'agent' || m.from === 'system') print(`${m.from === 'agent' ? 'agent' : 'bot'}> ${m.text}`);
        }
      } finally {
        busy = false;
      }
    },
    reset: () => {
      seen = 0;
    },
    /** Runs a turn with the relay paused, then marks its answers shown. */
    async during<T>(turn: () => Promise<T>): Promise<T> {
      while (busy) await new Promise((r) => setTimeout(r, 10));
      busy = true;
      try {
        return await turn();
      } finally {
        busy = false;
        await this.catchUp();
      }
    },
  };
}

export async function run(argv: string[]): Promise<number> {
  if (argv.includes('--help')) {
    process.stdout.write(HELP);
    return 0;
  }
  const idAt = argv.indexOf('--conversation');
  let conversationId = idAt >= 0 ? (argv[idAt + 1] ?? 'cli') : `cli-${Date.now().toString(36)}`;
  const app = await createKefuApp({ ...appOptionsFrom(argv), logger: silentLogger, channels: [terminalChannel] });
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
  const relay = createRelay(
    (after) => app.engine.data.messages.after(`cli:${conversationId}`, after, 100, 'customer'),
    (line) => process.stdout.write(`\n${line}\nyou> `),
  );
  await relay.catchUp();
  const timer = setInterval(() => void relay.poll().catch(() => undefined), RELAY_POLL_MS);
  prompt();
  try {
    // Async iteration buffers lines, so piped input (tests, scripts) is not lost between answers.
    for await (const raw of rl) {
      const line = raw.trim();
      if (line === '/quit' || line === '/exit') break;
      if (line === '/new') {
        conversationId = `cli-${Date.now().toString(36)}`;
        buttons = [];
        relay.reset();
      } else if (line) {
        const pressed = /^\d+$/.test(line) ? buttons[Number(line) - 1] : undefined;
        buttons = [];
        const result = await relay.during(() =>
          app.engine.handle({
            channel: 'cli',
            conversationId,
            userId: 'cli-user',
            text: pressed ? pressed.label : line,
            ...(pressed ? { payload: pressed.payload, kind: 'postback' as const } : {}),
          }),
        );
        show(result.replies);
      }
      prompt();
    }
  } finally {
    clearInterval(timer);
    rl.close();
    await app.close();
  }
  return 0;
}
