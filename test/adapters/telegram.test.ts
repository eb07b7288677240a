/**
 * The shared adapter conformance suite, run twice against the Telegram channel: webhook mode
 * (the local Bot API server POSTs updates to the channel's webhook with the secret token) and
 * long-polling mode (telegraf's getUpdates loop against the local server).
 */
import { startTelegramHarness } from '../support/telegram-harness';
import { runAdapterConformance } from './conformance';

runAdapterConformance('telegram (webhook)', (engine) => startTelegramHarness(engine, { mode: 'webhook' }));
runAdapterConformance('telegram (polling)', (engine) => startTelegramHarness(engine, { mode: 'polling' }));
