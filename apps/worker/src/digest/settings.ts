import path from 'node:path';
import { DIGEST_FILE, defaultDigestConfig, parseDigestFile, type DigestConfig } from '@signpost/config';
import { readConfigFile } from '@signpost/predictions';

/**
 * digest.yaml alone (subscribers, schedule, options), for a process that keeps no config in sync
 * (`signpost serve`): the valid entries, the defaults when the file is missing, null when it
 * cannot be read. `start` uses the config it keeps in sync instead.
 */
export async function readDigestSettings(dataDir: string, maxBytes?: number): Promise<DigestConfig | null> {
  const file = path.join(dataDir, DIGEST_FILE);
  const read = await readConfigFile(file, { maxBytes });
  if ('text' in read) return parseDigestFile(read.text, file).digest;
  if ('problem' in read) return null;
  return defaultDigestConfig();
}
