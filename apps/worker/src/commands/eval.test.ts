import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createScorer, fncScore, parseRealEvents, rankAuc } from '@signpost/scoring';
import {
  EvalError,
  evalCorpusCommand,
  evalEmergentCommand,
  evalFnc1Command,
  evalRealEventsCommand,
  readCorpus,
  readEmergentPairs,
  readFnc1Pairs,
  recordStatuses,
  type StatusPair,
} from './eval.ts';
import { captureStream } from '../../test/test-streams.ts';

const testdata = path.join(path.dirname(fileURLToPath(import.meta.url)), 'testdata');

const collect = captureStream;

/** The confusion matrix's cells as printed: a row of counts per gold label present, predicted in columns. */
function matrixCells(text: string, labels = ['agree', 'disagree', 'discuss', 'unrelated']): number[][] {
  const row = new RegExp(`^(${labels.join('|')})\\s`);
  return text
    .split('\n')
    .filter((l) => row.test(l))
    .map((l) => l.trim().split(/\s+/).slice(1).map(Number));
}

describe('evalFnc1Command', () => {
  it('prints the FNC score the metric gives for the scorer predictions, macro-F1, per-class F1 and the matrix', async () => {
    const dir = path.join(testdata, 'fnc-1');
    const out = collect();
    expect(await evalFnc1Command({ data: dir, split: 'competition_test', out: out.stream })).toBe(0);
    const text = out.text();
    const pairs = readFnc1Pairs(dir, 'competition_test');
    expect(pairs).toHaveLength(5);
    expect(pairs[0]?.body).toContain('\n\nResidents reported');
    const scorer = createScorer();
    const pred = pairs.map((p) => scorer.score({ statement: p.claim }, { body: p.body }, { claimKind: 'report' }).stance);
    const s = fncScore(
      pairs.map((p) => p.gold),
      pred,
    );
    expect(text).toContain(`FNC score: ${s.score.toFixed(2)} / 3.50 = ${(s.relative * 100).toFixed(2)} %`);
    expect(text).toMatch(/macro-F1: \d\.\d{4}/);
    expect(text).toMatch(/per-class F1: agree \d\.\d{4}, disagree \d\.\d{4}, discuss \d\.\d{4}, unrelated \d\.\d{4}/);
    expect(text).toContain('confusion matrix (rows gold, columns predicted):');
    const cells = matrixCells(text);
    expect(cells).toHaveLength(4);
    expect(cells.flat().reduce((a, b) => a + b, 0)).toBe(5);
  });

  it('rejects an unknown split and a missing folder with clear errors', async () => {
    const out = collect();
    await expect(evalFnc1Command({ data: path.join(testdata, 'fnc-1'), split: 'dev', out: out.stream })).rejects.toThrow(
      /eval: unknown FNC-1 split "dev"/,
    );
    await expect(evalFnc1Command({ data: '/nonexistent', split: 'competition_test', out: out.stream })).rejects.toThrow(EvalError);
  });
});

describe('evalEmergentCommand', () => {
  it('prints accuracy over the three related stances and the confusion matrix', async () => {
    const dir = path.join(testdata, 'emergent');
    const out = collect();
    expect(await evalEmergentCommand({ data: dir, out: out.stream })).toBe(0);
    const text = out.text();
    expect(readEmergentPairs(dir, 'test').map((p) => p.gold)).toEqual(['agree', 'disagree', 'discuss']);
    expect(text).toMatch(/^Emergent test: 3 claim\/headline pairs, scorer signpost-stance-gbdt@/);
    const acc = Number(/accuracy: ([\d.]+) %/.exec(text)?.[1]);
    expect([0, 33.33, 66.67, 100]).toContain(acc);
    const cells = matrixCells(text, ['agree', 'disagree', 'discuss']);
    const diagonal = cells.reduce((a, row, i) => a + (row[i] ?? 0), 0);
    expect(Number(((diagonal / 3) * 100).toFixed(2))).toBe(acc);
  });
});

describe('recordStatuses', () => {
  const pair = (forecast: string, article: string, date: string, gold: string, stance: string, confidence: number): StatusPair => ({
    forecast,
    published: '2024-01-01',
    articleId: article,
    articlePublished: date,
    gold,
    stance,
    confidence,
  });

  it("gives each forecast's record status from its labels and from its judgments, by the dashboard's rules", () => {
    const statuses = recordStatuses([
      // Read backwards: two supporting articles judged undermining.
      pair('backwards', 'a1', '2024-02-01', 'agree', 'disagree', 0.9),
      pair('backwards', 'a2', '2024-03-01', 'agree', 'disagree', 0.8),
      // Before the forecast's publication: background on both sides, so no evidence either way.
      pair('background', 'a3', '2023-06-01', 'disagree', 'agree', 0.9),
      // Divided labels (contested); one confident support judged and the other missed (holding).
      pair('divided', 'a1', '2024-02-01', 'agree', 'agree', 0.9),
      pair('divided', 'a2', '2024-03-01', 'disagree', 'unrelated', 0.7),
      // A weak judgment weighs little: 0.2 of support is balance 0.2 / 1.2, contested.
      pair('weak', 'a1', '2024-02-01', 'agree', 'agree', 0.2),
    ]);
    expect(statuses).toEqual([
      { forecast: 'backwards', gold: 'holding', judged: 'under-pressure' },
      { forecast: 'background', gold: 'no-evidence', judged: 'no-evidence' },
      { forecast: 'divided', gold: 'contested', judged: 'holding' },
      { forecast: 'weak', gold: 'holding', judged: 'no-evidence' },
    ]);
  });

  it('names an article whose date cannot be read', () => {
    expect(() => recordStatuses([pair('f', 'a9', 'someday', 'agree', 'agree', 1)])).toThrow(
      /eval: article a9 has no readable date \("someday"\)/,
    );
  });
});

