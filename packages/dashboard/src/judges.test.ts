import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueLlmCandidates, leaseLlmWork, listScoringClaims, setPreferredScorer, settleLlmWork, type Database } from '@signpost/db';
import { createTestDb } from '@signpost/db/testing';
import { createLogger } from '@signpost/log';
import { createApp } from './app.tsx';
import { NOW, SCORER, buildFixture } from '../test/fixture.ts';
import { scaled } from '@signpost/testing';

const LLM = 'llm:qwen2.5:7b@p1';

describe('the forecast page with a second judge', () => {
  let database: Database;
  let app: ReturnType<typeof createApp>;
  let ids: Awaited<ReturnType<typeof buildFixture>>['ids'];
  beforeAll(async () => {
    database = await createTestDb();
    ({ ids } = await buildFixture(database.db));
    app = createApp({
      db: database.db,
      logger: createLogger({ level: 'silent' }),
      scorer: SCORER,
      now: () => NOW,
      cacheTtlMs: 0,
      cacheStaleMs: 0,
    });
  });
  afterAll(async () => database?.close());
  const page = async () => (await app.request('/predictions/no-sanctions')).text();

  it('shows no comparison while only the built-in scorer has judged', async () => {
    expect(await page()).not.toContain('id="judges"');
  });

  it('lists both judgments where the model has judged, and says which counts', async () => {
    const [claim] = await listScoringClaims(database.db, SCORER, { predictionId: 'no-sanctions' });
    await enqueueLlmCandidates(database.db, {
      scorer: LLM,
      watermark: `queue:${LLM}`,
      candidates: [ids.a1, ids.a3].map((articleId) => ({
        articleId,
        predictionId: 'no-sanctions',
        claimHash: claim!.claimHash,
        relevance: 0.8,
      })),
      progress: [],
    });
    for (const w of await leaseLlmWork(database.db, { scorer: LLM, limit: 5, leaseMs: 60_000 })) {
      const stance = w.articleId === ids.a3 ? 'discuss' : 'agree';
      await settleLlmWork(database.db, {
        queueId: w.queueId,
        answer: null,
        judgment: {
          articleId: w.articleId,
          predictionId: 'no-sanctions',
          scorer: LLM,
          claimHash: w.claimHash,
          stance,
          relevance: 0.8,
          confidence: 0.75,
          evidence: [{ text: `quote <${w.articleId}>`, stance }],
          reason: `reason for ${w.articleId}`,
        },
      });
    }
    // Reader pages are served from the cache until recomputed after the ledger moved.
    await expect.poll(page, { timeout: scaled(5000), interval: 50 }).toContain('id="judges"');
    const body = await page();
    const section = body.slice(body.indexOf('id="judges"'), body.indexOf('History of this forecast'));
    expect(section).toContain('the two agree on 1 of 2');
    expect(section).toContain(`Counting in the evidence above: <strong>${SCORER}</strong>`);
    expect(section).toContain(`reason for ${ids.a3}`);
    expect(section).toContain(`quote &lt;${ids.a3}&gt;`);
    expect(section.match(/<tr>/g)).toHaveLength(3);
    // The evidence list still counts the built-in disagree for a3.
    expect(body).toContain('Banks are weighing &lt;curbs&gt; on Russian clients.');

    await setPreferredScorer(database.db, LLM);
    await expect.poll(page, { timeout: scaled(5000), interval: 50 }).toContain(`<strong>${LLM}</strong>`);
    const counted = await page();
    expect(counted).toContain(`Counting in the evidence above: <strong>${LLM}</strong> where it has judged`);
    // Now the model's discuss replaces the built-in disagree in the evidence list.
    const evidence = counted.slice(counted.indexOf('id="evidence"'), counted.indexOf('id="judges"'));
    expect(evidence).toContain(`quote &lt;${ids.a3}&gt;`);
    expect(evidence).not.toContain('Banks are weighing');
  });
});
