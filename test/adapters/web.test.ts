/**
 * The web chat adapter through the shared conformance suite: real HTTP POSTs (JSON, as the chat
 * page sends them) into `handleMessage`, mounted on Fastify as server/routes/web-chat.ts does,
 * replies read back from the responses ('response' delivery: there is no platform API to fail, so
 * the 429/500 cases do not apply; the page sends text and quick-reply payloads only). The
 * "signature" is the shop's signed customer identity (WEB_IDENTITY_SECRET).
 */
import Fastify from 'fastify';
import { createSignedIdentity, createWebChannel } from '../../adapters/web';
import type { Engine } from '../../core';
import { type AdapterHarness, runAdapterConformance, type SentMessage } from './conformance';

const SECRET = 'web-identity-secret-for-tests-0123456789';

interface Reply {
  text: string;
  quickReplies?: { label: string; payload: string }[];
}

async function startHarness(engine: Engine): Promise<AdapterHarness> {
  let web = createWebChannel({ identitySecret: SECRET });
  engine.addChannel(web);
  const app = Fastify({ logger: false });
  app.post('/api/web/messages', async (req, reply) => {
    const res = await web.handleMessage(req.body, engine);
    return reply.code(res.status).send(res.body);
  });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  const sent: SentMessage[] = [];
  let n = 0;
  let last: Record<string, unknown> | undefined;
  const post = async (body: Record<string, unknown>): Promise<number> => {
    const res = await fetch(`${base}/api/web/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const json = (await res.json()) as { replies?: Reply[]; duplicate?: boolean };
    if (res.status === 200 && !json.duplicate) for (const r of json.replies ?? []) sent.push({ text: r.text, buttons: (r.quickReplies ?? []).map((q) => q.label) });
    return res.status;
  };
  const send = async (fields: Record<string, unknown>) => {
    last = { conversationId: 'conformance-web', messageId: `m${++n}`, ...fields };
    const status = await post(last);
    if (status !== 200) throw new Error(`web chat answered ${status}`);
  };
  return {
    sendText: (text) => send({ text }),
    async pressQuickReply(payload) {
      const label = sent.flatMap((s) => s.buttons).at(-1) ?? payload;
      await send({ text: label, payload });
    },
    async sendWithBadSignature(text) {
      const { identity } = createSignedIdentity({ userId: 'u-forged', exp: Date.now() + 60_000 }, 'not-the-secret');
      return post({ conversationId: 'conformance-web', messageId: `m${++n}`, text, identity, identitySignature: 'ab'.repeat(32) });
    },
    async redeliverLast() {
      if (!last) throw new Error('nothing sent yet');
      await post(last); // the page retries a POST whose response it lost: same messageId
    },
    sent: () => [...sent],
    async waitForSent(count) {
      if (sent.length < count) throw new Error(`expected ${count} replies, got ${sent.length}`);
      return [...sent];
    },
    async restart() {
      web = createWebChannel({ identitySecret: SECRET }); // the route now hands messages to a fresh channel
      engine.addChannel(web);
    },
    close: () => app.close(),
  };
}

runAdapterConformance('web chat', startHarness);
