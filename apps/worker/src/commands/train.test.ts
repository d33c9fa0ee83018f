import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listLedger, listPredictions, setOverride, syncPredictions, type Database } from '@signpost/db';
import { createScorer } from '@signpost/scoring';
import { loadWorkerEnv } from '../env.ts';
import { scorePendingArticles } from '../pipeline/score-articles.ts';
import { trainCommand } from './train.ts';
import { captureStream } from '../../test/test-streams.ts';
import { createTestArchive, type TestArchive } from '../../test/test-archive.ts';

const FORECASTS = `predictions:
  - id: drills-every-year
    statement: China and Russia will keep holding joint military exercises every year.
    quote: The two militaries will keep drilling together every year.
    author: A. Analyst
    outlet: Test Review
    published: 2022-03-01
    source: test.txt
    kind: trend
    horizon: the foreseeable future
    hedge: will
    likelihood: likely
    signposts:
      - { text: China and Russia hold joint naval drills, direction: holds }
    keywords: [exercises, drills]
    tags: [military]
  - id: no-sanctions
    statement: China will not impose its own sanctions on Russia.
    quote: China will not sanction Russia.
    author: A. Analyst
    outlet: Test Review
    published: 2022-03-01
    source: test.txt
    kind: binary
    horizon: for as long as the war lasts
    hedge: will not
    likelihood: likely
    signposts:
      - { text: China announces sanctions on Russian firms, direction: fails }
    keywords: [sanctions]
    tags: [sanctions]
`;

const stories: [title: string, body: string][] = [
  [
    'Chinese and Russian navies begin joint drills',
    'The Chinese and Russian navies began their annual joint exercise near Vladivostok on Monday, the defence ministry said.',
  ],
  [
    'Russian and Chinese bombers fly joint patrol',
    'Russian and Chinese strategic bombers flew a joint patrol over the Sea of Japan, the two militaries said.',
  ],
  ['China and Russia hold joint army exercise', 'Troops from China and Russia held a joint army exercise in Inner Mongolia this week.'],
  ['Joint naval drill off Shanghai', 'China and Russia started a joint naval drill off Shanghai, with ten ships taking part.'],
  [
    'China and Russia plan more joint exercises',
    'China and Russia agreed to hold more joint military exercises next year, officials said.',
  ],
  [
    'Russia and China stage joint missile defence exercise',
    'Russia and China staged a joint computer missile defence exercise, the Russian defence ministry said.',
  ],
];

async function train(database: Database, dataDir: string, minReviews?: number) {
  const out = captureStream();
  const env = loadWorkerEnv({ SIGNPOST_DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
  const code = await trainCommand(env, { out: out.stream, database, ...(minReviews ? { minReviews } : {}) });
  return { code, stdout: out.text() };
}

describe('signpost train', () => {
  let archive: TestArchive;
  let database: Database;
  let dataDir: string;
  const scorer = createScorer();
  beforeAll(async () => {
    archive = await createTestArchive(stories, FORECASTS);
    ({ database, dataDir } = archive);
  });
  afterAll(() => archive?.close());

  it('leaves forecasts with too few reviews alone', async () => {
    const first = await train(database, dataDir);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^train: 0 reviewed judgments over 0 forecasts; 0 adjusted/);
    await scorePendingArticles(database.db, scorer);
    await setOverride(database.db, { articleId: 1, predictionId: 'drills-every-year', stance: 'unrelated' });
    const one = await train(database, dataDir);
    expect(one.stdout).toContain('drills-every-year: 1 review, fewer than 3: left as it is');
    expect((await listPredictions(database.db)).find((p) => p.id === 'drills-every-year')?.adjustment).toBeNull();
  });

  it('moves a forecast the analysts keep correcting, and re-scores its archive with the correction', async () => {
    const ledger = await listLedger(database.db, { scorer: scorer.id, predictionId: 'drills-every-year' });
    const before = new Map(ledger.filter((e) => !e.overridden).map((e) => [e.articleId, e.relevance]));
    // The analyst says the first four related judgments are not about the forecast at all.
    for (const articleId of [1, 2, 3, 4])
      await setOverride(database.db, { articleId, predictionId: 'drills-every-year', stance: 'unrelated' });
    const hashBefore = (await listPredictions(database.db)).find((p) => p.id === 'drills-every-year')?.claimHash ?? '';
    const result = await train(database, dataDir);
    expect(result.stdout).toMatch(/drills-every-year: 4 reviews; related offset -\d\.\d\d/);
    expect(result.stdout).toContain('1 adjusted (prior strength 1), 1 to be re-scored on the next cycle');
    const forecast = (await listPredictions(database.db)).find((p) => p.id === 'drills-every-year');
    expect(forecast?.adjustment?.relatedOffset).toBeLessThan(-0.5);
    expect(forecast?.adjustment?.reviewed).toBe(4);
    expect(forecast?.claimHash).toMatch(new RegExp(`^${hashBefore.split('+')[0]}\\+[0-9a-f]{8}$`));

    // The next cycle re-scores the forecast's whole archive, with the correction.
    const progress = await scorePendingArticles(database.db, scorer);
    expect(progress.pairs).toBe(stories.length);
    const after = await listLedger(database.db, { scorer: scorer.id, predictionId: 'drills-every-year' });
    const unreviewed = after.filter((e) => !e.overridden && before.has(e.articleId));
    for (const e of unreviewed) expect(e.relevance).toBeLessThan(before.get(e.articleId) ?? 1);
    // Training again on the same reviews changes nothing, so nothing is re-scored.
    const again = await train(database, dataDir);
    expect(again.stdout).toContain('0 to be re-scored');
  });

  it('drops the correction when the forecast is reworded, and keeps it when only other fields change', async () => {
    const current = (await listPredictions(database.db)).find((p) => p.id === 'drills-every-year')!;
    const input = { id: current.id, statement: current.statement, record: { ...current.record, note: 'a new note' } };
    await syncPredictions(database.db, [
      input,
      ...(await listPredictions(database.db))
        .filter((p) => p.id !== current.id)
        .map((p) => ({ id: p.id, statement: p.statement, record: p.record })),
    ]);
    const kept = (await listPredictions(database.db)).find((p) => p.id === current.id);
    expect(kept?.adjustment).toEqual(current.adjustment);
    expect(kept?.claimHash).toBe(current.claimHash);
    const reworded = {
      ...input,
      statement: 'China and Russia will hold joint naval exercises every year.',
      record: { ...input.record, statement: 'China and Russia will hold joint naval exercises every year.' },
    };
    await syncPredictions(database.db, [
      reworded,
      ...(await listPredictions(database.db))
        .filter((p) => p.id !== current.id)
        .map((p) => ({ id: p.id, statement: p.statement, record: p.record })),
    ]);
    const dropped = (await listPredictions(database.db)).find((p) => p.id === current.id);
    expect(dropped?.adjustment).toBeNull();
    expect(dropped?.claimHash).not.toContain('+');
  });
});
