import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

export interface CreateLoggerOptions {
  /** Component name, logged as `name` on every line. */
  name?: string;
  /** pino's level (default info). The caller passes it: the worker's env module reads LOG_LEVEL, this package reads no environment. */
  level?: string;
  /** Pretty, human-readable lines (default: when stderr is a terminal). */
  pretty?: boolean;
  /** Where JSON lines go instead of stderr (tests read them). */
  destination?: NodeJS.WritableStream;
}

/** The longest text logged for one field of an error (message, stack, query). */
export const MAX_ERROR_TEXT = 2000;

/**
 * Errors as pino logs them, bounded: drizzle's query errors carry the SQL and every parameter (for
 * a feed's batch, megabytes per line; issue #14). Parameters are dropped and long texts cut, and
 * the cause is kept as an error of its own (pino's default appends it to a message cut here).
 */
export function serializeError(error: unknown, depth = 0): unknown {
  const cut = (value: unknown): unknown =>
    typeof value === 'string' && value.length > MAX_ERROR_TEXT ? `${value.slice(0, MAX_ERROR_TEXT)}… (${value.length} characters)` : value;
  if (!(error instanceof Error)) return cut(error);
  const out: Record<string, unknown> = {
    type: error.constructor?.name ?? error.name,
    message: cut(error.message),
    stack: cut(error.stack),
  };
  for (const [key, value] of Object.entries(error)) {
    if (key === 'params' || key === 'cause' || key in out) continue;
    out[key] =
      value instanceof Error
        ? serializeError(value, depth + 1)
        : typeof value === 'object' && value !== null
          ? cut(JSON.stringify(value))
          : cut(value);
  }
  if (error.cause !== undefined && depth < 4) out.cause = serializeError(error.cause, depth + 1);
  return out;
}

/**
 * One logger per process: JSON lines on stderr under pipes and services (systemd, containers),
 * pretty on a terminal.
 * Logs go to stderr so commands keep stdout for their output (`score`, `digest preview`).
 */
export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const level = options.level ?? 'info';
  const pretty = options.pretty ?? process.stderr.isTTY === true;
  const base: LoggerOptions = {
    name: options.name ?? 'signpost',
    level,
    redact: { paths: ['token', '*.token', 'authorization', '*.authorization', 'password', '*.password'], censor: '[redacted]' },
    serializers: { err: (e: unknown) => serializeError(e), error: (e: unknown) => serializeError(e) },
  };
  if (options.destination) return pino(base, options.destination);
  if (pretty) {
    return pino({
      ...base,
      transport: { target: 'pino-pretty', options: { destination: 2, colorize: true, translateTime: 'SYS:HH:MM:ss' } },
    });
  }
  return pino(base, pino.destination({ dest: 2, sync: true }));
}
