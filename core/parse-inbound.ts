import { KefuError } from './errors';
import { inboundSchema, MAX_TEXT_LENGTH, type ParsedInbound } from './model';

// C0/C1 control characters except tab and newline; they break logs and some platforms' renderers.
// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** Validates an inbound message against the model and cleans its text. Throws a coded error. */
export function parseInbound(raw: unknown): ParsedInbound {
  if (raw && typeof raw === 'object' && typeof (raw as { text?: unknown }).text === 'string') {
    const length = (raw as { text: string }).text.length;
    if (length > MAX_TEXT_LENGTH) {
      throw new KefuError('KEFU_ERR_MESSAGE_TOO_LARGE', `text is ${length} characters; the limit is ${MAX_TEXT_LENGTH}. Split the message or shorten it.`);
    }
  }
  const parsed = inboundSchema.safeParse(raw);
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => `${i.path.join('.') || '(message)'}: ${i.message}`);
    throw new KefuError('KEFU_ERR_MESSAGE_INVALID', `Inbound message is invalid: ${details.join('; ')}`, { details });
  }
  const msg = parsed.data;
  msg.text = msg.text.replace(CONTROL, '').normalize('NFC').trim();
  return msg;
}
