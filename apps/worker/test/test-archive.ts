// Test helper: a PGlite database holding a small archive of stored articles, and a data folder with a
// predictions.yaml, for the commands that work over stored articles (backfill, train). Used only by tests.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { storeFeedItems, syncFeeds, type Database } from '@signpost/db';
import { createTestDb } from '@signpost/db/testing';

export interface TestArchive {
  database: Database;
  dataDir: string;
  close(): Promise<void>;
}

/**
 * Stores `stories` ([title, body] pairs) as one feed's articles, an hour apart, the first at
 * 2026-03-01T00:00Z, and writes `predictionsYaml` as the data folder's predictions.yaml.
 */
export async function createTestArchive(stories: readonly (readonly [string, string])[], predictionsYaml: string): Promise<TestArchive> {
  const database = await createTestDb();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-archive-'));
  fs.writeFileSync(path.join(dataDir, 'predictions.yaml'), predictionsYaml);
  const [feed] = await syncFeeds(database.db, [{ url: 'https://wire.example/rss' }]);
  const now = new Date('2026-03-01T00:00:00Z');
  await storeFeedItems(
    database.db,
    feed!.id,
    stories.map(([title, body], i) => ({
      key: `k${i}`,
      title,
      titleKey: title.toLowerCase(),
      summary: body,
      publishedAt: new Date(now.getTime() - i * 3600_000),
    })),
    { nextCheckAt: now },
    now,
  );
  return {
    database,
    dataDir,
    async close() {
      await database.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
