export { PREDICTIONS_DIR, PREDICTIONS_FILE, loadPredictions, type LoadPredictionsResult } from './load-predictions.ts';
export {
  DEFAULT_CONFIG_MAX_BYTES,
  firstInvalidUtf8,
  readConfigFile,
  type ConfigFileRead,
  type ReadConfigOptions,
} from './read-config-file.ts';
export {
  ConfigError,
  loadConfig,
  loadDigestSettings,
  loadValidConfig,
  type LoadConfigOptions,
  type LoadConfigResult,
  type SignpostConfig,
} from './load-config.ts';
export {
  createConfigWatcher,
  fingerprintConfig,
  type ConfigCheckResult,
  type ConfigWatcher,
  type ConfigWatcherOptions,
} from './watcher.ts';
export { FEEDS_FILE, feedSchema, feedsFileSchema, parseFeedsFile, parseIntervalMinutes, type FeedConfig } from './feeds.ts';
export {
  DIGEST_FILE,
  WEEKDAYS,
  defaultDigestConfig,
  digestFileSchema,
  digestOptionsSchema,
  isValidTimeZone,
  parseDigestFile,
  scheduleSchema,
  subscriberSchema,
  type DigestConfig,
  type DigestOptions,
  type DigestSchedule,
  type Subscriber,
  type Weekday,
} from './digest.ts';
export { formatProblem, sortProblems, type ConfigProblem } from '@signpost/predictions';
