import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPredictions } from '@signpost/config';
import type { Prediction } from '@signpost/predictions';
import type { Database } from '../create-db.ts';
import { createTestDb } from '../../test/testing.ts';
import { listForecasts, syncPredictions } from './predictions.ts';

const dataDir = path.resolve(import.meta.dirname, '../../../../data');
let database: Database;
let forecasts: Prediction[];

beforeAll(async () => {
  database = await createTestDb();
  forecasts = (await loadPredictions(dataDir)).predictions;
});
afterAll(async () => database?.close());

describe('listForecasts', () => {
  it('reads back every forecast of data/ exactly as the config sync stored it, typed', async () => {
    expect(forecasts.length).toBeGreaterThan(10);
    await syncPredictions(
      database.db,
      forecasts.map((p) => ({ id: p.id, statement: p.statement, record: { ...p } })),
    );
    const stored = await listForecasts(database.db);
    expect(stored.map((f) => f.record)).toEqual([...forecasts].sort((a, b) => (a.id < b.id ? -1 : 1)));
    // Typed: no cast needed to reach nested fields.
    const first = stored[0]!.record;
    expect(first.resolution?.status).toMatch(/^(open|true|false|ambiguous)$/);
    expect(Array.isArray(first.signposts)).toBe(true);
  });

  it('refuses a record that does not read as a forecast, naming the forecast and the field', async () => {
    await syncPredictions(database.db, [
      {
        id: 'broken',
        statement: 'Broken.',
        record: { id: 'broken', statement: 'Broken.', tags: 'not-a-list', resolution: { status: 'maybe' } },
      },
    ]);
    await expect(listForecasts(database.db)).rejects.toThrow(
      /^predictions: stored forecast broken does not read as a forecast: resolution\.status: .*; tags: Invalid input: expected array/,
    );
  });
});
