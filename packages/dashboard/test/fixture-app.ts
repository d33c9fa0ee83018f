/** The dashboard over the route fixture (fixture.ts) on a fresh PGlite, caching off: made before the tests of the file or describe block that calls it, closed after them. */
import { afterAll, beforeAll } from 'vitest';
import type { Database } from '@signpost/db';
import { createTestDb } from '@signpost/db/testing';
import { createLogger } from '@signpost/log';
import { createApp } from '../src/app.tsx';
import { NOW, SCORER, buildFixture } from './fixture.ts';

export interface FixtureApp {
  database: Database;
  app: ReturnType<typeof createApp>;
  ids: Awaited<ReturnType<typeof buildFixture>>['ids'];
}

export function useFixtureApp(): FixtureApp {
  const fx = {} as FixtureApp;
  beforeAll(async () => {
    fx.database = await createTestDb();
    ({ ids: fx.ids } = await buildFixture(fx.database.db));
    fx.app = createApp({
      db: fx.database.db,
      logger: createLogger({ level: 'silent' }),
      scorer: SCORER,
      now: () => NOW,
      cacheTtlMs: 0,
      cacheStaleMs: 0,
    });
  });
  afterAll(async () => fx.database?.close());
  return fx;
}
