import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { PREDICTIONS_DIR, PREDICTIONS_FILE, type ConfigProblem } from '@signpost/predictions';
import { DIGEST_FILE } from './digest.ts';
import { FEEDS_FILE } from './feeds.ts';
import { loadConfig, type SignpostConfig } from './load-config.ts';

export type ConfigCheckResult =
  | { status: 'unchanged' }
  | { status: 'applied'; config: SignpostConfig }
  | { status: 'invalid'; problems: ConfigProblem[] };

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
  /** Called when the files changed into an invalid state; the previous config stays current. */
  onInvalid(problems: ConfigProblem[]): void;
  /** Called when a polling check throws (e.g. the data directory vanished). Default: ignore. */
  onError?(error: unknown): void;
  now?: () => Date;
}

async function readOrMissing(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '\u0000missing';
    throw error;
  }
}

/**
 * A content hash of every config file. Content rather than mtimes, because editors that save by
 * rename, coarse mtimes on NFS, and two saves within one tick all fool mtime checks; the files
 * are small enough to read on every poll.
 */
export async function fingerprintConfig(dataDir: string): Promise<string> {
  const hash = createHash('sha256');
  let extra: string[] = [];
  try {
    extra = (await readdir(path.join(dataDir, PREDICTIONS_DIR))).filter((n) => /\.ya?ml$/.test(n) && !n.startsWith('.')).sort().map((n) => path.join(PREDICTIONS_DIR, n));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  for (const name of [PREDICTIONS_FILE, FEEDS_FILE, DIGEST_FILE, ...extra]) {
    hash.update(name).update('\u0000').update(await readOrMissing(path.join(dataDir, name))).update('\u0000');
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
    const fingerprint = await fingerprintConfig(dataDir);
    if (fingerprint === lastFingerprint) return { status: 'unchanged' };
    const { config, problems } = await loadConfig(dataDir, { now: options.now?.() });
    lastFingerprint = fingerprint;
    if (closed) return { status: 'unchanged' };
    if (problems.length) {
      options.onInvalid(problems);
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
