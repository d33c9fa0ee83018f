import { describe, expect, it } from 'vitest';
import { enqueueLlmCandidates, leaseLlmWork, listScoringClaims, setPreferredScorer, settleLlmWork } from '@signpost/db';
import { SCORER } from '../test/fixture.ts';
import { useFixtureApp } from '../test/fixture-app.ts';
import { scaled } from '@signpost/testing';

const LLM = 'llm:qwen2.5:7b@p1';

describe('the forecast page with a second judge', () => {
  const fx = useFixtureApp();
  const page = async () => (await fx.app.request('/predictions/no-sanctions')).text();

  it('shows no comparison while only the built-in scorer has judged', async () => {
    expect(await page()).not.toContain('id="judges"');
  });

  it('lists both judgments where the model has judged, and says which counts', async () => {
    const [claim] = await listScoringClaims(fx.database.db, SCORER, { predictionId: 'no-sanctions' });
    await enqueueLlmCandidates(fx.database.db, {
      scorer: LLM,
      watermark: `queue:${LLM}`,
      candidates: [fx.ids.a1, fx.ids.a3].map((articleId) => ({
        articleId,
        predictionId: 'no-sanctions',
        claimHash: claim!.claimHash,
        relevance: 0.8,
      })),
      progress: [],
    });
    for (const w of await leaseLlmWork(fx.database.db, { scorer: LLM, limit: 5, leaseMs: 60_000 })) {
      const stance = w.articleId === fx.ids.a3 ? 'discuss' : 'agree';
      await settleLlmWork(fx.database.db, {
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
    expect(section).toContain(`reason for ${fx.ids.a3}`);
    expect(section).toContain(`quote &lt;${fx.ids.a3}&gt;`);
    expect(section.match(/<tr>/g)).toHaveLength(3);
    // The evidence list still counts the built-in disagree for a3.
    expect(body).toContain('Banks are weighing &lt;curbs&gt; on Russian clients.');

    await setPreferredScorer(fx.database.db, LLM);
    await expect.poll(page, { timeout: scaled(5000), interval: 50 }).toContain(`<strong>${LLM}</strong>`);
    const counted = await page();
    expect(counted).toContain(`Counting in the evidence above: <strong>${LLM}</strong> where it has judged`);
    // Now the model's discuss replaces the built-in disagree in the evidence list.
    const evidence = counted.slice(counted.indexOf('id="evidence"'), counted.indexOf('id="judges"'));
    expect(evidence).toContain(`quote &lt;${fx.ids.a3}&gt;`);
    expect(evidence).not.toContain('Banks are weighing');
  });
});
