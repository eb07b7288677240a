/**
 * A story's customer on the web chat, as the page is: `POST /api/web/messages` with the
 * conversation token the first answer gave, and `GET /api/web/messages?after=` for everything the
 * conversation shows (the bot's answers and what agents pushed). What arrives waits, unread, for
 * the story's checks.
 */
import type { InjectRequest, StoryApp } from './story-app';
import type { Speaker, StoryLocale, TranscriptLine } from './story';

export interface SeenMessage {
  seq: number;
  from: Speaker;
  text: string;
  quickReplies: ReadonlyArray<{ label: string; payload: string }>;
}

interface PostAnswer {
  conversationToken?: string;
  replies?: unknown[];
  messages?: Array<{ seq: number; from: string }>;
  error?: { code: string; message: string };
}

interface HistoryAnswer {
  cursor: number;
  more: boolean;
  messages: Array<{ seq: number; from: string; text: string; quickReplies?: Array<{ label: string; payload: string }> }>;
}

/** An HTTP answer the story did not expect (a refused request): the step fails with it. */
export class UnexpectedAnswer extends Error {}

function parseJson<T>(body: string): T {
  try {
    return JSON.parse(body) as T;
  } catch {
    return {} as T;
  }
}

function errorText(status: number, body: string): string {
  const error = parseJson<{ error?: { code?: string; message?: string } }>(body).error;
  return `HTTP ${status}${error ? ` ${error.code}: ${error.message}` : ` ${body.slice(0, 200)}`}`;
}

export interface WebCustomer {
  readonly key: string;
  /** Messages arrived and not yet matched by a check, oldest first. */
  readonly unread: SeenMessage[];
  /** The buttons on screen: those of the latest message that had any. */
  buttons(): ReadonlyArray<{ label: string; payload: string }>;
  say(text: string, payload?: string): Promise<{ replies: number; seq?: number }>;
  /** Fetches what the conversation shows after the last message fetched. */
  sync(): Promise<void>;
}

export function createWebCustomer(app: StoryApp, conversationId: string, remoteAddress: string, locale: StoryLocale | undefined, transcript: TranscriptLine[]): WebCustomer {
  let token: string | undefined;
  let cursor = 0;
  let buttons: SeenMessage['quickReplies'] = [];
  const unread: SeenMessage[] = [];
  const call = (req: Omit<InjectRequest, 'remoteAddress'>) =>
    app.http.inject({ ...req, remoteAddress, headers: { ...req.headers, ...(token ? { authorization: `Bearer ${token}` } : {}) } });

  const take = (m: HistoryAnswer['messages'][number]) => {
    if (m.from === 'customer' || m.from === 'note') return;
    const seen: SeenMessage = { seq: m.seq, from: m.from as Speaker, text: m.text, quickReplies: m.quickReplies ?? [] };
    if (seen.quickReplies.length) buttons = seen.quickReplies;
    unread.push(seen);
    const labels = seen.quickReplies.length ? `  [${seen.quickReplies.map((q) => q.label).join('] [')}]` : '';
    transcript.push({ who: seen.from, text: `${seen.text}${labels}` });
  };

  return {
    key: `web:${conversationId}`,
    unread,
    buttons: () => buttons,
    async say(text, payload) {
      transcript.push({ who: 'customer', text: payload ? `${text} (presses ${payload})` : text });
      const res = await call({ method: 'POST', url: '/api/web/messages', payload: { conversationId, text, ...(payload ? { payload } : {}), ...(locale ? { locale } : {}) } });
      if (res.statusCode !== 200) throw new UnexpectedAnswer(`POST /api/web/messages answered ${errorText(res.statusCode, res.body)}`);
      const answer = parseJson<PostAnswer>(res.body);
      token ??= answer.conversationToken;
      const seq = answer.messages?.find((m) => m.from === 'customer')?.seq;
      await this.sync();
      return { replies: answer.replies?.length ?? 0, ...(seq === undefined ? {} : { seq }) };
    },
    async sync() {
      if (!token) return; // no conversation yet: nothing to show
      for (;;) {
        const res = await call({ method: 'GET', url: `/api/web/messages?conversationId=${encodeURIComponent(conversationId)}&after=${cursor}` });
        if (res.statusCode !== 200) throw new UnexpectedAnswer(`GET /api/web/messages answered ${errorText(res.statusCode, res.body)}`);
        const page = parseJson<HistoryAnswer>(res.body);
        for (const m of page.messages) take(m);
        cursor = page.cursor;
        if (!page.more) return;
      }
    },
  };
}
