/**
 * Erasure on request: everything kefu keeps about one conversation goes — its session, its
 * messages (transcript and outbox), its handoffs (with their transcript copies and links), its
 * tickets, and the inbox entries of its customer's texts. The audit chain keeps its entries (they
 * hold ids, hashes and counts, never message text) and gets one more: who erased which
 * conversation, with the counts. A conversation with a person on it is not erased (resolve it first).
 *
 * `eraseCustomer` does it for every conversation of one customer (`<channel>:<userId>`, found
 * through the store's customer links), all or none refused up front, with one audit entry whose
 * target is a keyed hash of the customer id (`customer:<hex>`), not the id itself.
 * @example
 * const erased = await eraseConversation(engine.data, 'web:c1', 'anna');   // { messages: 12, … }
 * const all = await eraseCustomer(engine.data, 'web:42', 'anna');          // { conversations: 3, … }
 */
import { createHmac } from 'node:crypto';
import { KefuError, keptSalt, type Repositories, readAllPages } from '../core';
import { createInbox } from '../plugins/analytics';
import { createAuditLog } from '../plugins/audit';

export interface Erasure {
  key: string;
  messages: number;
  handoffs: number;
  tickets: number;
  inboxEntries: number;
}

export interface CustomerErasure extends Omit<Erasure, 'key'> {
  /** The audit entry's target: a keyed hash of the customer id. */
  target: string;
  conversations: number;
}

const PAGE = 500;
const CUSTOMER_ID = /^[a-z][a-z0-9_-]{0,31}:.{1,256}$/;
/** The meta value holding the salt of the customer hashes in the audit log. */
export const ERASURE_SALT_META = 'erasure-salt';

export async function eraseConversation(data: Repositories, key: string, by: string, now: () => number = Date.now): Promise<Erasure> {
  await refuseActive(data, [key]);
  const erased = await eraseRecords(data, key);
  const { messages, handoffs, tickets, inboxEntries } = erased;
  await createAuditLog({ data, now }).append({ actor: by, action: 'erase', target: key, detail: { messages, handoffs, tickets, inboxEntries } });
  return erased;
}

/** Erases every conversation of `customer` (`<channel>:<userId>`), or none when one of them has a person on it. */
export async function eraseCustomer(data: Repositories, customer: string, by: string, now: () => number = Date.now): Promise<CustomerErasure> {
  if (!CUSTOMER_ID.test(customer)) {
    throw new KefuError('KEFU_ERR_ERASE_CUSTOMER_INVALID', `"${customer.slice(0, 80)}" is not a customer id: give <channel>:<user id>, e.g. web:42 or telegram:12345.`);
  }
  const keys = await conversationsOf(data, customer);
  await refuseActive(data, keys);
  const total = { messages: 0, handoffs: 0, tickets: 0, inboxEntries: 0 };
  for (const key of keys) {
    const e = await eraseRecords(data, key);
    total.messages += e.messages;
    total.handoffs += e.handoffs;
    total.tickets += e.tickets;
    total.inboxEntries += e.inboxEntries;
  }
  const target = await customerDigest(data, customer);
  await createAuditLog({ data, now }).append({ actor: by, action: 'erase.customer', target, detail: { conversations: keys.length, ...total } });
  return { target, conversations: keys.length, ...total };
}

/** KEFU_ERR_ERASE_ACTIVE_HANDOFF naming the first conversation with a person on it; nothing is erased. */
async function refuseActive(data: Repositories, keys: readonly string[]): Promise<void> {
  for (const key of keys) {
    if (await data.handoffs.active(key)) {
      throw new KefuError('KEFU_ERR_ERASE_ACTIVE_HANDOFF', `Conversation "${key}" is with a person now; resolve or cancel its handoff, then erase again. Nothing was erased.`);
    }
  }
}

/** Deletes what is kept about one conversation (no check, no audit entry). */
async function eraseRecords(data: Repositories, key: string): Promise<Erasure> {
  const inboxIds = await inboxEntriesOf(data, key);
  await data.inbox.delete(inboxIds);
  const erased: Erasure = {
    key,
    messages: await data.messages.eraseConversation(key),
    handoffs: await data.handoffs.eraseConversation(key),
    tickets: await data.tickets.eraseConversation(key),
    inboxEntries: inboxIds.length,
  };
  await data.sessions.delete(key);
  return erased;
}

/** Every conversation key linked to the customer (an indexed read, a page at a time). */
async function conversationsOf(data: Repositories, customer: string): Promise<string[]> {
  return readAllPages((req) => data.sessions.conversationsOf(customer, req), { limit: PAGE });
}

/** The inbox entries the conversation's customer texts were kept under (read before the messages go). */
async function inboxEntriesOf(data: Repositories, key: string): Promise<string[]> {
  const inbox = createInbox({ data });
  const ids = new Set<string>();
  for (let after = 0; ; ) {
    const page = await data.messages.after(key, after, PAGE, 'staff');
    for (const m of page) {
      if (m.from !== 'customer' || !m.locale) continue;
      const id = await inbox.idOf(m.text, m.locale);
      if (id && (await data.inbox.get(id))) ids.add(id);
    }
    if (page.length < PAGE) return [...ids];
    after = page.at(-1)?.seq ?? after;
  }
}

/**
 * `customer:<32 hex>`: HMAC-SHA256 of the customer id with a salt kept (encrypted at rest) in the
 * store, so the audit log proves the erasure of a given customer to whoever can compute it here
 * (`kefu erase` prints it) without naming them to whoever reads an export.
 */
export async function customerDigest(data: Repositories, customer: string): Promise<string> {
  return `customer:${createHmac('sha256', await erasureSalt(data))
    .update(customer, 'utf8')
    .digest('hex')
    .slice(0, 32)}`;
}

const erasureSalt = (data: Repositories) => keptSalt(data, ERASURE_SALT_META, { what: 'the erasure salt', attempts: 3 });
