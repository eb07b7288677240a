/**
 * The wechaty channel driven through the real wechaty SDK with wechaty-puppet-mock: a mock WeChat
 * world (contacts, rooms) where customers say things to the bot and the bot's messages are
 * recorded as the mock puppet delivers them. Send failures are injected into the puppet's send path
 * (`messageSendText`); wechaty has no signatures and no HTTP statuses, so 429/500 both mean
 * "the puppet threw" and the adapter must retry.
 */
import assert from 'node:assert/strict';
import { types } from 'wechaty';
import { mock, PuppetMock } from 'wechaty-puppet-mock';
import { createWechatyChannel, type WechatyChannel } from '../../adapters/wechaty';
import type { Engine } from '../../core';
import { type AdapterHarness, createConformanceEngine, eventually, runAdapterConformance, type SentMessage } from './conformance';

interface MockWorld {
  mocker: mock.Mocker;
  puppet: PuppetMock;
  channel: WechatyChannel;
  botUser: mock.ContactMock;
  /** Messages the bot sent, as delivered by the mock puppet (to contacts and rooms). */
  botMessages: { to: string; text: string }[];
  sendAttempts(): number;
  /** The next `times` puppet sends throw. */
  failSends(times: number): void;
  /** A customer message of any type, as the puppet reports it; returns its id. */
  emit(from: mock.ContactMock, to: mock.ContactMock | mock.RoomMock, type: types.Message, text?: string): string;
  close(): Promise<void>;
}

let seq = 0;

async function startWorld(engine: Engine): Promise<MockWorld> {
  const mocker = new mock.Mocker();
  const puppet = new PuppetMock({ mocker });
  const channel = createWechatyChannel({ puppet, name: `kefu-test-${++seq}`, retryBaseMs: 5, maxAttempts: 3 });
  const botMessages: { to: string; text: string }[] = [];
  let attempts = 0;
  let failures = 0;
  // Wechaty calls messageSendText(conversationId, text, mentionIdList) for contact.say and room.say.
  const original = puppet.messageSendText.bind(puppet) as (...args: unknown[]) => Promise<void>;
  puppet.messageSendText = (async (...args: unknown[]) => {
    attempts += 1;
    if (failures > 0) {
      failures -= 1;
      throw new Error('puppet: send failed (injected)');
    }
    return original(...args);
  }) as typeof puppet.messageSendText;

  engine.addChannel(channel);
  await channel.start(engine);
  const botUser = mocker.createContact({ name: 'KefuBot' });
  mocker.login(botUser);
  puppet.emit('ready', { data: 'ready' }); // the mock never emits it by itself; without it bot.ready() hangs
  await channel.ready();
  const record = (to: string) => (m: mock.MessageMock) => {
    if (m.payload.talkerId === botUser.id) botMessages.push({ to, text: m.payload.text ?? '' });
  };
  const watched = new Set<string>();
  const watch = (target: mock.ContactMock | mock.RoomMock) => {
    if (watched.has(target.id)) return;
    watched.add(target.id);
    target.on('message', record(target.id));
  };

  const world: MockWorld = {
    mocker,
    puppet,
    channel,
    botUser,
    botMessages,
    sendAttempts: () => attempts,
    failSends(times) {
      failures += times;
    },
    emit(from, to, type, text) {
      watch(to instanceof mocker.RoomMock ? to : from.id === botUser.id ? to : from);
      const id = `msg-${++seq}`;
      const base = { id, talkerId: from.id, timestamp: Date.now(), type, ...(text === undefined ? {} : { text }) };
      mocker.MessageMock.create(to instanceof mocker.RoomMock ? { ...base, roomId: to.id, mentionIdList: [] } : { ...base, listenerId: to.id });
      puppet.emit('message', { messageId: id });
      return id;
    },
    async close() {
      await world.channel.stop();
    },
  };
  return world;
}

/** Reads a numbered-options text back into text + button labels (the harness's view of "buttons"). */
function parseSent(text: string): SentMessage {
  const lines = text.split('\n');
  const first = lines.findIndex((l) => /^\d+\. /.test(l));
  if (first < 0) return { text, buttons: [] };
  const buttons = lines.filter((l) => /^\d+\. /.test(l)).map((l) => l.replace(/^\d+\. /, ''));
  return { text: lines.slice(0, first).join('\n').trim(), buttons };
}

async function startHarness(engine: Engine): Promise<AdapterHarness> {
  const w = await startWorld(engine);
  const customer = w.mocker.createContact({ name: 'Alice' });
  let lastId: string | undefined;
  const sent = () => w.botMessages.filter((m) => m.to === customer.id).map((m) => parseSent(m.text));
  const sendText = async (text: string) => {
    lastId = w.emit(customer, w.botUser, types.Message.Text, text);
  };
  return {
    sendText,
    async sendImage() {
      lastId = w.emit(customer, w.botUser, types.Message.Image);
    },
    async sendUnknown() {
      lastId = w.emit(customer, w.botUser, types.Message.Location);
    },
    async pressQuickReply(payload) {
      // Personal WeChat has no buttons: the customer types the number shown next to the option.
      await w.channel.idle();
      const index = (await w.channel.menu(customer.id)).findIndex((q) => q.payload === payload);
      if (index < 0) throw new Error(`no numbered option with payload ${payload} is open`);
      await sendText(String(index + 1));
    },
    async redeliverLast() {
      if (!lastId) throw new Error('nothing sent yet');
      w.puppet.emit('message', { messageId: lastId }); // the puppet reports the same message again
    },
    sent,
    waitForSent: (count) => eventually(() => (sent().length >= count ? sent() : undefined), 10_000, `${count} sent message(s)`),
    failSends: (_status, times) => w.failSends(times),
    sendAttempts: w.sendAttempts,
    // No restart: a mock puppet cannot be started twice. Menus surviving a restart: wechat's run and test/core/channel-runtime.test.ts.
    close: () => w.close(),
  };
}

