import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../create-db.ts';
import { createTestDb, testBackends, testPgUrl, skipPostgresReason } from '../../test/testing.ts';
import { syncPredictions } from './predictions.ts';
import { listStandings, readStandingsVersion, writeStandings, type StandingRow } from './standings.ts';

const t0 = new Date('2026-03-02T10:00:00Z');

if (!testPgUrl) it.skip(skipPostgresReason, () => {});

describe.each(testBackends)('stored standings on %s', (backend) => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDb(backend);
    await syncPredictions(
      database.db,
      [
        { id: 'p', statement: 'P holds', record: { id: 'p' } },
        { id: 'q', statement: 'Q holds', record: { id: 'q' } },
      ],
      t0,
    );
  });
  afterAll(async () => database?.close());

  const row = (id: string, status: string, asOf: Date): StandingRow => ({
    predictionId: id,
    scorer: 's@1',
    status,
    record: { status, balance: 0.5, weight: { agree: 2, disagree: 0 } },
    momentum: { status: 'quiet', balance: 0.01 },
    series: [{ week: '2026-W10', agree: 2, disagree: 0, discuss: 0, balance: 0.5, for: 2, against: 0 }],
    signposts: [{ index: 0, seen: 1, contradicted: 0, mentioned: 0 }],
    lastEvidence: { articleId: 1, stance: 'agree', title: 'Заголовок', url: null, publishedAt: t0.toISOString() },
    asOf,
  });

  it('stores, replaces and reads standings, and moves the version only when they change', async () => {
    const v0 = await readStandingsVersion(database.db);
    expect(await readStandingsVersion(database.db)).toBe(v0);
    await writeStandings(database.db, [row('p', 'holding', t0), row('q', 'no-evidence', t0)]);
    const v1 = await readStandingsVersion(database.db);
    expect(v1).not.toBe(v0);
    const later = new Date(t0.getTime() + 3_600_000);
    await writeStandings(database.db, [row('p', 'under-pressure', later)]);
    const v2 = await readStandingsVersion(database.db);
    expect(v2).not.toBe(v1);
    // The same rows again (a caller with a fixed clock) still move the version.
    await writeStandings(database.db, [row('p', 'under-pressure', later)]);
    expect(await readStandingsVersion(database.db)).not.toBe(v2);
    const all = await listStandings(database.db);
    expect(all.size).toBe(2);
    expect(all.get('p')).toMatchObject({
      status: 'under-pressure',
      asOf: later,
      series: [{ week: '2026-W10', for: 2 }],
      lastEvidence: { title: 'Заголовок' },
    });
    expect(all.get('q')!.status).toBe('no-evidence');
  });

  it('goes with its forecast', async () => {
    await syncPredictions(database.db, [{ id: 'p', statement: 'P holds', record: { id: 'p' } }], t0);
    // Retired, not deleted: the standing stays for the retired forecast's page.
    expect((await listStandings(database.db)).has('q')).toBe(true);
  });
});
