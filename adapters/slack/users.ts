/**
 * Who wrote: `users.info` (with `include_locale`) gives the customer's Slack language and name.
 * Cached per user; a failed lookup (missing `users:read` scope, outage) is cached briefly and the
 * turn goes on without the hint.
 */
import { z } from 'zod';
import type { Locale, Logger } from '../../core';
import { classifySlackError } from './errors';

const userInfo = z.looseObject({
  ok: z.literal(true),
  user: z.looseObject({
    locale: z.string().max(32).optional(),
    real_name: z.string().max(256).optional(),
    profile: z.looseObject({ display_name: z.string().max(256).optional(), real_name: z.string().max(256).optional() }).optional(),
  }),
});

export interface SlackUser {
  locale?: Locale;
  name?: string;
}

export interface UsersInfoClient {
  users: { info(args: { user: string; include_locale: boolean }): Promise<unknown> };
}

export interface UserDirectory {
  lookup(userId: string): Promise<SlackUser>;
}

export function createUserDirectory(opts: { client: UsersInfoClient; log: Logger; now: () => number; ttlMs?: number; failureTtlMs?: number; max?: number }): UserDirectory {
  const ttl = opts.ttlMs ?? 60 * 60_000;
  const failureTtl = opts.failureTtlMs ?? 5 * 60_000;
  const max = opts.max ?? 5000;
  const cache = new Map<string, { user: SlackUser; until: number }>();
  return {
    async lookup(userId) {
      const hit = cache.get(userId);
      if (hit && hit.until > opts.now()) return hit.user;
      let user: SlackUser = {};
      let until = opts.now() + ttl;
      try {
        const parsed = userInfo.safeParse(await opts.client.users.info({ user: userId, include_locale: true }));
        if (parsed.success) user = toUser(parsed.data.user);
      } catch (err) {
        const failure = classifySlackError(err, 'users.info');
        opts.log.warn({ code: failure.error.code, reason: failure.reason }, 'slack users.info failed; no locale hint');
        until = opts.now() + failureTtl;
      }
      cache.delete(userId);
      cache.set(userId, { user, until });
      if (cache.size > max) cache.delete(cache.keys().next().value as string);
      return user;
    },
  };
}

function toUser(u: z.infer<typeof userInfo>['user']): SlackUser {
  const lang = u.locale?.slice(0, 2).toLowerCase();
  const locale: Locale | undefined = lang === 'zh' ? 'zh' : lang === 'en' ? 'en' : undefined;
  const name = u.profile?.display_name || u.real_name || u.profile?.real_name;
  return { ...(locale ? { locale } : {}), ...(name ? { name } : {}) };
}
