/**
 * The direction suite (testdata/direction-suite.jsonl): 48 forecasts, each with a confirming, a
 * refuting and a same-countries unrelated article, written before the scorer was tuned and never
 * trained on. It checks direction where it is hardest: negated forecasts, reversal words, antonyms,
 * thresholds, who acts on whom, deadlines, trends, conditionals, denials and declarations.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readJsonl } from '../scripts/datasets.ts';
import { createScorer, type Scorer } from './scorer.ts';
import type { ScorableArticle, ScorableClaim, Stance } from './types.ts';

interface SuiteCase {
  id: string;
  shape: string;
  forecast: ScorableClaim;
  confirming: ScorableArticle;
  refuting: ScorableArticle;
  unrelated: ScorableArticle;
}

type DevCase = SuiteCase & { discussing?: ScorableArticle };

function readCases(name: string): DevCase[] {
  return readJsonl<DevCase>(path.join(path.dirname(fileURLToPath(import.meta.url)), `../testdata/${name}`));
}

const cases = readCases('direction-suite.jsonl');

/**
 * The shares judged right when last measured with the committed weights (docs/scoring.md: 2.27.0 128 of 144, 43 / 38 / 47 of 48; 2.26.1 and 2.26.0 128 of 144, 45 / 38 / 45 of 48; 2.25.0 129 of 144, 46 / 39 / 44 of 48; 2.24.3, 2.24.2, 2.24.1 and 2.24.0 128 of 144, 45 / 38 / 45 of 48; 2.23.0 131 of 144, 46 / 40 / 45 of 48; 2.22.4 and 2.22.3 129 of 144, 46 / 39 / 44 of 48; 2.22.2 128 of 144, 46 / 38 / 44 of 48; 2.22.0 126 of 144, 46 / 36 / 44 of 48; 2.21.0 and 2.20.0 124 of 144, 46 / 36 / 42 of 48; 2.19.0 123 of 144, 45 / 36 / 42 of 48; 2.18.0 125 of 144, 47 / 36 / 42 of 48; 2.17.0 124 of 144, 46 / 35 / 43 of 48; 2.16.0 122 of 144, 44 / 36 / 42 of 48; 2.15.0 124 of 144, 44 / 38 / 42 of 48; 2.14.0 124 of 144, 45 / 37 / 42 of 48; 2.13.0 and 2.13.1 124 of 144, 45 / 36 / 43 of 48; 2.12.0 and 2.12.1 127 of
 * 144, 45 / 39 / 43 of 48; 2.11.0 127 of 144, 44 / 40 / 43 of 48; 2.10.1 122 of 144, 46 / 33 / 43; 2.10.0 121, 46 / 32 / 43; 2.9.0 125, 46 / 33 / 46; 2.8.1: 125, 46 / 34 / 45; 2.8.0: 129, 46 / 37 / 46; 2.7.0: 127, 46 / 36 / 45; 2.6.0: 130, 45 / 39 / 46; 2.5.0: 128, 45 / 37 / 46; 2.4.1: 125, 45 / 33 / 47;
 * 2.3.0: 114, 43 / 26 / 45; 2.2.0: 113, 41 / 26 / 46); a regression fails. The target, 0.90 of
 * the pairs, was met by 2.6.0 with one article to spare; 2.8.0 fell one short of it (89.6 %), 2.8.1 and 2.9.0 five (86.8 %), 2.10.0 nine (84.0 %), 2.10.1 eight (84.7 %), 2.11.0 and 2.12.0 three (88.2 %), 2.13.0, 2.13.1, 2.14.0 and 2.15.0 six (86.1 %), 2.16.0 eight (84.7 %), 2.17.0 six (86.1 %), 2.18.0 five (86.8 %), 2.19.0 seven (85.4 %), 2.20.0 and 2.21.0 six (86.1 %), 2.22.0 four (87.5 %), 2.22.2 two (88.9 %), 2.22.3 and 2.22.4 one (89.6 %); 2.23.0 meets it again, with one article to spare (131 of 144, 91.0 %); 2.24.0, 2.24.1, 2.24.2 and 2.24.3 fall two short (128 of 144, 88.9 %), 2.25.0 one (129 of 144, 89.6 %), 2.26.0, 2.26.1 and 2.27.0 two (128 of 144, 88.9 %).
 */
const MEASURED = { pairs: 0.88, confirming: 0.89, refuting: 0.79, unrelated: 0.97 };

type Kind = keyof SuiteCase & ('confirming' | 'refuting' | 'unrelated');
const KINDS: [Kind, Stance][] = [
  ['confirming', 'agree'],
  ['refuting', 'disagree'],
  ['unrelated', 'unrelated'],
];

/** Every article of the cases judged against its forecast, and the share judged right (of one kind, or of all). */
function judge(scorer: Scorer, all: readonly DevCase[]) {
  const results = all.flatMap((c) => [
    ...KINDS.map(([kind, want]) => ({ id: c.id, kind: kind as string, want, got: scorer.score(c.forecast, c[kind]).stance })),
    ...(c.discussing ? [{ id: c.id, kind: 'discussing', want: 'discuss', got: scorer.score(c.forecast, c.discussing).stance }] : []),
  ]);
  const share = (kind?: string) => {
    const rows = results.filter((r) => !kind || r.kind === kind);
    return rows.filter((r) => r.got === r.want).length / rows.length;
  };
  return { results, share };
}

