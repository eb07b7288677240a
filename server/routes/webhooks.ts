/** Mounts each platform channel's webhook with the raw body (signatures are over raw bytes). */
import type { FastifyInstance } from 'fastify';
import type { WebhookChannel } from '../../core';

export async function webhookRoutes(app: FastifyInstance, opts: { channels: readonly WebhookChannel[] }): Promise<void> {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 2 * 1024 * 1024 }, (_req, body, done) => done(null, body));
  for (const channel of opts.channels) {
    app.route({
      method: ['GET', 'POST'],
      url: channel.webhookPath,
      handler: async (req, reply) => {
        const res = await channel.handleWebhook({
          method: req.method,
          headers: req.headers,
          query: req.query as Record<string, string | undefined>,
          rawBody: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
        });
        reply.code(res.status).headers(res.headers ?? {});
        return reply.send(res.body ?? '');
      },
    });
  }
}
