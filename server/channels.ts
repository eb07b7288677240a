/**
 * Which platform channels run: each wiring reads its variables from config and returns a channel,
 * or undefined (with the reason) when its variables are absent, so start-up says so in one line.
 */
import type { Channel, Config, Logger } from '../core';
import { wireSlack } from './wire-slack';
import { wireTelegram } from './wire-telegram';
import { wireWechat } from './wire-wechat';
import { wireWechaty } from './wire-wechaty';

export type ChannelWiring = (config: Readonly<Config>, log: Logger) => Promise<Channel | { off: string }>;

/** Platform wirings, in start-up order. Each adapter adds one line here (server/wire-<platform>.ts). */
export const CHANNEL_WIRINGS: ReadonlyArray<{ name: string; wire: ChannelWiring }> = [
  { name: 'telegram', wire: wireTelegram },
  { name: 'slack', wire: wireSlack },
  { name: 'wechat', wire: wireWechat },
  { name: 'wechaty', wire: wireWechaty },
];

export async function buildPlatformChannels(config: Readonly<Config>, log: Logger): Promise<Channel[]> {
  const channels: Channel[] = [];
  for (const { name, wire } of CHANNEL_WIRINGS) {
    const result = await wire(config, log);
    if ('off' in result) log.info({ channel: name }, `${name} adapter off: ${result.off}`);
    else {
      channels.push(result);
      log.info({ channel: name }, `${name} adapter on`);
    }
  }
  return channels;
}
