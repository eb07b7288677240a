/**
 * Conversation tokens (server/web-tokens.ts) on the memory store: derived from the id under the
 * store's key, so another instance or a restart on the store accepts them and nothing is written
 * per conversation; a
 * conversation that ever had a message is not handed out again after retention emptied it; the
 * stored hashes of conversations begun before still work.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { createMemoryData, type Repositories } from '../../core';
import { createConversationTokens } from '../../server/web-tokens';
import { message, REF } from '../data/fixtures';

const refOf = (id: string) => ({ ...REF, conversationId: id });

async function firstTurn(data: Repositories, id: string, messageId: string, at = 1_000): Promise<void> {
  await data.commit({ key: `web:${id}`, ref: refOf(id), messages: [message({ id: messageId, from: 'customer', at })] });
}

async function issuedFor(tokens: ReturnType<typeof createConversationTokens>, id: string): Promise<string> {
  const admitted = await tokens.admit(id, undefined, 'm-first');
  assert.ok(admitted.ok && admitted.issued, `a token for ${id}`);
  return admitted.issued;
}

describe('conversation tokens', () => {
  it("are derived from the store's key, not stored: every instance on the store accepts them, another store does not", async () => {
    const data = createMemoryData();
    const [a, b] = [createConversationTokens(data), createConversationTokens(data)];
    const [token, same] = await Promise.all([issuedFor(a, 'c-1'), issuedFor(b, 'c-1')]);
    assert.equal(same, token, 'two instances making the key at once end up with one');
    await firstTurn(data, 'c-1', 'm-first');
    assert.equal(await data.meta.get('web-token:c-1'), undefined, 'nothing stored per conversation');
    const restarted = createConversationTokens(data);
    assert.equal(await restarted.check('c-1', token), true);
    assert.deepEqual(await restarted.admit('c-1', token), { ok: true }, 'no second token');
    assert.equal(await restarted.check('c-2', token), false, "a token is its own conversation's only");
    const elsewhere = createMemoryData();
    await firstTurn(elsewhere, 'c-1', 'm-first');
    assert.equal(await createConversationTokens(elsewhere).check('c-1', token), false, "another store's key");
    assert.deepEqual(await createConversationTokens(elsewhere).admit('c-1', token, 'm-first'), { ok: false }, 'a wrong token for a conversation with messages');
  });

  it('a conversation retention emptied is not new: a stranger gets no token, its owner keeps theirs', async () => {
    const data = createMemoryData();
    const tokens = createConversationTokens(data, { tokenKey: randomBytes(32) });
    const token = await issuedFor(tokens, 'c-old');
    await firstTurn(data, 'c-old', 'm-first', 1_000);
    assert.equal(await data.messages.deleteOlderThan(2_000, 100), 1);
    assert.deepEqual(await data.messages.after('web:c-old', 0, 1), []);
    assert.deepEqual(await tokens.admit('c-old', undefined, 'm-other'), { ok: false });
    assert.deepEqual(await tokens.admit('c-old', undefined, 'm-first'), { ok: false }, 'its first message is gone too');
    assert.deepEqual(await tokens.admit('c-old', token), { ok: true });
  });

  it('a conversation that never had a message gets its token, also when a stale one is presented (the server lost its data)', async () => {
    const tokens = createConversationTokens(createMemoryData(), { tokenKey: randomBytes(32) });
    const fresh = await tokens.admit('c-new', 'from-another-server');
    assert.ok(fresh.ok && fresh.issued && fresh.issued !== 'from-another-server');
  });

  it('accepts the stored hash of a token issued before tokens were derived', async () => {
    const data = createMemoryData();
    const legacy = randomBytes(16).toString('base64url');
    assert.equal(await data.meta.put('web-token:c-legacy', { hash: createHash('sha256').update(legacy).digest('hex') }, 0), 'ok');
    await firstTurn(data, 'c-legacy', 'm-first');
    const tokens = createConversationTokens(data, { tokenKey: randomBytes(32) });
    assert.equal(await tokens.check('c-legacy', legacy), true);
    assert.deepEqual(await tokens.admit('c-legacy', legacy), { ok: true });
    assert.equal(await tokens.check('c-legacy', `${legacy}x`), false);
    const retry = await tokens.admit('c-legacy', undefined, 'm-first');
    assert.ok(retry.ok && retry.issued, 'the retry of its first message gets a derived token');
    assert.equal(await tokens.check('c-legacy', retry.issued), true);
  });
});
