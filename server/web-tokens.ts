/**
 * Conversation tokens for the web chat: the conversation id names a conversation, the token proves
 * the right to it. The first message of a conversation gets a token (128 random bits; only its
 * SHA-256 is stored, in the meta repository); every later message, the history and the event
 * stream need it. EventSource cannot send headers, so the stream takes a short-lived ticket signed
 * by this process, asked for with the token.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Repositories } from '../core';

export const TICKET_TTL_MS = 5 * 60_000;
const CACHE_LIMIT = 50_000;

export interface ConversationTokens {
  /**
   * May this POST go ahead? With the conversation's token: yes. Without one, for a conversation that
   * has none yet (or whose first message was never stored): yes, and here is its new token.
   */
  admit(conversationId: string, presented: string | undefined, messageId?: string): Promise<{ ok: true; issued?: string } | { ok: false }>;
  /** Is `presented` the conversation's token? */
  check(conversationId: string, presented: string | undefined): Promise<boolean>;
  /** A signed ticket to open the event stream, valid for TICKET_TTL_MS. */
  ticket(conversationId: string): string;
  verifyTicket(conversationId: string, ticket: string | undefined): boolean;
}

const metaName = (conversationId: string) => `web-token:${conversationId}`;
const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function createConversationTokens(data: Repositories, opts: { now?: () => number; secret?: Buffer } = {}): ConversationTokens {
  const now = opts.now ?? Date.now;
  const secret = opts.secret ?? randomBytes(32);
  // Token hashes change only when a lost first answer is re-issued: known ones are kept (bounded)
  // so a turn reads nothing extra, and a token that does not match the kept hash is checked against
  // the store before it is refused (another instance may have re-issued it).
  const known = new Map<string, string>();
  const remember = (id: string, hash: string) => {
    known.set(id, hash);
    if (known.size > CACHE_LIMIT) known.delete(known.keys().next().value as string);
  };
  /** The stored hash (the kept one when `presentedHash` matches it, else the store's). */
  const stored = async (id: string, presentedHash?: string) => {
    const cached = known.get(id);
    if (cached && (presentedHash === undefined || sameHash(cached, presentedHash))) return { hash: cached, version: -1 };
    const found = await data.meta.get<{ hash: string }>(metaName(id));
    if (found && typeof found.value.hash === 'string') remember(id, found.value.hash);
    return found ? { hash: found.value.hash, version: found.version } : undefined;
  };
  const sign = (payload: string) => createHmac('sha256', secret).update(payload).digest('base64url');

  async function issue(id: string, over: number): Promise<string | undefined> {
    const token = randomBytes(16).toString('base64url');
    const hash = hashOf(token);
    if ((await data.meta.put(metaName(id), { hash }, over)) !== 'ok') return undefined;
    remember(id, hash);
    return token;
  }

  async function isFirstMessageRetry(id: string, messageId: string | undefined): Promise<boolean> {
    const [first] = await data.messages.after(`web:${id}`, 0, 1, 'staff');
    return first === undefined || (messageId !== undefined && first.from === 'customer' && first.id === messageId);
  }

  return {
    async admit(id, presented, messageId) {
      const presentedHash = presented === undefined ? undefined : hashOf(presented);
      const current = await stored(id, presentedHash);
      if (current && presentedHash !== undefined) return sameHash(current.hash, presentedHash) ? { ok: true } : { ok: false };
      if (presented !== undefined && !current) {
        const issued = await issue(id, 0); // the server lost it (a new data dir): start over
        return issued ? { ok: true, issued } : { ok: false };
      }
      if (!current) {
        const issued = await issue(id, 0);
        return issued ? { ok: true, issued } : { ok: false }; // lost a race for a new id
      }
      // A token exists but none was presented: the first answer (which carried it) may have been lost
      // on the way back. Only the retry of that first message (its id is random, known to the page
      // that sent it) or a conversation whose first message was never stored gets a new token.
      if (!(await isFirstMessageRetry(id, messageId))) return { ok: false };
      const version = current.version > 0 ? current.version : ((await data.meta.get(metaName(id)))?.version ?? 0);
      known.delete(id);
      const issued = await issue(id, version);
      return issued ? { ok: true, issued } : { ok: false };
    },
    async check(id, presented) {
      if (presented === undefined) return false;
      const presentedHash = hashOf(presented);
      const current = await stored(id, presentedHash);
      return current !== undefined && sameHash(current.hash, presentedHash);
    },
    ticket(id) {
      const expires = now() + TICKET_TTL_MS;
      return `${expires}.${sign(`${id}.${expires}`)}`;
    },
    verifyTicket(id, ticket) {
      if (!ticket) return false;
      const [expires, sig] = ticket.split('.');
      if (!expires || !sig || !(Number(expires) > now())) return false;
      return sameHash(sign(`${id}.${expires}`), sig);
    },
  };
}

/** The bearer token of a request, if any. */
export function bearerOf(authorization: string | string[] | undefined): string | undefined {
  const value = Array.isArray(authorization) ? authorization[0] : authorization;
  return value?.startsWith('Bearer ') ? value.slice(7).trim() || undefined : undefined;
}
