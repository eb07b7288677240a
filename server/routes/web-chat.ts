/** The web chat: the page, `POST /api/web/messages`, and server-sent events for pushed messages. */
import type { FastifyInstance } from 'fastify';
import type { Engine } from '../../core';
import type { WebChannel } from '../../adapters/web';
import { buildWebApp } from '../web-assets';

export async function webChatRoutes(app: FastifyInstance, opts: { engine: Engine; web: WebChannel; serveUi: boolean }): Promise<void> {
  const { engine, web } = opts;

  app.post('/api/web/messages', async (req, reply) => {
    const res = await web.handleMessage(req.body, engine);
    return reply
      .code(res.status)
      .headers(res.headers ?? {})
      .send(res.body);
  });

  app.get<{ Querystring: { conversationId?: string } }>('/api/web/events', (req, reply) => {
    const id = req.query.conversationId ?? '';
    if (!/^[A-Za-z0-9_-]{1,128}$/.test(id)) {
      return reply.code(400).send({ error: { code: 'KEFU_ERR_HTTP_BODY_INVALID', message: 'conversationId query parameter is required (1-128 of A-Z a-z 0-9 _ -).' } });
    }
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.write(': connected\n\n');
    const unsubscribe = web.subscribe(id, (m) => res.write(`data: ${JSON.stringify(m)}\n\n`));
    const ping = setInterval(() => res.write(': ping\n\n'), 25_000);
    req.raw.on('close', () => {
      clearInterval(ping);
      unsubscribe();
    });
    return reply;
  });

  if (!opts.serveUi) return;
  const assets = await buildWebApp('chat');
  const serve = (name: string) => async (_req: unknown, reply: import('fastify').FastifyReply) => {
    const a = assets.get(name);
    return a ? reply.type(a.type).send(a.body) : reply.code(404).send();
  };
  app.get('/', serve('index.html'));
  app.get('/chat/main.js', serve('main.js'));
  app.get('/chat/style.css', serve('style.css'));
}
