/**
 * Small helpers for the Telegram adapter tests: a turn-handler spy (records what reached the engine,
 * can fail like a store outage), a recording logger, and an engine whose dialogs offer a quick
 * reply with a payload longer than Telegram's 64-byte callback_data.
 */
import {
  type Channel,
  createEngine,
  defineDialog,
  type Engine,
  type InboundMessage,
  type IntentClassifier,
  KefuError,
  type Logger,
  createMemoryData,
  NONE_INTENT,
  type Repositories,
  type TurnHandler,
  type TurnResult,
} from '../../core';

export interface TurnSpy extends TurnHandler {
  /** Registers a channel with the engine behind the spy (its replies leave through the engine's outbox). */
  addChannel(channel: Channel): void;
  inbound: InboundMessage[];
  results: TurnResult[];
  /** The next `n` turns throw KEFU_ERR_STORE_UNAVAILABLE (a 503), as during a database outage. */
  failNext(n: number): void;
}

export function spyOn(engine: Engine): TurnSpy {
  let failures = 0;
  const spy: TurnSpy = {
    inbound: [],
    results: [],
    addChannel: (channel) => {
      engine.addChannel(channel);
    },
    failNext(n) {
      failures = n;
    },
    async handle(message) {
      spy.inbound.push(message);
      if (failures > 0) {
        failures -= 1;
        throw new KefuError('KEFU_ERR_STORE_UNAVAILABLE', 'The session store could not be reached (test outage).');
      }
      const result = await engine.handle(message);
      spy.results.push(result);
      return result;
    },
  };
  return spy;
}

export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  obj: Record<string, unknown>;
  msg?: string;
}

export function recordingLogger(): { log: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const make = (bindings: Record<string, unknown>): Logger => {
    const at = (level: LogLine['level']) => (obj: object, msg?: string) => void lines.push({ level, obj: { ...bindings, ...obj }, ...(msg ? { msg } : {}) });
    return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: (b) => make({ ...bindings, ...b }) };
  };
  return { log: make({}), lines };
}

export const LONG_PAYLOAD = `choice:${'x'.repeat(150)}`;

const classifier: IntentClassifier = {
  async classify(text) {
    const intent = /\blong\b/.test(text) ? 'long' : NONE_INTENT;
    return { intent, score: intent === NONE_INTENT ? 0 : 1, ranking: [], entities: [] };
  },
};

const long = defineDialog({
  id: 'long',
  triggers: ['long'],
  texts: { en: { pick: 'Pick one' }, zh: { pick: '选一个' } },
  run(ctx) {
    ctx.say('pick', {}, [{ label: 'Long one', payload: LONG_PAYLOAD }]);
  },
});

const echo = defineDialog({
  id: 'fallback',
  triggers: [],
  texts: {
    en: { payload: 'Payload {n} chars: {head}', file: 'Got {kind} {id}', text: 'You said: {text}', other: 'Sorry, I can only read text and images' },
    zh: { payload: '按钮 {n}：{head}', file: '收到 {kind} {id}', text: '你说：{text}', other: '抱歉，我只能读文字和图片' },
  },
  run(ctx) {
    const m = ctx.message;
    const a = m.attachments[0];
    if (m.payload) ctx.say('payload', { n: m.payload.length, head: m.payload.slice(0, 12) });
    else if (a) ctx.say('file', { kind: a.kind, id: a.mediaId ?? '-' });
    else if (m.kind === 'unsupported' || !m.text) ctx.say('other');
    else ctx.say('text', { text: m.text });
  },
});

/** The echo bot; its outbox retries after 30 ms (tests wait for parked messages, not minutes). */
export function createEchoEngine(logger?: Logger, data: Repositories = createMemoryData()): Engine {
  return createEngine({ classifier, dialogs: [long, echo], data, retryDelaysMs: [30], ...(logger ? { logger } : {}) });
}
