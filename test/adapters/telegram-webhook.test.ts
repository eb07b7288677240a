/**
 * Telegram webhook mode beyond the shared suite: secret token, HTTP errors, button answers, long
 * payloads, files, store outages, parked and dropped sends, groups, agent pushes. All through
 * telegraf against the local Bot API server, which POSTs updates to the channel's webhook.
 */
import assert from 'node:assert/strict';
import type { Engine } from '../../core';
import { startTelegramHarness, type TelegramHarness, WEBHOOK_SECRET } from '../support/telegram-harness';
import { createEchoEngine, LONG_PAYLOAD, recordingLogger, spyOn, type TurnSpy } from '../support/telegram-test-kit';
import { eventually } from './conformance';

const update = (text: string, id = 900) =>
  JSON.stringify({ update_id: id, message: { message_id: 1, date: 1, chat: { id: 1001, type: 'private' }, from: { id: 1001, is_bot: false, first_name: 'Ada' }, text } });
const errorCode = (body: string) => (JSON.parse(body) as { error: { code: string } }).error.code;

describe('telegram webhook mode', function () {
  this.timeout(20_000);
  let engine: Engine;
  let spy: TurnSpy;
  let h: TelegramHarness;
  const logs = recordingLogger();

  beforeEach(async () => {
    logs.lines.length = 0;
    engine = createEchoEngine(logs.log);
    spy = spyOn(engine);
    h = await startTelegramHarness(spy, {
      mode: 'webhook',
      maxBodyBytes: 8192,
      log: logs.log,
      retry: { attempts: 2, baseDelayMs: 5 },
    });
  });
  afterEach(async () => {
    await h.close();
    await engine.close();
  });

  it('registers its webhook URL with the secret token and the update types it handles', () => {
    assert.deepEqual(h.server.webhook(), { url: h.webhookUrl, secretToken: WEBHOOK_SECRET });
    const [call] = h.server.calls('setWebhook');
    assert.deepEqual(call?.params.allowed_updates, ['message', 'callback_query']);
  });

  it('refuses a missing or wrong secret token with 401 and processes nothing', async () => {
    const missing = await h.post(update('forged'));
    assert.equal(missing.status, 401);
    assert.equal(errorCode(missing.body), 'KEFU_ERR_ADAPTER_SIGNATURE');
    for (const token of ['wrong', `${WEBHOOK_SECRET}x`, WEBHOOK_SECRET.slice(0, -1)]) {
      assert.equal((await h.post(update('forged'), { 'x-telegram-bot-api-secret-token': token })).status, 401, token);
    }
    assert.equal(spy.inbound.length, 0);
    assert.equal(h.server.sendAttempts(), 0);
  });

  it('refuses other methods with 405 and a malformed or oversize body with a coded 4xx', async () => {
    const auth = { 'x-telegram-bot-api-secret-token': WEBHOOK_SECRET };
    const get = await h.post('', auth, 'GET');
    assert.equal(get.status, 405);
    assert.equal(errorCode(get.body), 'KEFU_ERR_HTTP_METHOD');
    const broken = await h.post('{"update_id": 1, "message": ', auth);
    assert.equal(broken.status, 400);
    assert.equal(errorCode(broken.body), 'KEFU_ERR_ADAPTER_PAYLOAD');
    const wrongShape = await h.post('{"update_id": "one", "message": {"text": "hi"}}', auth);
    assert.equal(wrongShape.status, 400);
    assert.match(wrongShape.body, /update_id/);
    const big = await h.post(update('x'.repeat(9000)), auth);
    assert.equal(big.status, 413);
    assert.equal(errorCode(big.body), 'KEFU_ERR_MESSAGE_TOO_LARGE');
    assert.equal(spy.inbound.length, 0);
  });

  it('acknowledges update types it does not handle, without a turn', async () => {
    const d = await h.server.pushUpdate({ edited_message: { message_id: 1, date: 1, edit_date: 2, chat: h.user.chat, from: h.user.user, text: 'edited' } });
    assert.equal(d.status, 200);
    assert.equal(spy.inbound.length, 0);
  });

  it('answers the callback query and carries a payload longer than 64 bytes through a short id', async () => {
    await h.sendText('long');
    const [menu] = await h.waitForSent(1);
    assert.deepEqual(menu?.buttons, ['Long one']);
    const data = h.server.botMessages()[0]?.reply_markup?.inline_keyboard[0]?.[0]?.callback_data ?? '';
    assert.ok(Buffer.byteLength(data) <= 64 && data !== LONG_PAYLOAD);
    assert.equal((await h.user.press('Long one')).status, 200);
    const sent = await h.waitForSent(2);
    assert.equal(sent[1]?.text, `Payload ${LONG_PAYLOAD.length} chars: ${LONG_PAYLOAD.slice(0, 12)}`);
    const answered = await eventually(() => h.server.calls('answerCallbackQuery')[0]);
    assert.equal(answered.status, 200);
    assert.equal(h.server.callbackAnswer(String(answered.params.callback_query_id))?.answered, true);
  });

  it('answers a button it can no longer resolve with a polite notice and no turn', async () => {
    await h.sendText('hello');
    await h.waitForSent(1);
    assert.equal((await h.user.pressData('~kAAAAAAAAAAAAAAAAAAAA')).status, 200);
    const answered = await eventually(() => h.server.calls('answerCallbackQuery')[0]);
    assert.match(String(answered.params.text), /expired/);
    assert.equal(spy.inbound.length, 1);
  });

  it('takes a document in by file_id, and resolves its download URL through getFile', async () => {
    await h.checked(h.user.sendDocument('invoice.pdf', 'application/pdf'));
    const [reply] = await h.waitForSent(1);
    const attachment = spy.inbound[0]?.attachments?.[0];
    assert.equal(attachment?.kind, 'file');
    assert.equal(attachment?.name, 'invoice.pdf');
    assert.equal(reply?.text, `Got file ${attachment?.mediaId}`);
    const url = await h.channel.fileUrl(attachment?.mediaId ?? '');
    assert.equal(url, `${h.server.apiRoot}/file/bot${h.server.token}/documents/invoice.pdf`);
    assert.equal((await (await fetch(url)).arrayBuffer()).byteLength, 300);
  });

  it('answers 503 while the store is down, then handles the re-delivered update once', async () => {
    spy.failNext(1);
    const first = await h.user.say('hello');
    assert.equal(first.status, 503);
    assert.equal(errorCode(first.body ?? ''), 'KEFU_ERR_STORE_UNAVAILABLE');
    assert.equal((await h.server.redeliver(h.user.lastUpdateId)).status, 200);
    assert.equal((await h.server.redeliver(h.user.lastUpdateId)).status, 200);
    await h.sendText('again');
    const sent = await h.waitForSent(2);
    assert.deepEqual(
      sent.map((s) => s.text),
      ['You said: hello', 'You said: again'],
    );
    assert.deepEqual(
      spy.results.map((r) => r.duplicate),
      [false, true, false],
    );
  });

  it('keeps replies in the outbox while Telegram keeps failing and delivers them later, in order', async () => {
    h.failSends(500, 3);
    await h.sendText('first');
    await h.sendText('second');
    const sent = await h.waitForSent(2);
    assert.deepEqual(
      sent.map((s) => s.text),
      ['You said: first', 'You said: second'],
    );
    assert.ok(logs.lines.some((l) => l.level === 'warn' && l.obj.code === 'KEFU_ERR_CHANNEL_SEND_FAILED' && l.obj.channel === 'telegram'));
    await eventually(async () => ((await engine.data.messages.countPending()) === 0 ? true : undefined));
    assert.equal((await engine.data.messages.failed()).items.length, 0);
  });

  it('keeps a reply Telegram refuses for good (bot blocked) as failed, with its code, and goes on; send() rejects', async () => {
    h.server.blockChat(h.user.chat.id);
    await h.sendText('hi');
    const failed = await eventually(async () => (await engine.data.messages.failed()).items[0]);
    assert.deepEqual([failed.text, failed.delivery?.state, failed.delivery?.lastError], ['You said: hi', 'failed', 'KEFU_ERR_CHANNEL_SEND_FAILED']);
    assert.ok(logs.lines.some((l) => l.level === 'error' && l.obj.code === 'KEFU_ERR_CHANNEL_SEND_FAILED'));
    assert.equal(await engine.data.messages.countPending(), 0, 'nothing waits behind it');
    const ref = { channel: 'telegram', conversationId: '1001', userId: '1001', address: { chatId: '1001' } };
    await assert.rejects(
      h.channel.send(ref, [{ text: 'Agent here', locale: 'en' }]),
      (err: Error & { code?: string }) => err.code === 'KEFU_ERR_CHANNEL_SEND_FAILED' && /403/.test(err.message),
    );
    assert.equal(h.channel.classifySendError?.(await h.channel.send(ref, [{ text: 'x', locale: 'en' }]).catch((e: unknown) => e)).kind, 'permanent');
  });

  it('pushes agent messages with send() to the chat', async () => {
    await h.sendText('hi');
    await h.waitForSent(1);
    await h.channel.send({ channel: 'telegram', conversationId: '1001', userId: '1001', address: { chatId: '1001' } }, [
      { text: 'Anna here, checking your order', locale: 'en', from: 'agent' },
    ]);
    assert.equal(h.sent()[1]?.text, 'Anna here, checking your order');
  });

  it('in a group, answers only messages that mention the bot, in the group chat', async () => {
    const member = h.newUser({ id: 2002, firstName: 'Bo', chat: { id: -100777, type: 'supergroup' } });
    assert.equal((await member.say('hello everyone')).status, 200);
    assert.equal((await member.say(`@${h.server.botUser.username} where is my parcel`)).status, 200);
    const [reply] = await h.waitForSent(1);
    assert.equal(reply?.text, 'You said: where is my parcel');
    assert.equal(h.server.botMessages()[0]?.chat.id, -100777);
    assert.equal(spy.inbound.length, 1);
    assert.equal(spy.inbound[0]?.conversationId, '-100777:2002');
  });

  it('logs ids and codes, never what the customer wrote', async () => {
    spy.failNext(1);
    await h.user.say('my card number is 4111 1111');
    await h.server.redeliver(h.user.lastUpdateId);
    await h.waitForSent(1);
    assert.ok(logs.lines.length > 0);
    assert.ok(!JSON.stringify(logs.lines).includes('4111'));
  });
});
