import pino from 'pino';

/** The logger shape core reads (pino's, structurally), so tests may pass their own. */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

/** Info and debug lines wait in memory up to this many bytes … */
const LOG_BUFFER_BYTES = 4096;
/** … or this long, then go to stdout in one write. */
const LOG_FLUSH_MS = 250;
/** pino's level number of `warn`: such lines, and everything before them, are written at once. */
const WARN_LEVEL = 40;

/**
 * A pino logger. Kefu logs ids, intents, scores and codes, never message text or names.
 * On stdout (no `destination`), lines are buffered: one write per 4 KiB or 250 ms instead of one per
 * line (each turn's line was a write handed to libuv's thread pool and a wake-up of the event loop:
 * about a fifth of a turn's CPU in-process at concurrency 1, docs/performance.md). Warnings and
 * errors flush the buffer at once, and so does the process's exit; a kill -9 loses at most the last
 * 250 ms of info lines.
 */
export function createLogger(level = 'info', destination?: NodeJS.WritableStream): Logger {
  const opts = { level, base: { app: 'kefu' }, redact: ['text', 'message.text', 'profile', 'email', 'phone'] };
  if (destination) return pino(opts, destination as pino.DestinationStream);
  const stdout = pino.destination({ dest: 1, minLength: LOG_BUFFER_BYTES, periodicFlush: LOG_FLUSH_MS, sync: false });
  const flushAfterWarnings = {
    logMethod(this: pino.Logger, args: Parameters<pino.LogFn>, method: pino.LogFn, levelNumber: number) {
      method.apply(this, args);
      if (levelNumber >= WARN_LEVEL) stdout.flush();
    },
  };
  return pino({ ...opts, hooks: flushAfterWarnings }, stdout);
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
