/**
 * A wechaty message, read into plain facts by the channel, → core InboundMessage. Pure, zod at the
 * edge. Direct chats are one conversation per contact; in a group (room) each member has their own
 * conversation, and the bot only listens when it is @-mentioned.
 */
import { types } from 'wechaty';
import { z } from 'zod';
import { type InboundMessage, KefuError } from '../../core';

const factsSchema = z.object({
  id: z.string().min(1).max(256),
  type: z.number().int(),
  /** The text, with the @bot mention already removed in rooms. */
  text: z.string(),
  talkerId: z.string().min(1).max(120),
  talkerName: z.string().max(256).optional(),
  roomId: z.string().min(1).max(120).optional(),
  mentionedSelf: z.boolean(),
  self: z.boolean(),
  ageSeconds: z.number(),
});
export type WechatyMessageFacts = z.infer<typeof factsSchema>;

const UNSUPPORTED: ReadonlySet<number> = new Set([
  types.Message.Attachment,
  types.Message.Audio,
  types.Message.Contact,
  types.Message.ChatHistory,
  types.Message.Emoticon,
  types.Message.Location,
  types.Message.MiniProgram,
  types.Message.GroupNote,
  types.Message.Transfer,
  types.Message.RedEnvelope,
  types.Message.Url,
  types.Message.Video,
  types.Message.Post,
]);

export type NormalizedWechaty = { type: 'message'; inbound: InboundMessage } | { type: 'ignored'; reason: string };

/** Throws KEFU_ERR_ADAPTER_PAYLOAD when the facts are malformed. */
export function normalizeWechatyMessage(raw: unknown, opts: { channel: string; maxAgeSeconds: number }): NormalizedWechaty {
  const parsed = factsSchema.safeParse(raw);
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => `${i.path.join('.') || '(message)'}: ${i.message}`);
    throw new KefuError('KEFU_ERR_ADAPTER_PAYLOAD', `wechaty message is invalid: ${details.join('; ')}`, { details });
  }
  const m = parsed.data;
  if (m.self) return { type: 'ignored', reason: 'sent by the bot itself' };
  if (m.ageSeconds > opts.maxAgeSeconds) return { type: 'ignored', reason: 'older than maxAgeSeconds (replayed history)' };
  if (m.roomId && !m.mentionedSelf) return { type: 'ignored', reason: 'room message without an @-mention of the bot' };

  const address: Record<string, string> = { contactId: m.talkerId };
  if (m.roomId) address.roomId = m.roomId;
  const base = {
    channel: opts.channel,
    conversationId: m.roomId ? `${m.roomId}/${m.talkerId}` : m.talkerId,
    userId: m.talkerId,
    platformMessageId: m.id,
    address,
    ...(m.talkerName ? { profile: { name: m.talkerName } } : {}),
  };
  if (m.type === types.Message.Text) return { type: 'message', inbound: { ...base, kind: 'text', text: m.text } };
  if (m.type === types.Message.Image) return { type: 'message', inbound: { ...base, kind: 'image', attachments: [{ kind: 'image', mediaId: m.id }] } };
  if (UNSUPPORTED.has(m.type)) return { type: 'message', inbound: { ...base, kind: 'unsupported' } };
  return { type: 'ignored', reason: `message type ${types.Message[m.type] ?? m.type}` };
}