runAdapterConformance('wechaty (puppet-mock)', startHarness);

describe('wechaty channel', function () {
  this.timeout(20_000);
  let w: MockWorld;
  let engine: ReturnType<typeof createConformanceEngine>;
  beforeEach(async () => {
    engine = createConformanceEngine();
    w = await startWorld(engine);
  });
  afterEach(async () => {
    await w.close();
    await engine.close();
  });

  it('in a group, answers only when @-mentioned, mentioning the customer back, one conversation per member', async () => {
    const alice = w.mocker.createContact({ name: 'Alice' });
    const bob = w.mocker.createContact({ name: 'Bob' });
    const room = w.mocker.createRoom({ topic: 'Shop fans', memberIdList: [w.botUser.id, alice.id, bob.id] });
    w.emit(alice, room, types.Message.Text, 'just chatting'); // also starts recording the room
    alice.say('@KefuBot menu', [w.botUser]).to(room);
    bob.say('@KefuBot hello', [w.botUser]).to(room);
    await eventually(() => (w.botMessages.length >= 2 ? true : undefined));
    await w.channel.idle();
    const texts = w.botMessages.map((m) => m.text).sort();
    assert.equal(w.botMessages.length, 2, 'the unmentioned message got no answer');
    assert.ok(w.botMessages.every((m) => m.to === room.id));
    assert.match(texts[0] ?? '', /^@Alice Pick a topic\n\n1\. Orders/);
    assert.match(texts[1] ?? '', /^@Bob You said: hello$/);
    assert.equal((await w.channel.menu(`${room.id}/${alice.id}`)).length, 1, "Alice's menu is hers");
    assert.equal((await w.channel.menu(`${room.id}/${bob.id}`)).length, 0);
  });

  it('ignores its own messages and messages the puppet replays from long ago', async () => {
    const carol = w.mocker.createContact({ name: 'Carol' });
    w.emit(w.botUser, carol, types.Message.Text, 'bot talking');
    const old = `msg-old-${++seq}`;
    w.mocker.MessageMock.create({ id: old, talkerId: carol.id, listenerId: w.botUser.id, timestamp: Date.now() - 3600_000, type: types.Message.Text, text: 'from yesterday' });
    w.puppet.emit('message', { messageId: old });
    w.emit(carol, w.botUser, types.Message.Text, 'today');
    await eventually(() => (w.botMessages.length >= 2 ? true : undefined));
    await w.channel.idle();
    assert.deepEqual(
      w.botMessages.map((m) => m.text),
      ['bot talking', 'You said: today'],
      'no answer to its own message nor to the replayed one',
    );
  });

  it('keeps a reply the puppet would not send in the outbox and delivers it on the next try', async () => {
    const dave = w.mocker.createContact({ name: 'Dave' });
    w.failSends(3); // maxAttempts is 3
    w.emit(dave, w.botUser, types.Message.Text, 'are you there');
    await eventually(async () => ((await engine.data.messages.countPending()) ? true : undefined));
    await w.channel.idle();
    await engine.delivery.idle();
    const [waiting] = await engine.data.messages.pending(`wechaty:${dave.id}`, 10);
    assert.deepEqual([waiting?.delivery?.attempts, waiting?.delivery?.lastError], [1, 'KEFU_ERR_CHANNEL_SEND_FAILED']);
    assert.equal(await engine.delivery.retryAll(), 0);
    assert.deepEqual(
      w.botMessages.map((m) => m.text),
      ['You said: are you there'],
    );
  });

  it('pushes agent messages outside a turn to a contact and into a group', async () => {
    const erin = w.mocker.createContact({ name: 'Erin' });
    const room = w.mocker.createRoom({ topic: 'VIP', memberIdList: [w.botUser.id, erin.id] });
    w.emit(erin, room, types.Message.Text, 'hi all'); // starts recording the room
    w.emit(erin, w.botUser, types.Message.Emoticon); // starts recording Erin's chat (answered: unsupported)
    await eventually(() => (w.botMessages.length >= 1 ? true : undefined));
    await w.channel.send({ channel: 'wechaty', conversationId: erin.id, userId: erin.id, address: { contactId: erin.id } }, [
      { text: 'Agent Anna here', locale: 'en', from: 'agent' },
    ]);
    await w.channel.send({ channel: 'wechaty', conversationId: `${room.id}/${erin.id}`, userId: erin.id, address: { contactId: erin.id, roomId: room.id } }, [
      { text: '已为您转人工', locale: 'zh', from: 'agent' },
    ]);
    await eventually(() => (w.botMessages.length >= 3 ? true : undefined));
    assert.deepEqual(w.botMessages.slice(1), [
      { to: erin.id, text: 'Agent Anna here' },
      { to: room.id, text: '@Erin 已为您转人工' },
    ]);
  });
});
