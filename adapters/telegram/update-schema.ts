/**
 * zod schemas for the parts of a Telegram Bot API `Update` the adapter reads
 * (https://core.telegram.org/bots/api#update). Unknown fields are allowed: Telegram adds new ones
 * in every Bot API version, and a newer field must never turn a real update into a 400.
 */
import { z } from 'zod';

const int = z.number().int();

export const userSchema = z.object({
  id: int,
  is_bot: z.boolean(),
  first_name: z.string(),
  last_name: z.string().optional(),
  username: z.string().optional(),
  language_code: z.string().optional(),
});
export type TgUser = z.infer<typeof userSchema>;

export const chatSchema = z.object({
  id: int,
  type: z.enum(['private', 'group', 'supergroup', 'channel']),
  is_forum: z.boolean().optional(),
});
export type TgChat = z.infer<typeof chatSchema>;

const entitySchema = z.object({
  type: z.string(),
  offset: int.nonnegative(),
  length: int.nonnegative(),
  user: userSchema.optional(),
});
export type TgEntity = z.infer<typeof entitySchema>;

const fileId = z.string().min(1).max(512);

const photoSizeSchema = z.object({ file_id: fileId, file_unique_id: z.string(), width: int, height: int, file_size: int.optional() });

const fileSchema = z.object({ file_id: fileId, file_name: z.string().optional(), mime_type: z.string().optional(), file_size: int.optional() });

const buttonSchema = z.object({ text: z.string(), callback_data: z.string().optional() });

/** A message, loose so that the names of content fields we do not read (sticker, location…) survive parsing. */
export const messageSchema = z.looseObject({
  message_id: int,
  from: userSchema.optional(),
  chat: chatSchema,
  date: int,
  message_thread_id: int.optional(),
  is_topic_message: z.boolean().optional(),
  text: z.string().optional(),
  entities: z.array(entitySchema).optional(),
  caption: z.string().optional(),
  caption_entities: z.array(entitySchema).optional(),
  photo: z.array(photoSizeSchema).min(1).optional(),
  document: fileSchema.optional(),
  voice: fileSchema.optional(),
  audio: fileSchema.optional(),
  video: fileSchema.optional(),
  video_note: fileSchema.optional(),
  animation: fileSchema.optional(),
  reply_to_message: z.object({ message_id: int, from: userSchema.optional() }).optional(),
  reply_markup: z.object({ inline_keyboard: z.array(z.array(buttonSchema)) }).optional(),
});
export type TgMessage = z.infer<typeof messageSchema>;

export const callbackQuerySchema = z.object({
  id: z.string().min(1),
  from: userSchema,
  /** Absent for buttons on inline-mode messages, or when the message is too old. */
  message: messageSchema.optional(),
  inline_message_id: z.string().optional(),
  chat_instance: z.string(),
  data: z.string().optional(),
  game_short_name: z.string().optional(),
});
export type TgCallbackQuery = z.infer<typeof callbackQuerySchema>;

export const updateSchema = z.looseObject({
  update_id: int.nonnegative(),
  message: messageSchema.optional(),
  callback_query: callbackQuerySchema.optional(),
});
export type TgUpdate = z.infer<typeof updateSchema>;

/**
 * Message fields of service messages (members joining, pins, payments, topics…): these are not
 * something a customer said, so they get no answer. Any other message without text, photo or
 * document (sticker, location, voice, a content type newer than this list…) is answered as
 * 'unsupported'.
 */
export const SERVICE_FIELDS: ReadonlySet<string> = new Set([
  'new_chat_members',
  'left_chat_member',
  'new_chat_title',
  'new_chat_photo',
  'delete_chat_photo',
  'group_chat_created',
  'supergroup_chat_created',
  'channel_chat_created',
  'message_auto_delete_timer_changed',
  'migrate_to_chat_id',
  'migrate_from_chat_id',
  'pinned_message',
  'successful_payment',
  'refunded_payment',
  'users_shared',
  'chat_shared',
  'connected_website',
  'write_access_allowed',
  'passport_data',
  'proximity_alert_triggered',
  'boost_added',
  'chat_background_set',
  'forum_topic_created',
  'forum_topic_edited',
  'forum_topic_closed',
  'forum_topic_reopened',
  'general_forum_topic_hidden',
  'general_forum_topic_unhidden',
  'giveaway_created',
  'giveaway_completed',
  'giveaway_winners',
  'video_chat_scheduled',
  'video_chat_started',
  'video_chat_ended',
  'video_chat_participants_invited',
  'web_app_data',
]);
