/**
 * WeChat Official Account / WeCom callbacks: on when WECHAT_TOKEN is set. With WECHAT_APP_ID and
 * WECHAT_APP_SECRET the channel also uses the customer-service API (several replies, quick-reply
 * menus, late replies, agent messages); WECHAT_ENCODING_AES_KEY switches on safe (encrypted) mode.
 * The webhook is mounted at /webhooks/wechat; set it as the server URL in the WeChat console.
 */
import { createWechatChannel } from '../adapters/wechat';
import type { ChannelWiring } from './channels';

export const wireWechat: ChannelWiring = async (config, log) => {
  if (!config.WECHAT_TOKEN) return { off: 'set WECHAT_TOKEN (and WECHAT_APP_ID, WECHAT_APP_SECRET, optionally WECHAT_ENCODING_AES_KEY) to enable' };
  const channel = createWechatChannel({
    token: config.WECHAT_TOKEN,
    appId: config.WECHAT_APP_ID,
    appSecret: config.WECHAT_APP_SECRET,
    encodingAESKey: config.WECHAT_ENCODING_AES_KEY,
    apiBase: config.WECHAT_API_BASE,
    log,
  });
  const api = config.WECHAT_APP_ID && config.WECHAT_APP_SECRET;
  log.info(
    { channel: 'wechat', mode: config.WECHAT_ENCODING_AES_KEY ? 'safe' : 'plain', replies: api ? 'passive + customer-service API' : 'passive only', path: channel.webhookPath },
    api ? 'wechat callbacks configured' : 'wechat callbacks configured without WECHAT_APP_SECRET: one passive reply per message, no pushes',
  );
  return channel;
};
