/**
 * bolt's and the WebClient's logger, routed to kefu's pino logger. Only the SDK's own string
 * messages pass (no objects: bolt's debug output can hold request bodies with message text).
 */
import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import type { Logger } from '../../core';

export function createSdkLogger(log: Logger): BoltLogger {
  const child = log.child({ sdk: 'slack' });
  let level: LogLevel = LogLevel.INFO;
  const strings = (args: unknown[]) =>
    args
      .filter((a): a is string | number => typeof a === 'string' || typeof a === 'number')
      .join(' ')
      .slice(0, 300);
  return {
    debug() {},
    info(...args: unknown[]) {
      if (level === LogLevel.INFO || level === LogLevel.DEBUG) child.info({}, strings(args));
    },
    warn(...args: unknown[]) {
      if (level !== LogLevel.ERROR) child.warn({}, strings(args));
    },
    error(...args: unknown[]) {
      child.error({ errName: args.find((a): a is Error => a instanceof Error)?.name }, strings(args));
    },
    setLevel(l: LogLevel) {
      level = l;
    },
    getLevel: () => level,
    setName() {},
  };
}
