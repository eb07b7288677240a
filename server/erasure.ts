/**
 * Erasure on request: everything kefu keeps about one conversation goes — its session, its
 * messages (transcript and outbox), its handoffs (with their transcript copies and links), its
 * tickets, and the inbox entries of its customer's texts. The audit chain keeps its entries (they
 * hold ids, hashes and counts, never message text) and gets one more: who erased which
 * conversation, with the counts. A conversation with a person on it is not erased (resolve it first).
 * @example
 * const erased = await eraseConversation(engine.data, 'web:c1', 'anna');   // { messages: 12, … }
 */
import { KefuError, type Repositories } from '../core';
import { createInbox } from '../plugins/analytics';
import { createAuditLog } from '../plugins/audit';

export interface Erasure {
  key: string;
  messages: number;
  handoffs: number;
  tickets: number;
  inboxEntries: number;
}

const PAGE = 500;

export async function eraseConversation(data: Repositories, key: string, by: string, now: () => number = Date.now): Promise<Erasure> {
  if (await data.handoffs.active(key)) {
    throw new KefuError('KEFU_ERR_ERASE_ACTIVE_HANDOFF', `Conversation "${key}" is with a person now; resolve or cancel its handoff, then erase it.`);
  }
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
  const { messages, handoffs, tickets, inboxEntries } = erased;
  await createAuditLog({ data, now }).append({ actor: by, action: 'erase', target: key, detail: { messages, handoffs, tickets, inboxEntries } });
  return erased;
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
