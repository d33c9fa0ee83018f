import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  listArticles,
  listScoringClaims,
  listStandings,
  setResolutionOverride,
  storeFeedItems,
  storeScoringBatch,
  syncFeeds,
  syncPredictions,
  type Database,
} from '@signpost/db';
import { createTestDb, skipPostgresReason, testBackends, testPgUrl } from '@signpost/db/testing';
import { refreshStandings, standingFromRow } from './refresh-standings.ts';

const now = new Date('2025-06-04T12:00:00Z');

if (!testPgUrl) it.skip(skipPostgresReason, () => {});

describe.each(testBackends)('refreshStandings on %s', (backend) => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDb(backend);
    const record = { id: 'p', statement: 'P holds', published: '2025-03-01', signposts: [{ text: 'S', direction: 'fails' }] };
    await syncPredictions(database.db, [{ id: 'p', statement: 'P holds', record }], now);
    const [feed] = await syncFeeds(database.db, [{ url: 'https://a.example/rss' }], now);
    const item = (n: number, date: string, title: string) => ({
      key: `k${n}`,
      url: `https://a.example/${n}`,
      title,
      titleKey: title.toLowerCase(),
      publishedAt: new Date(date),
    });
    const ids = (
      await storeFeedItems(
        database.db,
        feed!.id,
        [
          item(1, '2022-05-01T00:00:00Z', 'Old news'),
          item(2, '2025-04-01T00:00:00Z', 'Story A'),
          item(3, '2025-04-02T00:00:00Z', 'Story A'),
          item(4, '2025-05-20T00:00:00Z', 'Story B'),
        ],
        { nextCheckAt: now },
        now,
      )
    ).newIds;
    const hash = (await listScoringClaims(database.db, 's@1'))[0]!.claimHash;
    const j = (i: number, stance: string, confidence: number, signposts: { index: number; stance: string }[] | null = null) => ({
      articleId: ids[i]!,
      predictionId: 'p',
      scorer: 's@1',
      claimHash: hash,
      stance,
      relevance: 1,
      confidence,
      evidence: [],
      signposts,
    });
    await storeScoringBatch(
      database.db,
      {
        scorer: 's@1',
        judgments: [j(0, 'agree', 1), j(1, 'disagree', 0.8, [{ index: 0, stance: 'agree' }]), j(2, 'disagree', 0.9), j(3, 'agree', 0.5)],
        progress: [],
      },
      now,
    );
  });
  afterAll(async () => database?.close());

  it('stores the record since publication, by story, with background apart, and the last counted article', async () => {
    expect(await refreshStandings(database.db, { scorer: 's@1', now })).toBe(1);
    const s = standingFromRow((await listStandings(database.db)).get('p')!);
    expect(s.background).toEqual({ agree: 1, disagree: 0, discuss: 0 });
    expect(s.counts).toEqual({ agree: 1, disagree: 2, discuss: 0 });
    // Story A twice counts once, at 0.9; Story B at 0.5.
    expect(s.record.weight).toEqual({ agree: 0.5, disagree: 0.9 });
    expect(s.status).toBe('contested');
    expect(s.series[0]!.week).toBe('2025-W09');
    expect(s.signposts).toEqual([{ index: 0, seen: 1, contradicted: 0, mentioned: 0 }]);
    expect(s.lastEvidence).toMatchObject({ title: 'Story B', stance: 'agree' });
    expect(s.asOf).toEqual(now);
  });

  it('shows the resolution first once the forecast is resolved', async () => {
    await setResolutionOverride(database.db, { predictionId: 'p', status: 'false', date: '2025-06-01' }, now);
    await refreshStandings(database.db, { scorer: 's@1', now, predictionIds: ['p'] });
    const s = standingFromRow((await listStandings(database.db)).get('p')!);
    expect(s.status).toBe('resolved-false');
    expect(s.record.status).toBe('contested');
  });

  it('writes only the standings whose evidence changed, one forecast at a time, and all of them again the next day', async () => {
    const p = {
      id: 'p',
      statement: 'P holds',
      record: { id: 'p', statement: 'P holds', published: '2025-03-01', signposts: [{ text: 'S', direction: 'fails' }] },
    };
    const q = { id: 'q', statement: 'Q holds', record: { id: 'q', statement: 'Q holds', published: '2025-03-01' } };
    await syncPredictions(database.db, [p, q], now);
    let pauses = 0;
    const refresh = (at: Date) => refreshStandings(database.db, { scorer: 's@1', now: at, pause: async () => void pauses++ });
    // p's standing (stored by the test before) still matches its evidence; q has none stored yet.
    expect(await refresh(now)).toBe(1);
    expect(await refresh(now)).toBe(0);
    expect(pauses).toBe(0);

    const claim = (await listScoringClaims(database.db, 's@1')).find((c) => c.predictionId === 'q')!;
    const asOf = (id: string) => listStandings(database.db).then((m) => m.get(id)!.asOf.getTime());
    const later = new Date(now.getTime() + 3_600_000);
    const pBefore = await asOf('p');
    const [article] = await listArticles(database.db, { limit: 1 });
    await storeScoringBatch(
      database.db,
      {
        scorer: 's@1',
        judgments: [
          {
            articleId: article!.id,
            predictionId: 'q',
            scorer: 's@1',
            claimHash: claim.claimHash,
            stance: 'agree',
            relevance: 1,
            confidence: 1,
            evidence: [],
          },
        ],
        progress: [],
      },
      now,
    );
    const pRecord = (await listStandings(database.db)).get('p')!.record;
    expect(await refresh(later)).toBe(1);
    expect(await asOf('q')).toBe(later.getTime());
    // p is not recomputed (its evidence is the same) but holds as of this refresh.
    expect((await listStandings(database.db)).get('p')!.record).toEqual(pRecord);
    expect(await asOf('p')).toBe(later.getTime());
    expect(pBefore).toBeLessThan(later.getTime());

    // The next day (UTC) every standing is written again, with a pause between two forecasts.
    expect(await refresh(new Date(now.getTime() + 86_400_000))).toBe(2);
    expect(pauses).toBe(1);
  });

  it('always writes the forecasts it is asked for', async () => {
    expect(await refreshStandings(database.db, { scorer: 's@1', now, predictionIds: ['p'] })).toBe(1);
  });
});
