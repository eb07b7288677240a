/**
 * Personal WeChat accounts and groups through wechaty: on when WECHATY_PUPPET names a puppet module
 * (e.g. wechaty-puppet-service with WECHATY_PUPPET_TOKEN, or wechaty-puppet-wechat4u). On start the
 * log shows a QR code URL; scan it with the bot's WeChat account. WECHATY_NAME names the login session.
 */
import type { ChannelWiring } from './channels';

export const wireWechaty: ChannelWiring = async (config, log) => {
  if (!config.WECHATY_PUPPET) return { off: 'set WECHATY_PUPPET (e.g. wechaty-puppet-service, with WECHATY_PUPPET_TOKEN) to enable' };
  // Loaded only when switched on: wechaty alone adds about a second to every start-up.
  const { createWechatyChannel } = require('../adapters/wechaty') as typeof import('../adapters/wechaty');
  return createWechatyChannel({
    puppetName: config.WECHATY_PUPPET,
    ...(config.WECHATY_PUPPET_TOKEN ? { puppetOptions: { token: config.WECHATY_PUPPET_TOKEN } } : {}),
    name: config.WECHATY_NAME,
    log,
  });
};
