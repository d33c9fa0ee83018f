import { ICD203_SCALE, bandForProbability } from './icd203.ts';
import type { Prediction } from './schema.ts';

export interface ScoreSummary {
  /** Forecasts resolved true or false (the only ones a Brier score can use). */
  resolved: number;
  /** Mean squared error of probability against outcome (0 best, 1 worst); null with nothing resolved. */
  brier: number | null;
  /** Forecasts still open or resolved ambiguous. */
  unresolved: number;
  predictionIds: string[];
}

export interface NamedScore extends ScoreSummary {
  name: string;
}

export interface CalibrationBucket {
  /** The ICD 203 term whose band this bucket covers. */
  label: string;
  low: number;
  high: number;
  count: number;
  /** Mean stated probability of the forecasts in the bucket; null when empty. */
  meanProbability: number | null;
  /** Share of the bucket's forecasts that came true; null when empty. */
  observedFrequency: number | null;
}

export interface TrackRecord {
  overall: ScoreSummary;
  byAuthor: NamedScore[];
  byOutlet: NamedScore[];
  /** One bucket per ICD 203 band, in order, including empty ones. */
  calibration: CalibrationBucket[];
}

/** Names that stand for "not known"; they are left out of per-author and per-outlet scores. */
const UNKNOWN_NAMES = new Set(['unknown', 'anonymous', 'unsigned']);

function outcomeOf(p: Prediction): 0 | 1 | undefined {
  if (p.resolution.status === 'true') return 1;
  if (p.resolution.status === 'false') return 0;
  return undefined;
}

function summarize(predictions: readonly Prediction[]): ScoreSummary {
  let sum = 0;
  let resolved = 0;
  for (const p of predictions) {
    const outcome = outcomeOf(p);
    if (outcome === undefined) continue;
    sum += (p.probability - outcome) ** 2;
    resolved++;
  }
  return {
    resolved,
    brier: resolved ? Math.round((sum / resolved) * 10_000) / 10_000 : null,
    unresolved: predictions.length - resolved,
    predictionIds: predictions.map((p) => p.id),
  };
}

function groupBy(predictions: readonly Prediction[], keys: (p: Prediction) => string[]): NamedScore[] {
  const groups = new Map<string, Prediction[]>();
  for (const p of predictions) {
    for (const key of new Set(keys(p))) {
      if (UNKNOWN_NAMES.has(key.trim().toLowerCase())) continue;
      groups.set(key, [...(groups.get(key) ?? []), p]);
    }
  }
  return [...groups.entries()]
    .map(([name, members]) => ({ name, ...summarize(members) }))
    .sort((a, b) => b.resolved - a.resolved || a.name.localeCompare(b.name));
}

/**
 * The track record of forecasts that have resolved: Brier scores (against each forecast's
 * implied or stated probability) per author, per outlet and overall, and a calibration table by
 * ICD 203 band. Open and ambiguous forecasts are counted but not scored. Co-authors each get
 * the forecast. Pure.
 */
export function computeTrackRecord(predictions: readonly Prediction[]): TrackRecord {
  const resolved = predictions.filter((p) => outcomeOf(p) !== undefined);
  const calibration: CalibrationBucket[] = ICD203_SCALE.map((band, i) => {
    const low = i === 0 ? 0 : band.low;
    const high = i === ICD203_SCALE.length - 1 ? 1 : band.high;
    const members = resolved.filter((p) => bandForProbability(p.probability).term === band.term);
    const mean = (xs: number[]) => (xs.length ? Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 10_000) / 10_000 : null);
    return {
      label: band.term,
      low,
      high,
      count: members.length,
      meanProbability: mean(members.map((p) => p.probability)),
      observedFrequency: mean(members.map((p) => outcomeOf(p)!)),
    };
  });
  return {
    overall: summarize(predictions),
    byAuthor: groupBy(predictions, (p) => p.authors),
    byOutlet: groupBy(predictions, (p) => [p.outlet]),
    calibration,
  };
}
