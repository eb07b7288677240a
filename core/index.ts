/**
 * kefu core: the message model, the engine and the bot-author API. Imports nothing else of the repo.
 * @example
 * import { createEngine, defineDialog, slot } from '../core';
 */
export type { Classification, Entity, IntentClassifier, Sentiment } from './classifier';
export { emptyClassification, NONE_INTENT } from './classifier';
export { INTENT_PAYLOAD_PREFIX } from './classify-turn';
export {
  type ChannelHost,
  type ChannelRuntime,
  type ChannelRuntimeOptions,
  createChannelRuntime,
  type PlatformAdapter,
  type ReceiveOptions,
} from './channel-runtime';
export { type Config, configSchema, loadConfig } from './config';
export type { ContextVariables, HandoffReason, HandoffRequest, Middleware, ReplyInput, TurnContext, TurnOverrides } from './context';
export { CORE_TEXTS } from './core-texts';
export { type Dialog, type DialogContext, type DialogDefinition, defineDialog, type SlotMap, type SlotValues, slot } from './dialog';
export { type DialogData, type DialogDataRecord, type DialogMemory, MEMORY_TTL_MS, type MemoryKey } from './dialog-memory';
export { type DialogTexts, fillTemplate, type Placeholders, type TextKey, type TextTable, type TextVars } from './dialog-texts';
export {
  type ChoiceOption,
  createSlotBuilders,
  type Filled,
  type Interruptible,
  type SlotBuilders,
  type SlotButton,
  type SlotInput,
  type SlotProblem,
  type SlotResult,
  type SlotSpec,
} from './slots';
export { type ChoiceMatch, matchChoice, normalizeAnswer, YES_NO_WORDS } from './slots-choice';
export { type CounterBuffer, createCounterBuffer } from './counter-buffer';
export * from './data';
export { createDelivery, type Delivery, type DeliveryOptions, type DeliveryTarget, type LaneLease, type LaneLeases } from './delivery';
export {
  type Channel,
  createEngine,
  type DeliveryMode,
  type Engine,
  type EngineOptions,
  type InlineReplies,
  type Plugin,
  type PushMessage,
  type PushResult,
  type TurnHandler,
} from './engine';
export { asCodedError, DialogError, ERROR_CODES, type ErrorCode, isKefuError, KefuError, storeDefect } from './errors';
export { HOOKS, type HookName, type HookSignatures } from './hooks';
export { chooseLocale, detectLocale } from './locale';
export { createLogger, type Logger, silentLogger } from './logger';
export {
  type Attachment,
  type ConversationRef,
  conversationKey,
  type InboundMessage,
  LOCALES,
  type Locale,
  MAX_TEXT_LENGTH,
  type OutboundMessage,
  type ParsedInbound,
  type QuickReply,
  type TurnResult,
} from './model';
export { createOutbox, type Outbox, type OutboxEntry, type OutboxOptions, type SendFate, type SendVerdict } from './outbox';
export { withFields } from './objects';
export { commitTurn, loadSession, withStoreRetry } from './session-io';
export { changeMeta, keptSalt, type MetaChangeOptions } from './meta-values';
export { parseInbound } from './parse-inbound';
export { MAX_MENU_OPTIONS, MENU_TTL_MS, type MenuAnswer, type MenuItem, menuItems, optionLine, resolveMenuAnswer } from './numbered-menus';
export { fail, ok, type Result } from './result';
export { FALLBACK_DIALOG_ID } from './run-dialog';
export { createSequentializer, type Sequentializer } from './sequentialize';
export type { DialogFrame, NumberedMenu, SessionState } from './session';
export { errorResponse, headerValue, isWebhookChannel, type WebhookChannel, type WebhookRequest, type WebhookResponse } from './webhook';
