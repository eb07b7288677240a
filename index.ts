/**
 * kefu's public API: what a bot project imports (`import { createKefuApp, defineDialog } from 'kefu'`).
 * Everything here is covered by semver; deeper paths are not (package.json `exports` hides them).
 * @example
 * const weather = defineDialog({
 *   id: 'weather', triggers: ['weather.ask'],
 *   texts: { en: { sunny: 'Always sunny in Kefu Bay.' }, zh: { sunny: '客服湾永远是晴天。' } },
 *   run(ctx) { ctx.say('sunny'); },
 * });
 * const app = await createKefuApp({ dialogs: [weather], locales: './locales' });
 * await app.listen({ port: 3000 });
 */
export {
  type Classification,
  type ConversationRef,
  type Dialog,
  type DialogContext,
  type DialogData,
  type DialogDefinition,
  type DialogMemory,
  defineDialog,
  type ErrorCode,
  fail,
  type HandoffReason,
  type InboundMessage,
  type IntentClassifier,
  isKefuError,
  KefuError,
  LOCALES,
  type Locale,
  type Logger,
  type Middleware,
  type OutboundMessage,
  ok,
  type Plugin,
  type QuickReply,
  type Result,
  slot,
  type TurnContext,
} from './core';
export type { AgentProfile, AgentStatus, HandoffEvent, HandoffService } from './plugins/handoff';
export { KIT_DIALOGS, withKitDialogs } from './kit/dialogs';
export type { BotParts, KefuApp } from './server/app';
export { type ConfigSettings, createKefuApp, type KefuAppOptions } from './server/create-app';
export { type RunOptions, runKefu } from './server/run';
