/**
 * The floor (`--floor`): what every bot on this API pays before it does anything of its own. A bare
 * `node:http` server on the web chat's API that parses the request, classifies the text with kefu's
 * classifier (the demo's models: intents, entities, sentiment) and answers the intent. No session,
 * no dialog, no store, no analytics, no token: it bounds what kefu (or the botbuilder bot, whose
 * nlp.js costs more) could reach per core on this machine and mix.
 * Run by the bench as `node --require tsx/cjs bench/e2e/floor-server.ts --port N --models DIR`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createNluClassifier } from '../../intents';
import { KIT_LOCALES_DIR } from '../../kit/dialogs';

const CJK = /[\u3400-\u9fff]/;

function argOf(name: string): string {
  const i = process.argv.indexOf(name);
  const value = i >= 0 ? process.argv[i + 1] : undefined;
  if (!value) throw new Error(`floor-server: ${name} is required`);
  return value;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const s = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(s) });
  res.end(s);
}

async function main(): Promise<void> {
  const nlu = await createNluClassifier({ localesDir: process.env.LOCALES_DIR ?? './locales', baseLocalesDir: KIT_LOCALES_DIR, cacheDir: argOf('--models') });
  const answer = async (req: IncomingMessage, res: ServerResponse, raw: string) => {
    try {
      const body = JSON.parse(raw) as { conversationId?: unknown; text?: unknown };
      const text = typeof body.text === 'string' ? body.text : '';
      const locale = CJK.test(text) ? 'zh' : 'en';
      const c = await nlu.classify(text, locale);
      send(res, 200, { conversationId: body.conversationId, locale, replies: [{ text: c.intent }] });
    } catch (err) {
      send(res, 400, { error: { code: 'FLOOR_BAD_REQUEST', message: `${req.url}: ${err instanceof Error ? err.message : String(err)}` } });
    }
  };
  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/healthz') return send(res, 200, { ok: true });
    if (req.method !== 'POST' || req.url !== '/api/web/messages') return send(res, 404, { error: { code: 'FLOOR_NOT_FOUND' } });
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => void answer(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  server.listen(Number(argOf('--port')), '127.0.0.1');
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

main().catch((err: unknown) => {
  process.stderr.write(`floor-server: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
