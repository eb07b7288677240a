/**
 * The one message model every channel speaks. Adapters turn platform payloads into
 * {@link InboundMessage} and render {@link OutboundMessage} back into platform calls.
 */
import { z } from 'zod';
import type { StoredMessage } from './data/messages';

export const LOCALES = ['en', 'zh'] as const;
export type Locale = (typeof LOCALES)[number];

/** Longest accepted inbound text, in characters. Longer texts are refused with KEFU_ERR_MESSAGE_TOO_LARGE. */
export const MAX_TEXT_LENGTH = 4000;

export const attachmentSchema = z
  .object({
    kind: z.enum(['image', 'file', 'audio', 'video']),
    /** A URL the bot (or an agent) can fetch, when the platform gives one. */
    url: z.string().max(2048).optional(),
    /** A platform file/media id, when the platform gives ids instead of URLs. */
    mediaId: z.string().max(512).optional(),
    name: z.string().max(512).optional(),
    mimeType: z.string().max(128).optional(),
  })
  .strict();
export type Attachment = z.infer<typeof attachmentSchema>;

export const quickReplySchema = z.object({ label: z.string().min(1).max(80), payload: z.string().min(1).max(256) }).strict();
/** A button the customer can press instead of typing; pressing it sends `payload` back as the message. */
export type QuickReply = z.infer<typeof quickReplySchema>;

/** Where a conversation lives: enough to push a message to it later (agent replies, queue updates). */
export interface ConversationRef {
  channel: string;
  conversationId: string;
  userId: string;
  /** Platform-specific routing detail the adapter needs to reply (thread ts, chat id, group id). */
  address?: Record<string, string>;
}

export const inboundSchema = z
  .object({
    channel: z.string().min(1).max(32),
    conversationId: z.string().min(1).max(256),
    userId: z.string().min(1).max(256),
    /** The platform's id for this message; used to drop re-deliveries. */
    platformMessageId: z.string().min(1).max(256).optional(),
    kind: z.enum(['text', 'image', 'file', 'postback', 'event', 'unsupported']).default('text'),
    text: z.string().max(MAX_TEXT_LENGTH).default(''),
    /** Set when the customer pressed a quick reply. */
    payload: z.string().max(256).optional(),
    attachments: z.array(attachmentSchema).max(10).default([]),
    /** A locale hint from the platform (user language setting), used only if the text says nothing. */
    locale: z.enum(LOCALES).optional(),
    address: z.record(z.string(), z.string()).optional(),
    profile: z
      .object({
        name: z.string().max(256).optional(),
        /** Only from a source the channel trusts (the platform, or a web identity the shop signed). */
        email: z.string().max(256).optional(),
        tier: z.string().max(32).optional(),
        /** The channel cannot vouch for who this is (an unverified web visitor): agents see "Visitor #1234". */
        visitor: z.boolean().optional(),
      })
      .strict()
      .optional(),
    receivedAt: z.number().int().nonnegative().optional(),
  })
  .strict();

/** A customer message as the engine sees it, whatever platform it came from. */
export type InboundMessage = z.input<typeof inboundSchema>;
/** An inbound message after validation, with defaults filled in. */
export type ParsedInbound = z.output<typeof inboundSchema>;

/** One message the bot (or an agent) sends to the customer. */
export interface OutboundMessage {
  text: string;
  locale: Locale;
  quickReplies?: QuickReply[];
  attachments?: Attachment[];
  /** Who wrote it: the bot, a human agent, or the system (queue updates). */
  from?: 'bot' | 'agent' | 'system';
}

/** The result of one `engine.handle()` call. */
export interface TurnResult {
  turnId: string;
  /** True when this platform message id was already handled; `replies` is then empty. */
  duplicate: boolean;
  /**
   * On a duplicate: what the first delivery was answered (when still remembered). A request/response
   * channel (the web chat) returns it, since the first response may have been lost on the way back;
   * channels that already sent the first answer through the platform API ignore it.
   */
  previousReplies?: OutboundMessage[];
  replies: OutboundMessage[];
  locale: Locale;
  intent?: { name: string; score: number };
  dialogId?: string;
  /** The turn's messages as committed (the customer's, then the replies), with their seqs: the web chat's cursor. */
  messages?: StoredMessage[];
}

export function conversationKey(ref: { channel: string; conversationId: string }): string {
  return `${ref.channel}:${ref.conversationId}`;
}
