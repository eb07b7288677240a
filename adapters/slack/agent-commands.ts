/**
 * What a staff message in an escalation thread means. Pure. The whole message is the command:
 *   `resolve` · `claim` · `transfer @user` / `transfer <agent id|skill>` · `note: …` or `// …`
 *   (internal, never sent to the customer) · anything else is a reply relayed to the customer.
 * Chinese forms work too: `解决`, `认领`, `转给 …`, `备注：…`.
 */
import type { Attachment } from '../../core';
import { slackTextToPlain } from './normalize';

export type AgentCommand =
  | { kind: 'reply'; text: string }
  | { kind: 'note'; text: string }
  | { kind: 'resolve' }
  | { kind: 'claim' }
  | { kind: 'transfer'; to: { slackUser: string } | { name: string } };

const NOTE = /^(?:note\s*[:：]|备注\s*[:：]|\/\/)\s*/i;
const RESOLVE = /^(?:resolve|resolved|done|解决|已解决)[.!。！]?$/i;
const CLAIM = /^(?:claim|认领)[.!。！]?$/i;
const TRANSFER = /^(?:transfer(?:\s+to)?|转给|转接)\s*(.+)$/i;
const USER_MENTION = /^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$/;

export function parseAgentCommand(raw: string, botUserId?: string): AgentCommand {
  const stripped = (botUserId ? raw.split(`<@${botUserId}>`).join(' ') : raw).trim();
  if (NOTE.test(stripped)) return { kind: 'note', text: slackTextToPlain(stripped.replace(NOTE, '')) };
  if (RESOLVE.test(stripped)) return { kind: 'resolve' };
  if (CLAIM.test(stripped)) return { kind: 'claim' };
  const transfer = TRANSFER.exec(stripped);
  if (transfer?.[1]) {
    const target = transfer[1].trim();
    const mention = USER_MENTION.exec(target);
    if (mention?.[1]) return { kind: 'transfer', to: { slackUser: mention[1] } };
    if (/^[\w.-]{1,64}$/.test(target)) return { kind: 'transfer', to: { name: target.toLowerCase() } };
  }
  return { kind: 'reply', text: slackTextToPlain(stripped) };
}

/** Files a staff member shared in the thread → attachments relayed with the reply. */
export function filesToAttachments(files: ReadonlyArray<{ id: string; name?: string; mimetype?: string; url_private?: string; permalink_public?: string }>): Attachment[] {
  return files.slice(0, 10).map((f) => {
    const mime = f.mimetype ?? '';
    const kind = mime.startsWith('image/') ? 'image' : mime.startsWith('audio/') ? 'audio' : mime.startsWith('video/') ? 'video' : 'file';
    const url = f.permalink_public ?? f.url_private;
    return { kind, mediaId: f.id, ...(url ? { url } : {}), ...(f.name ? { name: f.name.slice(0, 512) } : {}), ...(mime ? { mimeType: mime.slice(0, 128) } : {}) };
  });
}
