import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ConfigProblem } from '@signpost/predictions';
import { PREDICTIONS_DIR, PREDICTIONS_FILE } from './load-predictions.ts';
import { DEFAULT_CONFIG_MAX_BYTES } from './read-config-file.ts';
import { DIGEST_FILE } from './digest.ts';
import { FEEDS_FILE } from './feeds.ts';
import { loadConfig, type SignpostConfig } from './load-config.ts';

export type ConfigCheckResult =
  { status: 'unchanged' } | { status: 'applied'; config: SignpostConfig } | { status: 'invalid'; problems: ConfigProblem[] };

export interface ConfigWatcher {
  /** The last valid config, or null until one has loaded. */
  current(): SignpostConfig | null;
  /** Looks for changes now; the worker calls this at the start of each cycle. */
  check(): Promise<ConfigCheckResult>;
  /** Stops polling. Further checks report `unchanged`. */
  close(): void;
}

export interface ConfigWatcherOptions {
  dataDir: string;
  /** Poll interval in milliseconds; 0 disables polling (call `check()` yourself). Default 5000. */
  intervalMs?: number;
  /** Called with each new valid config, including the first. */
  onChange(config: SignpostConfig): void;
  /**
   * Called when the files changed into an invalid state; the previous config stays current.
   * `partial` holds what did load (the entries that passed), for parts that may apply on their own.
   */
  onInvalid(problems: ConfigProblem[], partial: SignpostConfig): void;
  /** Called when a polling check throws (e.g. the data directory vanished). Default: ignore. */
  onError?(error: unknown): void;
  now?: () => Date;
  /** Largest config file read (default 1 MiB); a larger one is a problem, and never read. */
  maxBytes?: number;
}

/** What the fingerprint takes of one file: its content, or for one too large to read its stat. */
async function fileFingerprint(file: string, maxBytes: number): Promise<string | Buffer> {
  try {
    const info = await stat(file);
    // Too large (or not a regular file): loadConfig reports it unread, and so is it here.
    if (!info.isFile() || info.size > maxBytes) return `\u0000unread ${info.size} ${info.mtimeMs} ${info.ctimeMs} ${info.ino}`;
    return await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '\u0000missing';
    throw error;
  }
}

/**
 * A content hash of every config file. Content rather than mtimes, because editors that save by
 * rename, coarse mtimes on NFS, and two saves within one tick all fool mtime checks; the files
 * are small enough to read on every poll. A file over `maxBytes` is not: its size, times and inode
 * stand in for it (issue #14: re-reading and hashing a 50 MB file stalled every 5 s poll).
 */
export async function fingerprintConfig(dataDir: string, maxBytes = DEFAULT_CONFIG_MAX_BYTES): Promise<string> {
  const hash = createHash('sha256');
  let extra: string[] = [];
  try {
    extra = (await readdir(path.join(dataDir, PREDICTIONS_DIR)))
      .filter((n) => /\.ya?ml$/.test(n) && !n.startsWith('.'))
      .sort()
      .map((n) => path.join(PREDICTIONS_DIR, n));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  for (const name of [PREDICTIONS_FILE, FEEDS_FILE, DIGEST_FILE, ...extra]) {
    hash
      .update(name)
      .update('\u0000')
      .update(await fileFingerprint(path.join(dataDir, name), maxBytes))
      .update('\u0000');
  }
  return hash.digest('hex');
}

/**
 * Watches the config files by polling their content. A valid change is applied and reported
 * through `onChange`; an invalid one is reported through `onInvalid` while the last good config
 * keeps serving. Each distinct state is reported once. The first check runs at once.
 */
export function createConfigWatcher(options: ConfigWatcherOptions): ConfigWatcher {
  const { dataDir, intervalMs = 5000 } = options;
  let current: SignpostConfig | null = null;
  let lastFingerprint: string | undefined;
  let closed = false;
  let queue: Promise<unknown> = Promise.resolve();

  async function runCheck(): Promise<ConfigCheckResult> {
    if (closed) return { status: 'unchanged' };
    const fingerprint = await fingerprintConfig(dataDir, options.maxBytes);
    if (fingerprint === lastFingerprint) return { status: 'unchanged' };
    const { config, problems } = await loadConfig(dataDir, { now: options.now?.(), maxBytes: options.maxBytes });
    lastFingerprint = fingerprint;
    if (closed) return { status: 'unchanged' };
    if (problems.length) {
      options.onInvalid(problems, config);
      return { status: 'invalid', problems };
    }
    current = config;
    options.onChange(config);
    return { status: 'applied', config };
  }

  // Checks run one at a time, so a poll and an explicit check never load concurrently.
  function check(): Promise<ConfigCheckResult> {
    const next = queue.then(runCheck, runCheck);
    queue = next.catch(() => undefined);
    return next;
  }

  const report = (error: unknown) => options.onError?.(error);
  void check().catch(report);
  const timer = intervalMs > 0 ? setInterval(() => void check().catch(report), intervalMs) : undefined;
  timer?.unref();

  return {
    current: () => current,
    check,
    close() {
      closed = true;
      if (timer) clearInterval(timer);
    },
  };
}
