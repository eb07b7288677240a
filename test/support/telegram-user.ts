/**
 * A simulated Telegram user talking to the bot through the local server: each action becomes the
 * update Telegram would produce (message with entities, photo sizes, document, sticker, location,
 * callback_query carrying the bot message whose button was pressed).
 */
import type { Chat, Delivery, TelegramServer } from './telegram-server';
import type { BotMessage } from './telegram-server-methods';

export interface TelegramUserOptions {
  id?: number;
  firstName?: string;
  languageCode?: string;
  /** The chat the user writes in; default their private chat with the bot. */
  chat?: Chat;
}

export interface TelegramUser {
  readonly user: { id: number; is_bot: false; first_name: string; language_code?: string };
  readonly chat: Chat;
  /** update_id of the last update this user caused. */
  readonly lastUpdateId: number;
  say(text: string, extra?: Record<string, unknown>): Promise<Delivery>;
  sendPhoto(caption?: string): Promise<Delivery>;
  sendDocument(fileName: string, mimeType: string, caption?: string): Promise<Delivery>;
  sendSticker(): Promise<Delivery>;
  sendLocation(): Promise<Delivery>;
  /** Any message fields (voice, contact, ...). */
  send(fields: Record<string, unknown>): Promise<Delivery>;
  /** Presses the button with this label on the latest bot message in the chat that has it. */
  press(label: string): Promise<Delivery>;
  /** Presses a button by its callback_data, like a (modified) client could. */
  pressData(data: string, message?: BotMessage): Promise<Delivery>;
}

let queryCounter = 0;

export function createTelegramUser(server: TelegramServer, opts: TelegramUserOptions = {}): TelegramUser {
  const id = opts.id ?? 1001;
  const user = { id, is_bot: false as const, first_name: opts.firstName ?? 'Ada', ...(opts.languageCode ? { language_code: opts.languageCode } : {}) };
  const chat: Chat = opts.chat ?? { id, type: 'private', first_name: user.first_name };
  server.knowChat(chat);
  let lastUpdateId = 0;

  const push = async (update: Record<string, unknown>) => {
    const d = await server.pushUpdate(update);
    lastUpdateId = d.updateId;
    return d;
  };
  const message = (fields: Record<string, unknown>) => ({
    message_id: server.newMessageId(chat.id),
    from: user,
    chat,
    date: Math.floor(Date.now() / 1000),
    ...fields,
  });
  const file = (name: string, bytes = 64) => server.addFile(Buffer.alloc(bytes, 7), name);

  return {
    user,
    chat,
    get lastUpdateId() {
      return lastUpdateId;
    },
    say: (text, extra = {}) => push({ message: message({ text, ...entitiesOf(text), ...extra }) }),
    sendPhoto(caption) {
      const sizes = [90, 320, 1280].map((w, i) => ({
        file_id: file(`photos/file_${id}_${w}_${i}.jpg`, w),
        file_unique_id: `AQAD${w}${i}`,
        width: w,
        height: Math.round(w * 0.75),
        file_size: w,
      }));
      return push({ message: message({ photo: sizes, ...(caption ? { caption } : {}) }) });
    },
    sendDocument(fileName, mimeType, caption) {
      const doc = { file_id: file(`documents/${fileName}`, 300), file_unique_id: 'AgADdoc', file_name: fileName, mime_type: mimeType, file_size: 300 };
      return push({ message: message({ document: doc, ...(caption ? { caption } : {}) }) });
    },
    sendSticker: () =>
      push({
        message: message({
          sticker: { file_id: 'CAACstk', file_unique_id: 'AgADstk', type: 'regular', width: 512, height: 512, is_animated: false, is_video: false, emoji: '👍' },
        }),
      }),
    sendLocation: () => push({ message: message({ location: { latitude: 31.2304, longitude: 121.4737 } }) }),
    send: (fields) => push({ message: message(fields) }),
    press(label) {
      const found = [...server.botMessages(chat.id)].reverse().find((m) => m.reply_markup?.inline_keyboard.flat().some((b) => b.text === label));
      const button = found?.reply_markup?.inline_keyboard.flat().find((b) => b.text === label);
      if (!found || button?.callback_data === undefined) throw new Error(`no bot message in chat ${chat.id} has a button "${label}"`);
      return this.pressData(button.callback_data, found);
    },
    pressData(data, onMessage) {
      const target = onMessage ?? server.botMessages(chat.id).at(-1);
      queryCounter += 1;
      const queryId = `${id}${String(queryCounter).padStart(6, '0')}`;
      server.registerCallbackQuery(queryId);
      return push({ callback_query: { id: queryId, from: user, chat_instance: `-${chat.id}77`, data, ...(target ? { message: target } : {}) } });
    },
  };
}

/** Telegram marks /commands and @mentions with entities. */
function entitiesOf(text: string): { entities?: Array<{ type: string; offset: number; length: number }> } {
  const entities: Array<{ type: string; offset: number; length: number }> = [];
  for (const m of text.matchAll(/(^|\s)(\/[a-z0-9_]+(@[A-Za-z0-9_]+)?|@[A-Za-z0-9_]{5,})/g)) {
    const token = m[2] ?? '';
    const offset = (m.index ?? 0) + (m[1]?.length ?? 0);
    entities.push({ type: token.startsWith('/') ? 'bot_command' : 'mention', offset, length: token.length });
  }
  return entities.length ? { entities } : {};
}
