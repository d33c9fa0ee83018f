import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

export interface CreateLoggerOptions {
  /** Component name, logged as `name` on every line. */
  name?: string;
  level?: string;
  /** Pretty, human-readable lines (default: when stderr is a TTY and not in production). */
  pretty?: boolean;
  /** Where JSON lines go instead of stderr (tests read them). */
  destination?: NodeJS.WritableStream;
}

/**
 * One logger per process: JSON lines on stderr in production and under pipes, pretty on a TTY.
 * Logs go to stderr so commands keep stdout for their output (`score`, `digest preview`).
 */
export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const level = options.level ?? process.env.LOG_LEVEL ?? (process.env.VITEST ? 'silent' : 'info');
  const pretty = options.pretty ?? (process.stderr.isTTY === true && process.env.NODE_ENV !== 'production');
  const base: LoggerOptions = {
    name: options.name ?? 'signpost',
    level,
    redact: { paths: ['token', '*.token', 'authorization', '*.authorization', 'password', '*.password'], censor: '[redacted]' },
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
