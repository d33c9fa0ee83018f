/** The trained weights file's shape (src/weights/model.json) and the label orders it uses. */
import type { CueVocabulary, IdfTable } from './features.ts';
import type { TreeEnsemble } from './gbdt.ts';
import type { PackedLsa } from './lsa.ts';

/** Order of the stance model's classes: the vocabulary's related stances, in its order (model.json relies on it). */
export { RELATED_STANCES } from '@signpost/vocabulary';

export interface ScorerWeights {
  /** Model version; part of the scorer id. */
  version: string;
  /** What the model was trained on (for the record). */
  trainedOn: string;
  idf: IdfTable;
  cues: CueVocabulary;
  /** Topic space (truncated SVD of the training TF-IDF matrix), when trained with one. */
  lsa?: PackedLsa;
  /** Trained with the word vectors of weights/embeddings.json (their source, for the record). */
  embeddings?: string;
  /** P(related) for a report claim (a headline stating an event) vs a full article. */
  related: TreeEnsemble;
  /** P(agree, disagree, discuss | related) for a report claim vs a full article. */
  stance: TreeEnsemble;
  /** The same for a forecast (a claim about the future), with its own decisions. */
  forecast: {
    related: TreeEnsemble;
    stance: TreeEnsemble;
    /** Platt scaling of P(related) fitted on the corpus dev split: sigmoid(a * logit(p) + b). */
    calibration?: { a: number; b: number };
    relatedThreshold: number;
    stanceBias: [number, number, number];
    /** Read each related pair against the forecast negated too (`ScorerOptions.negationSymmetry`); since 2.26.0. */
    negationSymmetry?: boolean;
    /**
     * `stanceBias`'s first two weigh the forecast's event happening and not happening, not agree and
     * disagree: for a negated forecast ("X will not …") they change places (`ScorerOptions.eventBias`). Written by
     * `EVENT_BIAS=1` in train.ts; tried and not kept (docs/scoring.md, "After 2.27.0 (3)").
     */
    eventBias?: boolean;
  };
  /** P(agree, disagree, discuss) for a claim vs a short text (a headline or one sentence). */
  headline: TreeEnsemble;
  /** Related when P(related) >= this. */
  relatedThreshold: number;
  /** Multipliers on the stance probabilities before the arg-max (tuned on the hold-out split). */
  stanceBias: [number, number, number];
  headlineBias: [number, number, number];
  /**
   * The years left before a deadline (`f_time_left`) at which an undated article is read against a
   * forecast with a deadline, its probabilities averaged: quantiles of the dated training pairs' time left.
   */
  undatedTimeLeft?: number[];
  /** Hold-out and training figures recorded by the training script. */
  report?: Record<string, unknown>;
}
