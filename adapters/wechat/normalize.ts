/**
 * WeChat callback XML (already parsed into a record) → core InboundMessage. Pure; zod at the edge.
 * text / image / event(subscribe, CLICK) are understood; voice, video, location, link and files
 * become kind 'unsupported' so the bot can answer politely; other events are ignored.
 */
import { z } from 'zod';
import { type InboundMessage, KefuError } from '../../core';

const numeric = z.string().regex(/^\d{1,20}$/, { error: 'must be a decimal number' });
const envelope = z.object({
  ToUserName: z.string().min(1).max(128),
  FromUserName: z.string().min(1).max(128),
  CreateTime: numeric,
  MsgType: z.string().min(1).max(32),
});
const textMsg = envelope.extend({ MsgType: z.literal('text'), Content: z.string().max(8192), MsgId: numeric, bizmsgmenuid: z.string().max(64).optional() });
const imageMsg = envelope.extend({ MsgType: z.literal('image'), PicUrl: z.string().max(2048).optional(), MediaId: z.string().max(512).optional(), MsgId: numeric });
const otherMsg = envelope.extend({ MsgId: numeric });
const eventMsg = envelope.extend({ MsgType: z.literal('event'), Event: z.string().min(1).max(64), EventKey: z.string().max(256).optional() });

const UNSUPPORTED = new Set(['voice', 'video', 'shortvideo', 'location', 'link', 'file', 'miniprogrampage']);

export interface NormalizeOptions {
  channel: string;
  /** Payload sent for a new follower (`subscribe` event); default asks for the greeting intent. */
  subscribePayload?: string;
}

export type NormalizedCallback =
  | { type: 'message'; inbound: InboundMessage; dedupeKey: string; openId: string; account: string; menuItemId?: string }
  | { type: 'ignored'; reason: string };

export const DEFAULT_SUBSCRIBE_PAYLOAD = 'intent:greeting';

/** Throws KEFU_ERR_ADAPTER_PAYLOAD naming the bad fields. */
export function normalizeWechatMessage(fields: Record<string, unknown>, opts: NormalizeOptions): NormalizedCallback {
  const env = parse(envelope, fields);
  const base = {
    channel: opts.channel,
    conversationId: env.FromUserName,
    userId: env.FromUserName,
    address: { openId: env.FromUserName, account: env.ToUserName },
    receivedAt: Number(env.CreateTime) * 1000,
  };
  const out = (inbound: InboundMessage, dedupeKey: string, menuItemId?: string): NormalizedCallback => ({
    type: 'message',
    inbound: { ...inbound, platformMessageId: dedupeKey },
    dedupeKey,
    openId: env.FromUserName,
    account: env.ToUserName,
    ...(menuItemId ? { menuItemId } : {}),
  });

  switch (env.MsgType) {
    case 'text': {
      const m = parse(textMsg, fields);
      return out({ ...base, kind: 'text', text: m.Content }, m.MsgId, m.bizmsgmenuid || undefined);
    }
    case 'image': {
      const m = parse(imageMsg, fields);
      const attachment = { kind: 'image' as const, ...(m.PicUrl ? { url: m.PicUrl } : {}), ...(m.MediaId ? { mediaId: m.MediaId } : {}) };
      return out({ ...base, kind: 'image', attachments: [attachment] }, m.MsgId);
    }
    case 'event':
      return normalizeEvent(parse(eventMsg, fields), base, opts, out);
    default: {
      if (!UNSUPPORTED.has(env.MsgType)) return { type: 'ignored', reason: `message type ${env.MsgType}` };
      const m = parse(otherMsg, fields);
      return out({ ...base, kind: 'unsupported' }, m.MsgId);
    }
  }
}

function normalizeEvent(
  m: z.infer<typeof eventMsg>,
  base: Omit<InboundMessage, 'kind'>,
  opts: NormalizeOptions,
  out: (inbound: InboundMessage, dedupeKey: string) => NormalizedCallback,
): NormalizedCallback {
  const key = `event:${m.FromUserName}:${m.CreateTime}:${m.Event}`;
  if (m.Event === 'subscribe') return out({ ...base, kind: 'event', payload: opts.subscribePayload ?? DEFAULT_SUBSCRIBE_PAYLOAD }, key);
  if (m.Event === 'CLICK') {
    if (!m.EventKey) throw new KefuError('KEFU_ERR_ADAPTER_PAYLOAD', 'WeChat CLICK event without EventKey; give the menu button a key in the WeChat console.');
    return out({ ...base, kind: 'postback', payload: m.EventKey }, key);
  }
  return { type: 'ignored', reason: `event ${m.Event}` };
}

function parse<T extends z.ZodType>(schema: T, fields: Record<string, unknown>): z.infer<T> {
  const r = schema.safeParse(fields);
  if (r.success) return r.data;
  const details = r.error.issues.map((i) => `${i.path.join('.') || '(xml)'}: ${i.message}`);
  throw new KefuError('KEFU_ERR_ADAPTER_PAYLOAD', `WeChat message is invalid: ${details.join('; ')}`, { details });
}
