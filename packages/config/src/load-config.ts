import path from 'node:path';
import { formatProblem, sortProblems, type ConfigProblem, type Prediction } from '@signpost/predictions';
import { loadPredictions } from './load-predictions.ts';
import { readConfigFile, type ReadConfigOptions } from './read-config-file.ts';
import { DIGEST_FILE, defaultDigestConfig, parseDigestFile, type DigestConfig } from './digest.ts';
import { FEEDS_FILE, parseFeedsFile, type FeedConfig } from './feeds.ts';

export interface SignpostConfig {
  predictions: Prediction[];
  feeds: FeedConfig[];
  digest: DigestConfig;
}

export interface LoadConfigResult {
  /** Best effort: the entries that passed. Do not serve it when `problems` is not empty. */
  config: SignpostConfig;
  /** Every problem in every file, sorted by file and line. */
  problems: ConfigProblem[];
}

export interface LoadConfigOptions extends ReadConfigOptions {
  now?: Date;
}

async function readOptional(file: string, options: ReadConfigOptions): Promise<{ text?: string; problem?: ConfigProblem }> {
  const read = await readConfigFile(file, options);
  return 'text' in read ? { text: read.text } : 'problem' in read ? { problem: read.problem } : {};
}

/**
 * Loads and validates every config file under `dataDir`: predictions.yaml + predictions.d/*.yaml,
 * feeds.yaml and digest.yaml. Never throws for bad content, and reads no file larger than
 * `maxBytes` (default 1 MiB; such a file is a problem). A missing feeds.yaml means no feeds;
 * a missing digest.yaml means no subscribers and the default schedule (Monday 08:00 UTC); a
 * missing predictions.yaml is fine only when predictions.d/ holds files.
 */
export async function loadConfig(dataDir: string, options: LoadConfigOptions = {}): Promise<LoadConfigResult> {
  const predictions = await loadPredictions(dataDir, options);
  const problems: ConfigProblem[] = [...predictions.problems];

  const feedsFile = path.join(dataDir, FEEDS_FILE);
  const feedsText = await readOptional(feedsFile, options);
  let feeds: FeedConfig[] = [];
  if (feedsText.problem) problems.push(feedsText.problem);
  if (feedsText.text !== undefined) {
    const parsed = parseFeedsFile(feedsText.text, feedsFile);
    feeds = parsed.feeds;
    problems.push(...parsed.problems);
  }

  const digestFile = path.join(dataDir, DIGEST_FILE);
  const digestText = await readOptional(digestFile, options);
  let digest = defaultDigestConfig();
  if (digestText.problem) problems.push(digestText.problem);
  if (digestText.text !== undefined) {
    // With a broken forecast file the known ids are incomplete; checking follow lists against
    // them would blame the digest for the predictions' problem.
    const predictionsUsable = predictions.complete && !predictions.problems.some((p) => p.line === undefined);
    const follow = predictionsUsable ? { ids: predictions.knownIds, tags: predictions.knownTags } : undefined;
    const parsed = parseDigestFile(digestText.text, digestFile, follow);
    digest = parsed.digest;
    problems.push(...parsed.problems);
  }

  return { config: { predictions: predictions.predictions, feeds, digest }, problems: sortProblems(problems) };
}

/**
 * digest.yaml alone (subscribers, schedule, options), for a process that keeps no config in sync
 * (`signpost serve`): the valid entries, the defaults when the file is missing, null when it
 * cannot be read. Follow lists are not checked against the forecasts (`loadConfig` does that).
 */
export async function loadDigestSettings(dataDir: string, options: ReadConfigOptions = {}): Promise<DigestConfig | null> {
  const file = path.join(dataDir, DIGEST_FILE);
  const read = await readConfigFile(file, options);
  if ('text' in read) return parseDigestFile(read.text, file).digest;
  if ('problem' in read) return null;
  return defaultDigestConfig();
}

/** Thrown by callers that need a valid config to go on (e.g. at start-up). */
export class ConfigError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super(`config: ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${problems.map((p) => formatProblem(p)).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Loads the config and throws a ConfigError listing every problem when it is invalid. */
export async function loadValidConfig(dataDir: string, options: LoadConfigOptions = {}): Promise<SignpostConfig> {
  const { config, problems } = await loadConfig(dataDir, options);
  if (problems.length) throw new ConfigError(problems);
  return config;
}