describe('evalCorpusCommand', () => {
  const dir = path.join(testdata, 'forecast-stance');

  it('scores one split of the corpus and prints macro-F1, per-class F1 and the confusion matrix over its pairs', async () => {
    const out = collect();
    expect(await evalCorpusCommand({ data: dir, split: 'test', out: out.stream })).toBe(0);
    const text = out.text();
    expect(text).toMatch(/^forecast-stance test: 4 pairs \(2 forecasts x 2 articles\), claims as records/);
    const corpus = readCorpus(dir);
    const scorer = createScorer();
    const pairs = corpus.pairs.filter((p) => p.split === 'test');
    const pred = pairs.map((p) => {
      const f = corpus.forecasts.get(p.forecast);
      const a = corpus.articles.get(p.article);
      return scorer.score(
        { statement: f?.statement ?? '', signposts: f?.signposts, keywords: f?.keywords },
        { title: a?.title, body: a?.body ?? '' },
      ).stance;
    });
    const cells = matrixCells(text);
    const stances = ['agree', 'disagree', 'discuss', 'unrelated'];
    pairs.forEach((p, i) => expect(cells[stances.indexOf(p.stance)]?.[stances.indexOf(pred[i] ?? '')]).toBeGreaterThan(0));
    expect(cells.flat().reduce((a, b) => a + b, 0)).toBe(4);
    expect(text).toMatch(/macro-F1: \d\.\d{4}/);
    // Each test forecast has one supporting article: by its labels each is holding up.
    expect(text).toMatch(
      /record status \(docs\/standings\.md\) from the judgments against from the labels: [012] of 2 forecasts the same, [012] backwards/,
    );
    const statusRows = matrixCells(text, ['holding', 'contested', 'under-pressure', 'no-evidence']);
    expect(statusRows.map((r) => r.reduce((a, b) => a + b, 0))).toEqual([2, 0, 0, 0]);
    // The dev split is the default; the statement alone is the other way to score.
    const dev = collect();
    await evalCorpusCommand({ data: dir, split: 'dev', claim: 'statement', out: dev.stream });
    expect(dev.text()).toMatch(/^forecast-stance dev: 1 pairs \(1 forecasts x 1 articles\), claims as statements alone/);
  });

  it('rejects an unknown split, an unknown claim mode and a missing folder with clear errors', async () => {
    const out = collect();
    await expect(evalCorpusCommand({ data: dir, split: 'holdout', out: out.stream })).rejects.toThrow(
      /eval: unknown corpus split "holdout" \(expected one of train, dev, test, late\)/,
    );
    await expect(evalCorpusCommand({ data: dir, split: 'dev', claim: 'title', out: out.stream })).rejects.toThrow(
      /eval: --claim must be record or statement/,
    );
    await expect(evalCorpusCommand({ data: '/nonexistent', split: 'dev', out: out.stream })).rejects.toThrow(
      /eval: missing file \/nonexistent\/forecasts.jsonl/,
    );
  });
});