/** A dev set as a regression guard: its size and the share judged right per kind of article. */
function guardDevSet(name: string, size: number, measured: Partial<Record<'pairs' | Kind | 'discussing', number>>): void {
  const devCases = readCases(name);
  describe(name, () => {
    const { share } = judge(createScorer(), devCases);
    it(`holds ${size} cases and judges at least the measured share right, overall and per kind of article`, () => {
      expect(devCases).toHaveLength(size);
      for (const [kind, floor] of Object.entries(measured))
        expect(share(kind === 'pairs' ? undefined : kind), kind).toBeGreaterThanOrEqual(floor);
    });
  });
}

/**
 * The dev direction suite (testdata/direction-dev.jsonl): 44 more forecasts, written before 2.2.0's
 * direction rules were tuned on it (scripts/direction-dev.ts), so a regression guard rather than a
 * held-out measure. 2.27.0: 126 of 132, 42 / 43 / 41 of 44; 2.26.1 and 2.26.0: 122 of 132, 42 / 42 / 38 of 44; 2.25.0: 124 of 132, 44 / 41 / 39 of 44; 2.24.3, 2.24.2, 2.24.1 and 2.24.0: 121 of 132, 42 / 40 / 39 of 44; 2.23.0: 124 of 132, 43 / 42 / 39 of 44; 2.22.4, 2.22.3 and 2.22.2: 122 of 132, 43 / 42 / 37 of 44; 2.22.0: 120 of 132, 42 / 41 / 37 of 44; 2.21.0: 122 of 132, 42 / 41 / 39 of 44; 2.20.0: 122 of 132, 42 / 41 / 39 of 44; 2.19.0: 119 of 132, 41 / 40 / 38 of 44; 2.18.0: 120 of 132, 42 / 40 / 38 of 44; 2.17.0: 122 of 132, 43 / 41 / 38 of 44; 2.16.0: 122 of 132, 42 / 42 / 38 of 44; 2.15.0: 123 of 132, 43 / 42 / 38 of 44; 2.14.0: 122 of 132, 43 / 42 / 37 of 44; 2.13.1: 121 of 132, 44 / 40 / 37 of 44; 2.13.0: 120 of 132, 43 / 40 / 37 of 44; 2.12.0 and 2.12.1: 124 of 132, 43 / 43 / 38 of 44; 2.11.0: 120 of 132, 41 / 42 / 37 of 44; 2.10.1: 122 of 132, 42 / 42 / 38 of 44; 2.9.0: 121 of 132, 42 / 37 / 42 of 44 (2.8.1: 123, 43 / 38 / 42; 2.8.0: 123, 43 / 39 / 41; 2.7.0: 121, 43 / 38 / 40; 2.6.0: 123, 43 / 38 / 42; 2.5.0: 121, 42 / 38 / 41; 2.4.1: 118, 41 / 36 /
 * 41; 2.3.0: 118, 42 / 36 / 40; 2.2.0: 113, 40 / 33 / 40; 2.1.0: 98, 37 / 21 / 40).
 */
guardDevSet('direction-dev.jsonl', 44, { pairs: 0.95, confirming: 0.95, refuting: 0.97, unrelated: 0.93 });

/**
 * The held-back half of the second batch of direction cases (testdata/direction-dev2.jsonl): 59
 * forecasts never trained on, each with a fourth, discussing article (on the subject, settling
 * nothing); 2.4.1's choice to drop the direction check was made on the whole batch, and 2.5.0 trains on
 * the other half. 2.27.0: 52 / 53 / 55 / 22 of 59; 2.26.1 and 2.26.0: 52 / 54 / 55 / 25 of 59; 2.25.0: 53 / 51 / 55 / 26 of 59; 2.24.3 and 2.24.2: 53 / 52 / 54 / 30 of 59; 2.24.1 and 2.24.0: 52 / 52 / 54 / 30 of 59; 2.23.0: 51 / 52 / 53 / 28 of 59; 2.22.4, 2.22.3 and 2.22.2: 53 / 50 / 52 / 31 of 59; 2.22.0: 53 / 50 / 52 / 31 of 59; 2.21.0: 53 / 50 / 53 / 30 of 59; 2.20.0: 53 / 50 / 52 / 31 of 59; 2.19.0: 52 / 51 / 51 / 31 of 59; 2.18.0: 53 / 52 / 52 / 30 of 59; 2.17.0: 53 / 49 / 48 / 32 of 59; 2.16.0: 52 / 52 / 47 / 31 of 59; 2.15.0: 49 / 54 / 48 / 25 of 59; 2.14.0: 52 / 51 / 47 / 27 of 59; 2.13.1: 56 / 50 / 49 / 30 of 59; 2.13.0: 55 / 50 / 49 / 30 of 59; 2.12.0 and 2.12.1: 50 / 50 / 48 / 29 of 59; 2.11.0: 50 / 51 / 48 / 26 of 59; 2.10.1: 51 / 49 / 54 / 29 of 59; 2.9.0: 51 / 46 / 55 / 24 of 59 (2.8.1: 49 / 47 / 55 / 26; 2.8.0: 49 / 46 / 55 / 26; 2.7.0: 48 / 45 / 55 / 26; 2.6.0: 47 / 44 / 55 / 28; 2.5.0: 46 / 46 / 56 / 22; 2.4.1: 48 / 39 / 56 / 1).
 */
guardDevSet('direction-dev2.jsonl', 59, { confirming: 0.88, refuting: 0.89, unrelated: 0.93, discussing: 0.37 });

describe('direction suite', () => {
  const scorer = createScorer();
  const { results, share } = judge(scorer, cases);

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
