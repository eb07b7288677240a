/**
 * The Telegram adapter under test, wired as in production: the real telegraf SDK against the local
 * Bot API server; in webhook mode the channel's handler sits behind a real HTTP server that the
 * local Telegram server POSTs updates to (after the channel registered it with setWebhook).
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTelegramChannel, type TelegramChannel, type TelegramChannelOptions } from '../../adapters/telegram';
import type { Channel, TurnHandler } from '../../core';
import { type AdapterHarness, eventually, type SentMessage } from '../adapters/conformance';
import { type Delivery, startTelegramServer, type TelegramServer } from './telegram-server';
import { createTelegramUser, type TelegramUser, type TelegramUserOptions } from './telegram-user';

export const WEBHOOK_SECRET = 'kefu-test_secret-0123456789';

export interface TelegramHarness extends AdapterHarness {
  server: TelegramServer;
  channel: TelegramChannel;
  user: TelegramUser;
  /** Another simulated user (other chat, or the same group). */
  newUser(opts: TelegramUserOptions): TelegramUser;
  /** Webhook mode: the URL Telegram posts to. */
  webhookUrl?: string;
  /** Awaits a delivery and throws unless the webhook answered 200 (polling deliveries pass). */
  checked(delivery: Promise<Delivery>): Promise<void>;
  /** Webhook mode: a raw POST to the webhook, as anyone on the internet could send. */
  post(body: string, headers?: Record<string, string>, method?: string): Promise<{ status: number; body: string }>;
  failSends(status: 429 | 500, times: number, retryAfterSeconds?: number): void;
  sendAttempts(): number;
}

export type HarnessOptions = Omit<Partial<TelegramChannelOptions>, 'token' | 'apiRoot'> & { mode: 'webhook' | 'polling'; userLanguage?: string };

export async function startTelegramHarness(engine: TurnHandler & { addChannel(channel: Channel): unknown }, opts: HarnessOptions): Promise<TelegramHarness> {
  const server = await startTelegramServer();
  let http: Server | undefined;
  let webhookUrl: string | undefined;
  let channel: TelegramChannel | undefined;
  if (opts.mode === 'webhook') {
    http = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (!channel?.handleWebhook || url.pathname !== channel.webhookPath) {
        res.writeHead(404).end();
        return;
      }
      const out = await channel.handleWebhook({ method: req.method ?? 'GET', headers: req.headers, query: Object.fromEntries(url.searchParams), rawBody: Buffer.concat(chunks) });
      const body = out.body === undefined ? '' : typeof out.body === 'string' || Buffer.isBuffer(out.body) ? out.body : JSON.stringify(out.body);
      res.writeHead(out.status, out.headers ?? {}).end(body);
    });
    http.listen(0, '127.0.0.1');
    await once(http, 'listening');
    webhookUrl = `http://127.0.0.1:${(http.address() as AddressInfo).port}${opts.webhookPath ?? '/webhooks/telegram'}`;
  }
  channel = createTelegramChannel({
    token: server.token,
    apiRoot: server.apiRoot,
    retry: { baseDelayMs: 20, ...opts.retry },
    ...opts,
    ...(opts.mode === 'webhook' ? { secretToken: opts.secretToken ?? WEBHOOK_SECRET, webhookUrl } : {}),
  });
  engine.addChannel(channel);
  await channel.start?.(engine);
  const ch = channel;
  let closing: Promise<void> | undefined;
  const user = createTelegramUser(server, { languageCode: opts.userLanguage ?? 'en' });

  const checked = async (d: Promise<Delivery>) => {
    const delivery = await d;
    if (delivery.status !== undefined && delivery.status !== 200) throw new Error(`webhook answered ${delivery.status}: ${delivery.body}`);
  };
  const sent = (): SentMessage[] =>
    server.botMessages().map((m) => ({
      text: m.text ?? m.caption ?? '',
      buttons: m.reply_markup?.inline_keyboard.flat().map((b) => b.text) ?? [],
      ...(m.photo ? { image: true } : {}),
    }));
  const post = async (body: string, headers: Record<string, string> = {}, method = 'POST') => {
    if (!webhookUrl) throw new Error('post() needs webhook mode');
    const res = await fetch(webhookUrl, { method, headers: { 'content-type': 'application/json', connection: 'close', ...headers }, ...(method === 'GET' ? {} : { body }) });
    return { status: res.status, body: await res.text() };
  };

  return {
    server,
    channel: ch,
    user,
    newUser: (o) => createTelegramUser(server, o),
    ...(webhookUrl ? { webhookUrl } : {}),
    post,
    checked,
    sendText: (text) => checked(user.say(text)),
    sendImage: () => checked(user.sendPhoto()),
    sendUnknown: () => checked(user.sendSticker()),
    async pressQuickReply(payload) {
      const message = [...server.botMessages(user.chat.id)].reverse().find((m) => m.reply_markup?.inline_keyboard.flat().some((b) => b.callback_data === payload));
      if (!message) throw new Error(`no bot message carries a button with callback_data ${JSON.stringify(payload)}`);
      await checked(user.pressData(payload, message));
    },
    ...(webhookUrl
      ? {
          async sendWithBadSignature(text: string) {
            const forged = { update_id: 1, message: { message_id: 1, date: 1, chat: user.chat, from: user.user, text } };
            return (await post(JSON.stringify(forged), { 'x-telegram-bot-api-secret-token': 'not-the-secret' })).status;
          },
        }
      : {}),
    redeliverLast: () => checked(server.redeliver(user.lastUpdateId)),
    sent,
    waitForSent: (count) => eventually(() => (sent().length >= count ? sent() : undefined), 10_000, `${count} sent message(s)`),
    failSends: (status, times, retryAfterSeconds) => server.failNext({ status, times, ...(retryAfterSeconds ? { retryAfter: retryAfterSeconds } : {}) }),
    sendAttempts: () => server.sendAttempts(),
    close() {
      closing ??= shutdown();
      return closing;
    },
  };

  async function shutdown(): Promise<void> {
    await ch.stop?.();
    if (http) {
      http.closeAllConnections();
      await new Promise<void>((resolve) => http?.close(() => resolve()));
    }
    await server.close();
  }
}
