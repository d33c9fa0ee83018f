/**
 * The direction cases the forecast models train on (datasets/direction-train) must not ask the question
 * of a forecast the scorer is measured on: a test forecast must stay unseen, as a user's own forecast
 * would be, and a dev forecast unseen for dev figures to mean anything (scripts/case-overlap.ts).
 */
import { describe, expect, it } from 'vitest';
import { DIRECTION_CASES_FILE, measuredForecasts, nearestMeasured, QUESTION_OVERLAP, readJsonl } from '../scripts/datasets.ts';
import type { ScorableArticle, ScorableClaim } from './types.ts';

interface TrainingCase {
  id: string;
  forecast: ScorableClaim;
  confirming: ScorableArticle;
  refuting: ScorableArticle;
  unrelated: ScorableArticle;
  discussing?: ScorableArticle;
}

/** Same question in other words, below the word-overlap rule: dropped by hand (the dataset's README). */
const DROPPED_BY_HAND = ['dt2-05', 'dt7-15'];

describe('direction training cases', () => {
  const cases = readJsonl<TrainingCase>(DIRECTION_CASES_FILE);
  const measured = measuredForecasts();

  it('are complete and their ids unique', () => {
    expect(cases.length).toBeGreaterThan(100);
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
    for (const c of cases) {
      expect(c.forecast.statement, c.id).toMatch(/\S/);
      for (const kind of ['confirming', 'refuting', 'unrelated'] as const)
        expect(c[kind].body.length, `${c.id} ${kind}`).toBeGreaterThan(200);
    }
  });

  it('ask no measured forecast its question', () => {
    expect(measured.length).toBeGreaterThan(150);
    const close = cases
      .map((c) => ({ ...nearestMeasured(c.forecast.statement, measured), id: c.id }))
      .filter((m) => m.score >= QUESTION_OVERLAP)
      .map((m) => `${m.id} ~ ${m.statement} (${m.score.toFixed(2)})`);
    expect(close).toEqual([]);
    expect(cases.filter((c) => DROPPED_BY_HAND.includes(c.id)).map((c) => c.id)).toEqual([]);
  });

  it('the rule finds a measured forecast written again', () => {
    const suiteForecast = measured[0]!;
    expect(nearestMeasured(suiteForecast.statement.replace(/\.$/, ', analysts say.'), measured).score).toBeGreaterThanOrEqual(
      QUESTION_OVERLAP,
    );
  });
});