describe('evalRealEventsCommand', () => {
  const dir = path.join(testdata, 'real-events');

  it('scores a real-event set from the statements and prints the stance table and the direction read', async () => {
    const out = collect();
    expect(await evalRealEventsCommand({ data: dir, split: 'dev', out: out.stream })).toBe(0);
    const text = out.text();
    expect(text).toMatch(/^real events dev: 5 pairs \(2 articles\), forecasts as statements, scorer signpost-stance-gbdt@/);
    const events = parseRealEvents('dev.jsonl', fs.readFileSync(path.join(dir, 'dev.jsonl'), 'utf8'));
    const scorer = createScorer();
    const got = events.flatMap((c) =>
      c.forecasts.map((f) => ({ want: f.want, judgment: scorer.score({ statement: f.statement }, c.article) })),
    );
    const right = (want: string, stance: string) => got.filter((g) => g.want === want && g.judgment.stance === stance).length;
    expect(text).toContain(
      `direction: confirming articles read as agree ${right('confirming', 'agree')} of 2, refuting articles read as disagree ${right('refuting', 'disagree')} of 1`,
    );
    const directed = got.filter((g) => g.want === 'confirming' || g.want === 'refuting');
    const auc = rankAuc(
      directed.map(({ judgment: { stanceProbabilities: p } }) => p!.agree / (p!.agree + p!.disagree)),
      directed.map((g) => g.want === 'confirming'),
    );
    expect(text).toContain(`direction AUC: ${auc.toFixed(3)} (agree against disagree probability`);
    const at = text.indexOf('every article against every forecast');
    const shippedAt = text.indexOf("every article against the product's");
    const [own, all] = [matrixCells(text.slice(0, at)), matrixCells(text.slice(at, shippedAt))];
    expect(own.flat().reduce((a, b) => a + b, 0)).toBe(5);
    // Each of the 2 articles against the other's forecasts too: 2 x 5 pairs, one cross pair labelled discuss.
    expect(text).toContain(
      'every article against every forecast of the set: 10 pairs (5 own, 5 cross pairs: 1 labelled related in cross-dev.jsonl, the rest unrelated)',
    );
    expect(all.flat().reduce((a, b) => a + b, 0)).toBe(10);
    expect(all.map((row) => row.reduce((a, b) => a + b, 0))).toEqual([2, 1, 2, 5]);
    expect(text).toMatch(/cross pairs called related: \d+ \(\d+ of them unrelated\), [\d.]+ per article/);
    // The 2 articles against the product's 30 forecasts (shipped-dev.jsonl), judged as records.
    expect(text.slice(shippedAt)).toMatch(
      /^every article against the product's 30 forecasts, as records: 60 pairs \(1 labelled related in shipped-dev.jsonl, the rest unrelated\)/,
    );
    const shipped = matrixCells(text.slice(shippedAt));
    expect(shipped.map((row) => row.reduce((a, b) => a + b, 0))).toEqual([0, 1, 0, 59]);
    const called = shipped.flat().reduce((a, b) => a + b, 0) - shipped.reduce((a, row) => a + (row[3] ?? 0), 0);
    expect(text).toContain(`called related: ${called} (`);
  });

  it('rejects an unknown split, a bad line and a missing folder with clear errors', async () => {
    const out = collect();
    await expect(evalRealEventsCommand({ data: dir, split: 'holdout', out: out.stream })).rejects.toThrow(
      /eval: unknown real-event split "holdout" \(expected one of dev, test, train, validation\)/,
    );
    await expect(evalRealEventsCommand({ data: dir, split: 'test', out: out.stream })).rejects.toThrow(
      /eval: corpus: test.jsonl:1: forecast 1 needs a statement and want/,
    );
    await expect(evalRealEventsCommand({ data: '/nonexistent', split: 'dev', out: out.stream })).rejects.toThrow(
      /eval: missing file \/nonexistent\/dev.jsonl/,
    );
  });
});

describe('eval --scorer llm', () => {
  it('has the model judge the built-in candidates of the corpus and prints what it spent', async () => {
    const { startChatServer, quotingAnswer } = await import('@signpost/llm/testing');
    const { createLlmSetup } = await import('../llm-setup.ts');
    const { loadWorkerEnv } = await import('../env.ts');
    const server = await startChatServer();
    try {
      server.setDefault(quotingAnswer('discuss'));
      const llm = createLlmSetup(
        loadWorkerEnv({
          SIGNPOST_LLM_URL: server.url,
          SIGNPOST_LLM_MODEL: 'scripted',
          SIGNPOST_LLM_PRICE_INPUT: '0.5',
          SIGNPOST_LLM_PRICE_OUTPUT: '2',
          SIGNPOST_LLM_MIN_RELEVANCE: '0',
        }),
      )!;
      const out = collect();
      expect(await evalCorpusCommand({ data: path.join(testdata, 'forecast-stance'), split: 'test', out: out.stream, llm })).toBe(0);
      const text = out.text();
      const asked = server.requests.length;
      expect(asked).toBeGreaterThan(0);
      expect(text).toContain('scorer llm:scripted@p1 (candidates by signpost-stance-gbdt@');
      expect(text).toContain(`model: ${asked} pairs asked`);
      // Every pair asked was answered "discuss" with usage 120 + 30 tokens: $0.5/M in, $2/M out.
      expect(text).toContain(
        `spend: ${asked * 120} prompt + ${asked * 30} answer tokens (150 a pair asked); cost $${((asked * 120 * 0.5 + asked * 30 * 2) / 1e6).toFixed(4)}, per 1,000 pairs asked $0.1200`,
      );
      const predictedDiscuss = matrixCells(text)
        .map((row) => row[2] ?? 0)
        .reduce((a, b) => a + b, 0);
      expect(predictedDiscuss).toBe(asked);

      const fnc = collect();
      await evalFnc1Command({ data: path.join(testdata, 'fnc-1'), split: 'competition_test', out: fnc.stream, llm, limit: 3 });
      expect(fnc.text()).toMatch(/^FNC-1 competition_test: 3 pairs \(--limit 3, spread over the split\), scorer llm:scripted@p1/);
      expect(fnc.text()).toMatch(/model: \d pairs asked/);
    } finally {
      await server.close();
    }
  });
});
