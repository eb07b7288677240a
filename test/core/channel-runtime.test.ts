/**
 * core/channel-runtime.ts with a fake platform: the turn, dedupe through the engine, numbered menus
 * kept in the session (so a second runtime, after a restart or on another instance, maps "1" the
 * same), transient turn failures retried, and a runtime without an engine refusing coded.
 */
import assert from 'node:assert/strict';
import { type ConversationRef, createChannelRuntime, createMemoryData, type Engine, isKefuError, KefuError, type OutboundMessage, type TurnHandler } from '../../core';
import { createConformanceEngine } from '../adapters/conformance';

function fakePlatform(quickReplies: 'buttons' | 'numbered') {
  const sent: { to: string; text: string; options: number }[] = [];
  const runtime = createChannelRuntime({
    name: 'fake',
    quickReplies,
    async send(ref: ConversationRef, messages: readonly OutboundMessage[]) {
      for (const m of messages) sent.push({ to: ref.conversationId, text: m.text, options: m.quickReplies?.length ?? 0 });
    },
  });
  return { runtime, sent, channel: { ...runtime.channel } };
}

const say = (text: string, id?: string) => ({ channel: 'fake', conversationId: 'c1', userId: 'u1', text, ...(id ? { platformMessageId: id } : {}) });

describe('channel runtime', () => {
  const engines: Engine[] = [];
  const started = (engine: Engine, quickReplies: 'buttons' | 'numbered' = 'numbered') => {
    const p = fakePlatform(quickReplies);
    engine.addChannel(p.channel);
    p.runtime.attach(engine);
    engines.push(engine);
    return p;
  };
  afterEach(async () => {
    for (const e of engines.splice(0)) await e.close();
  });

  it('runs the turn and delivers the replies through the outbox, once per platform message id', async () => {
    const p = started(createConformanceEngine());
    await p.runtime.receive(say('hello', 'm1'));
    const again = await p.runtime.receive(say('hello', 'm1'));
    assert.equal(again.duplicate, true);
    assert.deepEqual(
      p.sent.map((s) => s.text),
      ['You said: hello'],
    );
  });

  it('maps a typed number to the option of the menu last shown, from the session: also on a second instance', async () => {
    const data = createMemoryData();
    const first = started(createConformanceEngine(data));
    await first.runtime.receive(say('menu'));
    await first.runtime.idle();
    assert.deepEqual(
      (await first.runtime.menu('c1')).map((i) => i.payload),
      ['intent:orders'],
    );
    const second = started(createConformanceEngine(data)); // another instance (or the process after a restart): nothing in memory
    await second.runtime.receive(say('1'));
    assert.equal(second.sent.at(-1)?.text, 'Orders dialog');
    await second.runtime.idle();
    assert.deepEqual(await second.runtime.menu('c1'), [], 'a reply without options ends the menu');
    await second.runtime.receive(say('1'));
    assert.equal(second.sent.at(-1)?.text, 'You said: 1', 'a "1" after that is just text');
  });

  it('leaves numbers alone on channels with buttons', async () => {
    const p = started(createConformanceEngine(), 'buttons');
    await p.runtime.receive(say('menu'));
    await p.runtime.receive(say('1'));
    assert.equal(p.sent.at(-1)?.text, 'You said: 1');
  });

  it('retries a transient turn failure when asked to (the platform will not re-deliver), not a permanent one', async () => {
    let calls = 0;
    const flaky: TurnHandler = {
      async handle() {
        calls += 1;
        if (calls === 1) throw new KefuError('KEFU_ERR_STORE_UNAVAILABLE', 'store down');
        return { turnId: 't', duplicate: false, replies: [], locale: 'en' };
      },
    };
    const runtime = createChannelRuntime({ name: 'fake', quickReplies: 'buttons', send: async () => undefined }, { sleep: async () => undefined });
    runtime.attach(flaky);
    await runtime.receive(say('hi'), { attempts: 3 });
    assert.equal(calls, 2);
    calls = 0;
    await assert.rejects(runtime.receive(say('hi')), (err) => isKefuError(err, 'KEFU_ERR_STORE_UNAVAILABLE'));
    assert.equal(calls, 1, 'one attempt by default: the platform re-delivers');
  });

  it('refuses with KEFU_ERR_CHANNEL_NOT_STARTED before start and after stop', async () => {
    const { runtime } = fakePlatform('buttons');
    await assert.rejects(runtime.receive(say('hi')), (err) => isKefuError(err, 'KEFU_ERR_CHANNEL_NOT_STARTED'));
  });
});
