import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countLlmQueue, listLedger, readPreferredScorer } from '@signpost/db';
import { createTestDb } from '@signpost/db/testing';
import { quotingAnswer, startChatServer, type ChatServer } from '@signpost/llm/testing';
import { createLogger } from '@signpost/log';
import { formatCycleSummary, runCycle } from './cycle.ts';
import { loadWorkerEnv } from './env.ts';
import { serve, startTestServer, type TestServer } from '../test/test-server.ts';
import { openRuntime, type Runtime } from './runtime.ts';
import { ONE_FORECAST_YAML } from '../test/test-forecasts.ts';

const item = (n: number, title: string, body: string) =>
  `<item><guid isPermaLink="false">wire-${n}</guid><title>${title}</title><link>https://wire.example/${n}</link>` +
  `<pubDate>Mon, 02 Mar 2026 0${n}:00:00 GMT</pubDate><description>${body}</description></item>`;

describe('a cycle with a language model configured (SIGNPOST_JUDGE=llm)', () => {
  let feeds: TestServer;
  let model: ChatServer;
  let runtime: Runtime;
  let dataDir: string;

  beforeAll(async () => {
    feeds = await startTestServer({
      '/wire.xml': serve(
        `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Wire</title><link>https://wire.example/</link><description>d</description>` +
          item(
            1,
            'China refuses to join Western sanctions against Russia',
            'Beijing said on Monday it would not impose sanctions on Russia. It called them unilateral.',
          ) +
          item(2, 'Local football results', 'The home team won two to one in the final minute of the match.') +
          item(
            3,
            'China weighs curbs on Russian banks',
            'Chinese regulators are weighing sanctions on Russian banks over Ukraine. No decision was taken.',
          ) +
          '</channel></rss>',
        { 'content-type': 'application/rss+xml' },
      ),
    });
    model = await startChatServer();
    model.setDefault(quotingAnswer('discuss', 0.66));
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-cycle-llm-'));
    fs.writeFileSync(path.join(dataDir, 'predictions.yaml'), ONE_FORECAST_YAML);
    fs.writeFileSync(path.join(dataDir, 'feeds.yaml'), `feeds:\n  - url: ${feeds.url('/wire.xml')}\n`);
    const env = loadWorkerEnv({
      SIGNPOST_DATA_DIR: dataDir,
      SIGNPOST_ALLOW_PRIVATE_NETWORKS: '1',
      LOG_LEVEL: 'silent',
      SIGNPOST_LLM_URL: model.url,
      SIGNPOST_LLM_MODEL: 'scripted',
      SIGNPOST_LLM_PAIRS_PER_CYCLE: '1',
      SIGNPOST_LLM_PRICE_INPUT: '1',
      SIGNPOST_LLM_PRICE_OUTPUT: '4',
      SIGNPOST_JUDGE: 'llm',
    });
    runtime = await openRuntime(env, { database: await createTestDb(), logger: createLogger({ level: 'silent' }) });
  });
  afterAll(async () => {
    await runtime?.close();
    await feeds?.close();
    await model?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('judges the built-in candidates one budget at a time and lets the model count where it judged', async () => {
    const first = await runCycle(runtime);
    expect(first.llm).toMatchObject({ scorer: 'llm:scripted@p1', judged: 1, budgetSpent: true, tokens: { prompt: 120, completion: 30 } });
    const queued = first.llm!.queued;
    expect(queued).toBeGreaterThanOrEqual(2);
    expect(formatCycleSummary(first)).toContain(
      `model llm:scripted@p1: 1 judged, 0 from cache, 0 fell back to the built-in judgment, ${queued} queued, ${queued - 1} waiting (cycle budget spent); tokens 120 in + 30 out, $0.0002`,
    );
    expect(await readPreferredScorer(runtime.database.db)).toBe('llm:scripted@p1');
    // Later cycles work the queue down, one pair each, with no new articles.
    for (let i = 1; i < queued; i++) await runCycle(runtime);
    expect(await countLlmQueue(runtime.database.db, 'llm:scripted@p1')).toEqual({ queued: 0, judged: queued, fallback: 0 });
    expect(model.requests).toHaveLength(queued);
    const ledger = await listLedger(runtime.database.db, { scorer: runtime.scorer.id });
    const byModel = ledger.filter((e) => e.scorer === 'llm:scripted@p1');
    expect(byModel).toHaveLength(queued);
    expect(byModel.every((e) => e.stance === 'discuss' && e.confidence === 0.66)).toBe(true);
  });
});
