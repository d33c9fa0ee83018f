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
 * The shares judged right when last measured with the committed weights (docs/scoring.md: 2.4.0 125 of
 * 144, 44 / 34 / 47 of 48; 2.3.0: 114, 43 / 26 / 45; 2.2.0: 113, 41 / 26 / 46); a regression fails. The target is 0.90
 * of the pairs: not met yet.
 */
const MEASURED = { pairs: 0.86, confirming: 0.91, refuting: 0.7, unrelated: 0.97 };

/**
 * The dev direction suite (testdata/direction-dev.jsonl): 44 more forecasts, written before 2.2.0's
 * direction rules were tuned on it (scripts/direction-dev.ts), so a regression guard rather than a
 * held-out measure. 2.4.0: 119 of 132, 41 / 37 / 41 of 44 (2.3.0: 118, 42 / 36 / 40; 2.2.0: 113, 40 / 33 / 40; 2.1.0: 98, 37 / 21 / 40).
 */
const DEV_MEASURED = { pairs: 0.9, confirming: 0.93, refuting: 0.84, unrelated: 0.93 };

const devFile = path.join(path.dirname(fileURLToPath(import.meta.url)), '../testdata/direction-dev.jsonl');
const devCases = fs
  .readFileSync(devFile, 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as SuiteCase);

describe('dev direction suite', () => {
  const scorer = createScorer();
  const results = devCases.flatMap((c) =>
    (
      [
        ['confirming', 'agree'],
        ['refuting', 'disagree'],
        ['unrelated', 'unrelated'],
      ] as const
    ).map(([kind, want]) => ({ kind, right: scorer.score(c.forecast, c[kind]).stance === want })),
  );
  const share = (kind?: string) => {
    const rows = results.filter((r) => !kind || r.kind === kind);
    return rows.filter((r) => r.right).length / rows.length;
  };

  it('holds 44 cases and judges at least the measured share right, overall and per kind of article', () => {
    expect(devCases).toHaveLength(44);
    expect(share()).toBeGreaterThanOrEqual(DEV_MEASURED.pairs);
    expect(share('confirming')).toBeGreaterThanOrEqual(DEV_MEASURED.confirming);
    expect(share('refuting')).toBeGreaterThanOrEqual(DEV_MEASURED.refuting);
    expect(share('unrelated')).toBeGreaterThanOrEqual(DEV_MEASURED.unrelated);
  });
});

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
