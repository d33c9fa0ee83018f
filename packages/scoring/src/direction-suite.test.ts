/**
 * The direction suite (testdata/direction-suite.jsonl): 48 forecasts, each with a confirming, a
 * refuting and a same-countries unrelated article, written before the scorer was tuned and never
 * trained on. It checks direction where it is hardest: negated forecasts, reversal words, antonyms,
 * thresholds, who acts on whom, deadlines, trends, conditionals, denials and declarations.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createScorer } from './scorer.ts';
import type { ScorableArticle, ScorableClaim, Stance } from './types.ts';

interface SuiteCase {
  id: string;
  shape: string;
  forecast: ScorableClaim;
  confirming: ScorableArticle;
  refuting: ScorableArticle;
  unrelated: ScorableArticle;
}

const file = path.join(path.dirname(fileURLToPath(import.meta.url)), '../testdata/direction-suite.jsonl');
const cases = fs
  .readFileSync(file, 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as SuiteCase);

/**
 * The shares judged right when last measured with the committed weights (docs/scoring.md: 111 of 144,
 * 39 / 26 / 46 of 48); a regression fails. The target is 0.90 of the pairs: not met yet.
 */
const MEASURED = { pairs: 0.77, confirming: 0.81, refuting: 0.54, unrelated: 0.95 };

describe('direction suite', () => {
  const scorer = createScorer();
  const expected: [keyof SuiteCase & ('confirming' | 'refuting' | 'unrelated'), Stance][] = [
    ['confirming', 'agree'],
    ['refuting', 'disagree'],
    ['unrelated', 'unrelated'],
  ];
  const results = cases.flatMap((c) =>
    expected.map(([kind, want]) => ({ id: c.id, kind, want, got: scorer.score(c.forecast, c[kind]).stance })),
  );
  const share = (kind?: string) => {
    const rows = results.filter((r) => !kind || r.kind === kind);
    return rows.filter((r) => r.got === r.want).length / rows.length;
  };

  it('holds 48 cases of three articles each', () => {
    expect(cases).toHaveLength(48);
    expect(new Set(cases.map((c) => c.id)).size).toBe(48);
  });

  it('judges at least the measured share of its pairs right, overall and per kind of article', () => {
    const misses = results.filter((r) => r.got !== r.want).map((r) => `${r.id} ${r.kind}: ${r.got}`);
    expect(share(), `misses: ${misses.join('; ')}`).toBeGreaterThanOrEqual(MEASURED.pairs);
    expect(share('confirming')).toBeGreaterThanOrEqual(MEASURED.confirming);
    expect(share('refuting')).toBeGreaterThanOrEqual(MEASURED.refuting);
    expect(share('unrelated')).toBeGreaterThanOrEqual(MEASURED.unrelated);
  });

  it('never calls a refuting article agree and its confirming twin disagree at once', () => {
    const flipped = cases.filter(
      (c) => scorer.score(c.forecast, c.refuting).stance === 'agree' && scorer.score(c.forecast, c.confirming).stance === 'disagree',
    );
    expect(flipped.map((c) => c.id)).toEqual([]);
  });
});
