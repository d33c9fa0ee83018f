import { describe, expect, it } from 'vitest';
import type { TreeEnsemble } from './gbdt.ts';
import type { ScorerWeights } from './model.ts';
import { pairFeatureNames } from './pair.ts';
import { featureContext } from './scorer.ts';
import committed from './weights/model.json' with { type: 'json' };

const weights = committed as unknown as ScorerWeights;
const names = pairFeatureNames(featureContext(weights));

/** The names of the features a model's trees split on. */
function splitFeatures(model: TreeEnsemble): Set<string> {
  const used = new Set<string>();
  for (const tree of model.trees) for (const f of tree.f) if (f >= 0) used.add(names[f] ?? `#${f}`);
  return used;
}

// What scripts/train.ts's featureMasks keeps from each expert. Scorers 2.0.0-2.2.0 masked the final
// models with the tuning context's indices; its claim cues were fewer, so the forecast models split on
// the forecast's own length and weight and on claim cue words, and never on three direction features.
const FORECAST_IDENTITY = ['f_claim_terms', 'f_claim_weight', 'claim_terms', 'claim_numbers'];

describe('the committed models split only on the features their expert may see', () => {
  it('has one name per feature the models were trained with', () => {
    expect(weights.forecast.related.features).toBe(names.length);
  });

  it('reads an undated article at the quantiles of the time left, the last feature', () => {
    // The scorer sets the last feature to each of these for an undated article (scorer.ts, predict).
    expect(names.at(-1)).toBe('f_time_left');
    const times = weights.undatedTimeLeft ?? [];
    expect(times.length).toBe(3);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    for (const t of times) expect(t >= -2 && t <= 5).toBe(true);
  });

  for (const [label, model] of [
    ['forecast relatedness', weights.forecast.related],
    ['forecast stance', weights.forecast.stance],
  ] as const) {
    it(`${label}: no forecast-identity feature and no learned cue word`, () => {
      const used = [...splitFeatures(model)];
      expect(used.filter((n) => FORECAST_IDENTITY.includes(n) || n.startsWith('cue_'))).toEqual([]);
      // The direction analysis is what the forecast expert is for; it must be there.
      expect(used.filter((n) => n.startsWith('f_')).length).toBeGreaterThan(20);
    });
  }

  for (const [label, model] of [
    ['report relatedness', weights.related],
    ['report stance', weights.stance],
  ] as const) {
    it(`${label}: none of the direction, topic-space or word-vector features`, () => {
      const used = [...splitFeatures(model)];
      expect(used.filter((n) => n.startsWith('f_') || n.startsWith('lsa_') || n.startsWith('emb_'))).toEqual([]);
    });
  }
});
