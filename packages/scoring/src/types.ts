import type { ForecastAdjustment } from './adjustment.ts';

import type { SignpostDirection, Stance } from '@signpost/vocabulary';

/** The public shapes of the scorer: what callers pass in and what a judgment holds. */

export type { Stance };

export interface ScorableClaim {
  id?: string;
  /** The forecast (or headline) in plain words. */
  statement: string;
  /** Extra topic words; when given, an article mentioning none of them is discounted. */
  keywords?: string[];
  /** Observable events; `holds` means the event happening supports the forecast, `fails` undermines it. */
  signposts?: { text: string; direction: SignpostDirection }[];
  /**
   * When the forecast falls due (YYYY-MM-DD), where its record says; without it the deadline is read from
   * the statement's own words ("before mid-2026"), if any. An article is read against the time left.
   */
  deadline?: string | null;
  /** This forecast's correction learned from analysts' reviews (`fitAdjustment`), if any. */
  adjustment?: ForecastAdjustment;
}

export interface ScorableArticle {
  title?: string;
  body: string;
  published?: string;
}

export interface EvidenceSentence {
  text: string;
  stance: Stance;
}

export interface Judgment {
  stance: Stance;
  /** Calibrated probability that the article bears on the claim, 0..1. */
  relevance: number;
  /** Probability of the chosen stance, 0..1. */
  confidence: number;
  /** One to three sentences that most support the stance (empty when unrelated). */
  evidence: EvidenceSentence[];
  /** "<name>@<version>" of the scorer that made this judgment. */
  scorer: string;
  /** The article's stance toward each signpost that it bears on (index into `claim.signposts`). */
  signposts?: { index: number; stance: Stance }[];
  /** Probabilities of the three related stances given that the article is related (sum to 1). */
  stanceProbabilities?: { agree: number; disagree: number; discuss: number };
}
