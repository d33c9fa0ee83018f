import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listLedger, listPredictions, type Database } from '@signpost/db';
import { createScorer } from '@signpost/scoring';
import { loadWorkerEnv } from '../env.ts';
import { scorePendingArticles } from '../pipeline/score-articles.ts';
import { backfillCommand } from './backfill.ts';
import { captureStream } from '../../test/test-streams.ts';
import { createTestArchive, type TestArchive } from '../../test/test-archive.ts';

const repoPredictions = path.resolve(import.meta.dirname, '../../../../data/predictions.yaml');
const headlines: [title: string, body: string][] = [
  [
    'China says it will not join sanctions against Russia',
    'Beijing rejected Western sanctions on Moscow and said trade with Russia would continue normally.',
  ],
  ['Russia and China sign new gas pipeline deal', 'Gazprom and CNPC agreed on the Power of Siberia 2 route across Mongolia.'],
  [
    'Chinese banks restrict payments for Russian clients',
    'Several state banks in China tightened checks on payments from Russia, fearing secondary sanctions.',
  ],
  ['Bilateral trade between Russia and China hits record', 'Customs data show trade reached a record above two hundred billion dollars.'],
  ['Weather: heavy rain expected in the south', 'Forecasters warn of flooding in coastal areas this weekend.'],
];

async function run(database: Database, dataDir: string, args: { predictionId?: string } = {}) {
  const out = captureStream();
  const err = captureStream();
  const env = loadWorkerEnv({ SIGNPOST_DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
  const code = await backfillCommand(env, { ...args, out: out.stream, err: err.stream, database });
  return { code, stdout: out.text(), stderr: err.text() };
}

describe('signpost backfill', () => {
  let archive: TestArchive;
  let database: Database;
  let dataDir: string;
  beforeAll(async () => {
    archive = await createTestArchive(headlines, fs.readFileSync(repoPredictions, 'utf8'));
    ({ database, dataDir } = archive);
  });
  afterAll(() => archive?.close());

  it('scores the archive against every forecast once, resuming where an interrupted run stopped', async () => {
    const scorer = createScorer();
    // First one forecast alone (this also syncs the config into the database)...
    const firstId = 'china-no-sanctions-on-russia';
    const one = await run(database, dataDir, { predictionId: firstId });
    expect(one.stdout).toContain(`backfill: ${headlines.length} pairs scored over 1 forecast,`);
    const forecasts = (await listPredictions(database.db)).length;
    expect(forecasts).toBeGreaterThan(15);
    // ...then a run that stopped after one batch of two articles...
    const partial = await scorePendingArticles(database.db, scorer, { batchSize: 2, budgetMs: 0 });
    expect(partial).toMatchObject({ pairs: 2 * (forecasts - 1), done: false });
    // ...and the backfill does exactly the rest.
    const rest = await run(database, dataDir);
    expect(rest.code).toBe(0);
    const remaining = headlines.length * forecasts - headlines.length - 2 * (forecasts - 1);
    expect(rest.stdout).toContain(`backfill: ${remaining} pairs scored over ${forecasts} forecasts`);

    const stored = (await listLedger(database.db, { scorer: scorer.id })).length;
    expect(stored).toBeGreaterThan(0);
    const again = await run(database, dataDir);
    expect(again.stdout).toContain('backfill: 0 pairs scored');
    expect((await listLedger(database.db, { scorer: scorer.id })).length).toBe(stored);
  });

  it('refuses an unknown forecast id', async () => {
    const unknown = await run(database, dataDir, { predictionId: 'no-such-forecast' });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('backfill: no active forecast with id "no-such-forecast"');
  });
});
