/**
 * Core {@link OutboundMessage} → `chat.postMessage` arguments. Quick replies become an `actions`
 * block of buttons (`action_id` `kefu_qr:<i>`, `value` = payload); images become `image` blocks;
 * other attachments become links. `text` is always set (notifications, screen readers).
 */
import type { types } from '@slack/bolt';
import type { OutboundMessage, QuickReply } from '../../core';
import { QUICK_REPLY_ACTION } from './normalize';

/** Slack limits (https://api.slack.com/reference/block-kit). */
export const SECTION_TEXT_MAX = 3000;
export const BUTTONS_PER_ACTIONS_BLOCK = 25;
export const BUTTON_LABEL_MAX = 75;
export const BLOCKS_PER_MESSAGE = 50;

export interface SlackTarget {
  channel: string;
  thread_ts?: string;
}

export interface PostMessageArgs extends SlackTarget {
  text: string;
  blocks?: types.KnownBlock[];
  unfurl_links: boolean;
}

/** Escapes the three characters Slack reserves for its markup (https://api.slack.com/reference/surfaces/formatting). */
export function escapeSlackText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function renderMessage(message: OutboundMessage, target: SlackTarget): PostMessageArgs {
  const text = escapeSlackText(message.text);
  const links = (message.attachments ?? []).filter((a) => a.kind !== 'image' && a.url).map((a) => `<${a.url}|${escapeSlackText(a.name ?? a.kind)}>`);
  const fullText = [text, ...links].filter(Boolean).join('\n');
  const images = (message.attachments ?? []).filter((a) => a.kind === 'image' && a.url);
  const replies = message.quickReplies ?? [];
  const base: PostMessageArgs = { channel: target.channel, ...(target.thread_ts ? { thread_ts: target.thread_ts } : {}), text: fullText || ' ', unfurl_links: false };
  if (!images.length && !replies.length) return base;

  const blocks: types.KnownBlock[] = [];
  for (let i = 0; i < fullText.length; i += SECTION_TEXT_MAX) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: fullText.slice(i, i + SECTION_TEXT_MAX), verbatim: true } });
  }
  for (const image of images) blocks.push({ type: 'image', image_url: image.url ?? '', alt_text: (image.name ?? 'image').slice(0, 2000) });
  for (let i = 0; i < replies.length; i += BUTTONS_PER_ACTIONS_BLOCK) {
    blocks.push(renderButtons(replies.slice(i, i + BUTTONS_PER_ACTIONS_BLOCK), i));
  }
  return { ...base, blocks: blocks.slice(0, BLOCKS_PER_MESSAGE) };
}

function renderButtons(replies: QuickReply[], offset: number): types.ActionsBlock {
  return {
    type: 'actions',
    block_id: `${QUICK_REPLY_ACTION}_${offset}`,
    elements: replies.map((r, i) => ({
      type: 'button',
      action_id: `${QUICK_REPLY_ACTION}:${offset + i}`,
      text: { type: 'plain_text', text: truncate(r.label, BUTTON_LABEL_MAX), emoji: true },
      value: r.payload,
    })),
  };
}

/**
 * The message after a quick reply was pressed: the same blocks without the buttons, plus a context
 * line with the chosen label, so a button cannot be pressed twice.
 */
export function renderPressed(blocks: readonly unknown[], label: string): types.KnownBlock[] {
  const kept = blocks.filter((b): b is types.KnownBlock => isBlock(b) && b.type !== 'actions');
  return [...kept, { type: 'context', elements: [{ type: 'plain_text', text: `→ ${truncate(label, 150)}`, emoji: true }] }];
}

function isBlock(b: unknown): b is { type: string } {
  return typeof b === 'object' && b !== null && typeof (b as { type?: unknown }).type === 'string';
}

function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}
