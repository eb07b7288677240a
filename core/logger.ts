import pino from 'pino';

/** The logger shape core reads (pino's, structurally), so tests may pass their own. */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

/** A pino logger. Kefu logs ids, intents, scores and codes, never message text or names. */
export function createLogger(level = 'info', destination?: NodeJS.WritableStream): Logger {
  const opts = { level, base: { app: 'kefu' }, redact: ['text', 'message.text', 'profile', 'email', 'phone'] };
  return destination ? pino(opts, destination as pino.DestinationStream) : pino(opts);
}

/** A logger that drops everything (tests, CLI). */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child() {
    return silentLogger;
  },
};
