/**
 * Conversation tokens for the web chat: the conversation id names a conversation, the token proves
 * the right to it. A token is an HMAC of the conversation id under a key kept in the store (made on
 * first use, in the meta repository as `web-token-key`, sealed with the rest when encryption is on),
 * so nothing is stored per conversation: a new conversation's first turn is its only write, every
 * instance on the store checks a token without reading, and a backup restored elsewhere keeps its
 * customers' tokens. The first message of a conversation gets the token; every later message, the
 * history and the event stream need it. EventSource cannot send headers, so the stream takes a
 * short-lived ticket, asked for with the token.
 * Conversations begun before tokens were derived keep their random token, stored as a SHA-256 in
 * the meta repository (`web-token:<id>`): it is still accepted.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { KefuError, type Repositories } from '../core';

export const TICKET_TTL_MS = 5 * 60_000;

export interface ConversationTokens {
  /**
   * May this POST go ahead? With the conversation's token: yes. Without one, for a conversation that
   * never had a message (or for the retry of its first message, whose answer with the token was
   * lost): yes, and here is its token.
   */
  admit(conversationId: string, presented: string | undefined, messageId?: string): Promise<{ ok: true; issued?: string } | { ok: false }>;
  /** Is `presented` the conversation's token? */
  check(conversationId: string, presented: string | undefined): Promise<boolean>;
  /** A signed ticket to open the event stream, valid for TICKET_TTL_MS. */
  ticket(conversationId: string): string;
  verifyTicket(conversationId: string, ticket: string | undefined): boolean;
}

export interface ConversationTokenOptions {
  now?: () => number;
  /** Signs event-stream tickets (the same on every instance); default: random per process. */
  secret?: Buffer;
  /** Derives conversation tokens; default: the store's (`web-token-key`, made on first use). */
  tokenKey?: Buffer;
}

const legacyName = (conversationId: string) => `web-token:${conversationId}`;
const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');
const KEY_NAME = 'web-token-key';

/** The store's token key, made on first use (two instances making it at once both end up with the stored one). */
async function storedTokenKey(data: Repositories): Promise<Buffer> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const found = await data.meta.get<{ key?: unknown }>(KEY_NAME);
    if (typeof found?.value.key === 'string') return Buffer.from(found.value.key, 'base64');
    await data.meta.put(KEY_NAME, { key: randomBytes(32).toString('base64') }, found?.version ?? 0); // a lost race: the next read has the winner's
  }
  throw new KefuError(
    'KEFU_ERR_STORE_VALUE_INVALID',
    `The web chat's token key ("${KEY_NAME}" in the meta repository) can neither be read nor made; restore it from a backup, or delete that row to make a new one (open web chats then start new conversations).`,
  );
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function createConversationTokens(data: Repositories, opts: ConversationTokenOptions = {}): ConversationTokens {
  const now = opts.now ?? Date.now;
  const secret = opts.secret ?? randomBytes(32);
  let tokenKey: Promise<Buffer> | undefined = opts.tokenKey ? Promise.resolve(opts.tokenKey) : undefined;
  const keyOf = () => {
    tokenKey ??= storedTokenKey(data).catch((err: unknown) => {
      tokenKey = undefined; // the store was down: the next request reads it again
      throw err;
    });
    return tokenKey;
  };
  const sign = (payload: string) => createHmac('sha256', secret).update(payload).digest('base64url');
  const tokenOf = async (id: string) =>
    createHmac('sha256', await keyOf())
      .update(`web-conversation:${id}`)
      .digest('base64url');

  /** The token of a conversation begun before tokens were derived (its hash is in the meta repository). */
  async function isLegacyToken(id: string, presented: string): Promise<boolean> {
    const stored = await data.meta.get<{ hash?: unknown }>(legacyName(id));
    return typeof stored?.value.hash === 'string' && same(stored.value.hash, sha256(presented));
  }
  const isToken = async (id: string, presented: string) => same(presented, await tokenOf(id)) || (await isLegacyToken(id, presented));

  /** Is this the retry of the conversation's first message (its id is random, known to the page that sent it)? */
  async function isFirstMessageRetry(id: string, messageId: string | undefined): Promise<boolean> {
    if (messageId === undefined) return false;
    const [first] = await data.messages.after(`web:${id}`, 0, 1, 'staff');
    return first?.from === 'customer' && first.id === messageId;
  }

  return {
    async admit(id, presented, messageId) {
      if (presented !== undefined && (await isToken(id, presented))) return { ok: true };
      // Never a message (retention keeps counting, so an expired conversation is not new): a new
      // conversation, or one whose server lost its data, which starts over.
      if ((await data.messages.lastSeq(`web:${id}`)) === 0) return { ok: true, issued: await tokenOf(id) };
      // The first answer (which carried the token) may have been lost on the way back: only the
      // retry of that first message gets the token again.
      if (presented === undefined && (await isFirstMessageRetry(id, messageId))) return { ok: true, issued: await tokenOf(id) };
      return { ok: false };
    },
    async check(id, presented) {
      return presented !== undefined && (await isToken(id, presented));
    },
    ticket(id) {
      const expires = now() + TICKET_TTL_MS;
      return `${expires}.${sign(`${id}.${expires}`)}`;
    },
    verifyTicket(id, ticket) {
      if (!ticket) return false;
      const [expires, sig] = ticket.split('.');
      if (!expires || !sig || !(Number(expires) > now())) return false;
      return same(sign(`${id}.${expires}`), sig);
    },
  };
}

/** The bearer token of a request, if any. */
export function bearerOf(authorization: string | string[] | undefined): string | undefined {
  const value = Array.isArray(authorization) ? authorization[0] : authorization;
  return value?.startsWith('Bearer ') ? value.slice(7).trim() || undefined : undefined;
}
