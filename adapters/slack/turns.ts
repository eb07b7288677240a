/**
 * From a normalized Slack message to a turn: add the user's language and name, run it through the
 * channel runtime (the engine's outbox delivers the replies). A failed turn is never dropped: Slack
 * redelivers it (see receiver.ts) or, once Slack got its 200, it is retried here; core drops any
 * duplicate.
 */
import {
  asCodedError,
  type ChannelRuntime,
  type ConversationRef,
  detectLocale,
  fillTemplate,
  type InboundMessage,
  type KefuError,
  type Logger,
  MAX_TEXT_LENGTH,
  type OutboundMessage,
} from '../../core';
import type { Delivery } from './receiver';
import { SLACK_TEXTS } from './texts';
import type { UserDirectory } from './users';

export interface TurnRunnerOptions {
  runtime: ChannelRuntime;
  /** Tells the customer something outside a turn (a message the engine refused); best effort. */
  tell(ref: ConversationRef, message: OutboundMessage): Promise<void>;
  users?: UserDirectory;
  log: Logger;
  now: () => number;
  delivery: (id: unknown) => Delivery | undefined;
  /** Waits before re-running a turn that failed after Slack got its 200 (default 2 s, 15 s, 60 s). */
  retryDelaysMs?: readonly number[];
  /** Runs a background task and keeps track of it, so the channel can wait for it on stop. */
  track: (task: Promise<unknown>) => void;
}

export interface TurnRunner {
  run(inbound: InboundMessage, deliveryId: unknown): Promise<void>;
  /** Turns given up after every retry (each was logged with its code). */
  readonly givenUp: number;
  stop(): void;
}

export function refOf(inbound: InboundMessage): ConversationRef {
  return { channel: inbound.channel, conversationId: inbound.conversationId, userId: inbound.userId, ...(inbound.address ? { address: inbound.address } : {}) };
}

export function createTurnRunner(opts: TurnRunnerOptions): TurnRunner {
  const delays = opts.retryDelaysMs ?? [2000, 15_000, 60_000];
  const timers = new Set<NodeJS.Timeout>();
  let givenUp = 0;
  let stopped = false;

  async function attempt(message: InboundMessage, deliveryId: unknown, retry: number): Promise<void> {
    try {
      await opts.runtime.receive(message);
    } catch (err) {
      onFailure(message, deliveryId, retry, asCodedError(err));
    }
  }

  function onFailure(message: InboundMessage, deliveryId: unknown, retry: number, error: KefuError): void {
    const log = opts.log.child({ channel: message.channel, conversationId: message.conversationId, platformMessageId: message.platformMessageId });
    if (error.httpStatus < 500) {
      log.warn({ code: error.code }, 'slack message refused by the engine; telling the customer');
      opts.track(opts.tell(refOf(message), refusal(message, error)).catch(() => undefined));
      return;
    }
    const delivery = opts.delivery(deliveryId);
    if (delivery && !delivery.responded && delivery.slackRetries) {
      log.warn({ code: error.code }, 'slack turn failed; Slack will redeliver');
      delivery.failure = error;
      return;
    }
    const wait = delays[retry];
    if (wait === undefined || stopped) {
      givenUp += 1;
      log.error({ code: error.code, retries: retry }, 'slack turn failed; given up');
      return;
    }
    log.warn({ code: error.code, retry: retry + 1 }, 'slack turn failed; retrying');
    const timer = setTimeout(() => {
      timers.delete(timer);
      opts.track(attempt(message, undefined, retry + 1));
    }, wait);
    timer.unref();
    timers.add(timer);
  }

  return {
    async run(inbound, deliveryId) {
      const user = opts.users ? await opts.users.lookup(inbound.userId) : {};
      const message: InboundMessage = {
        ...inbound,
        ...(user.locale ? { locale: user.locale } : {}),
        ...(user.name ? { profile: { name: user.name } } : {}),
        receivedAt: opts.now(),
      };
      await attempt(message, deliveryId, 0);
    },
    get givenUp() {
      return givenUp;
    },
    stop() {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
    },
  };
}

function refusal(message: InboundMessage, error: KefuError) {
  const locale = detectLocale(message.text ?? '') ?? message.locale ?? 'en';
  const texts = SLACK_TEXTS[locale];
  const text = error.code === 'KEFU_ERR_MESSAGE_TOO_LARGE' ? fillTemplate(texts.tooLong, { length: (message.text ?? '').length, max: MAX_TEXT_LENGTH }) : texts.unreadable;
  return { text, locale, from: 'system' as const };
}
