import { readdir } from 'node:fs/promises';
import path from 'node:path';
import {
  checkPredictionSet,
  parsePredictionsFile,
  type ConfigProblem,
  type ParsedPredictionsFile,
  type PredictionSet,
} from '@signpost/predictions';
import { readConfigFile, type ReadConfigOptions } from './read-config-file.ts';

export const PREDICTIONS_FILE = 'predictions.yaml';
export const PREDICTIONS_DIR = 'predictions.d';

export interface LoadPredictionsResult extends PredictionSet {
  /** The files read, in order. */
  files: string[];
}

async function listYamlFiles(dir: string): Promise<string[]> {
  try {
    const names = await readdir(dir);
    return names
      .filter((n) => /\.ya?ml$/.test(n) && !n.startsWith('.'))
      .sort()
      .map((n) => path.join(dir, n));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/**
 * Reads `predictions.yaml` and every `predictions.d/*.yaml` (and `.yml`, in name order) under
 * `dataDir` and validates them together. Never throws for bad content: every problem is
 * returned (a file over `maxBytes` is one, unread), and `predictions` holds the entries that
 * passed. A missing predictions.yaml is fine when predictions.d/ holds at least one file; with
 * neither, that is a problem.
 */
export async function loadPredictions(dataDir: string, options: { now?: Date } & ReadConfigOptions = {}): Promise<LoadPredictionsResult> {
  const main = path.join(dataDir, PREDICTIONS_FILE);
  const extra = await listYamlFiles(path.join(dataDir, PREDICTIONS_DIR));
  const parsed: ParsedPredictionsFile[] = [];
  const problems: ConfigProblem[] = [];
  const files: string[] = [];
  for (const file of [main, ...extra]) {
    const read = await readConfigFile(file, options);
    if ('missing' in read) {
      if (file !== main) problems.push({ file, message: 'cannot read file (ENOENT)' });
      else if (extra.length === 0) problems.push({ file, message: `file not found (and ${PREDICTIONS_DIR}/ holds no .yaml files)` });
      continue;
    }
    if ('problem' in read) {
      problems.push(read.problem);
      // Its ids are unknown: links to them from other files must not be reported as broken.
      parsed.push({ file, readable: false, predictions: [], entries: [], problems: [] });
      continue;
    }
    files.push(file);
    parsed.push(parsePredictionsFile(read.text, file));
  }
  const set = checkPredictionSet(parsed, options);
  return { ...set, problems: [...problems, ...set.problems], files };
}
