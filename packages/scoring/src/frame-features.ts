/**
 * The direction analysis as model inputs: relatedness specific to the claim (how much of the claim's
 * subject, its core terms and its main event the best sentences contain), and the direction signals of
 * those sentences (polarity agreement, increase/decrease, quantities against the threshold, hedges,
 * who the subject is), with the claim's own shape and, when given, its signposts.
 */
import { documentCoverage, rankSignals, type ClaimFrame, type PreparedDocument, type SentenceSignals } from './frame.ts';

export const FRAME_FEATURES = [
  'f_cov1',
  'f_cov2',
  'f_cov_top3',
  'f_core1',
  'f_core_max',
  'f_evcov1',
  'f_evcov_max',
  'f_title_cov',
  'f_lead_cov',
  'f_doc_all',
  'f_doc_exact',
  'f_doc_core',
  'f_doc_actors',
  'f_sent_cov03',
  'f_sent_cov05',
  'f_best_actor_share',
  'f_claim_terms',
  'f_claim_weight',
  'f_keywords',
  'f_align1',
  'f_align_pos',
  'f_align_neg',
  'f_align_all1',
  'f_lean_pos',
  'f_lean_neg',
  'f_lean_sum',
  'f_title_lean',
  'f_dir',
  'f_quant',
  'f_quant_gap',
  'f_hedge_top3',
  'f_subject1',
  'f_subject_other',
  'f_rev_top3',
  'f_neg_top3',
  'f_claim_negated',
  'f_claim_quantity',
  'f_claim_direction',
  'f_claim_conditional',
  'f_claim_hedged',
  'f_deadline_gap',
  'f_sp_max_cov',
  'f_sp_support',
  'f_sp_undermine',
  'f_sp_related',
  'f_claim_future',
  'f_entity_factor',
  'f_top_future',
  'f_top_past',
  'f_top_opinion',
  'f_best_future',
  'f_best_past',
  'f_year_match',
  'f_doc_future',
  'f_doc_opinion',
  'f_lean_abs_max',
  'f_evidence_sents',
  'f_sp_cov_holds',
  'f_sp_cov_fails',
] as const;

export interface SignpostFrame {
  frame: ClaimFrame;
  holds: boolean;
  /** The signpost's IDF-weighted mean word vector, when the scorer has word vectors. */
  mean?: Float32Array | null;
}

/** Sentences that count as being about the claim when their direction is read. */
const ON_TOPIC = 0.25;

export interface FrameAnalysis {
  features: Float64Array;
  ranked: SentenceSignals[];
}

/** Stemmed keys of each keyword (all must be present for the keyword to count). */
export type KeywordKeys = string[][];

export function frameFeatures(
  claim: ClaimFrame,
  doc: PreparedDocument,
  options: { signposts?: SignpostFrame[]; keywords?: KeywordKeys; future: boolean; entityFactor: number },
): FrameAnalysis {
  const f = new Float64Array(FRAME_FEATURES.length);
  const ranked = rankSignals(claim, doc);
  const top = ranked.slice(0, 3);
  const best = top[0];
  let k = 0;
  f[k++] = best?.coverage ?? 0;
  f[k++] = top[1]?.coverage ?? 0;
  f[k++] = top.length ? top.reduce((a, s) => a + s.coverage, 0) / top.length : 0;
  f[k++] = best?.core ?? 0;
  let coreMax = 0;
  let evMax = 0;
  let titleCov = -1;
  let titleLean = 0;
  let leadCov = 0;
  let over03 = 0;
  let over05 = 0;
  let leanPos = 0;
  let leanNeg = 0;
  let leanSum = 0;
  let firstBody = -1;
  for (const s of ranked) {
    coreMax = Math.max(coreMax, s.core);
    evMax = Math.max(evMax, s.eventCoverage);
    if (s.title) {
      titleCov = Math.max(titleCov, s.coverage);
      titleLean = s.coverage >= ON_TOPIC ? s.lean : titleLean;
    }
    if (s.coverage >= 0.3) over03++;
    if (s.coverage >= 0.5) over05++;
    if (s.coverage >= ON_TOPIC) {
      leanPos = Math.max(leanPos, s.lean);
      leanNeg = Math.max(leanNeg, -s.lean);
      leanSum += s.lean * s.coverage;
    }
  }
  for (let i = 0; i < doc.sentences.length; i++) {
    if (doc.sentences[i]?.title) continue;
    if (firstBody < 0) firstBody = i;
    if (i - firstBody >= 2) break;
    const s = ranked.find((r) => r.index === i);
    if (s) leadCov = Math.max(leadCov, s.coverage);
  }
  f[k++] = coreMax;
  f[k++] = best?.eventCoverage ?? 0;
  f[k++] = evMax;
  f[k++] = titleCov;
  f[k++] = leadCov;
  const dc = documentCoverage(claim, doc);
  f[k++] = dc.all;
  f[k++] = dc.exact;
  f[k++] = dc.core;
  f[k++] = dc.actors;
  f[k++] = doc.sentences.length ? over03 / doc.sentences.length : 0;
  f[k++] = Math.min(over05, 10);
  f[k++] = best?.actorShare ?? 0;
  f[k++] = claim.terms.length;
  f[k++] = claim.weight;
  if (options.keywords && options.keywords.length > 0) {
    let hit = 0;
    for (const kw of options.keywords) if (kw.length > 0 && kw.every((key) => doc.keys.has(key))) hit++;
    f[k++] = hit / options.keywords.length;
  } else f[k++] = -1;
  f[k++] = best?.alignEvent ?? 0;
  let alignPos = 0;
  let alignNeg = 0;
  let dir = 0;
  let hedge = 0;
  let subjectOther = 0;
  let rev = 0;
  let neg = 0;
  for (const s of top) {
    alignPos += Math.max(0, s.alignEvent) * s.coverage;
    alignNeg += Math.max(0, -s.alignEvent) * s.coverage;
    dir += s.direction * s.coverage;
    hedge += s.hedged;
    if (s.subject < 0 && s.coverage >= 0.3) subjectOther = 1;
    rev += s.reversals;
    neg += s.negations;
  }
  f[k++] = alignPos;
  f[k++] = alignNeg;
  f[k++] = best?.align ?? 0;
  f[k++] = leanPos;
  f[k++] = leanNeg;
  f[k++] = leanSum;
  f[k++] = titleLean;
  f[k++] = dir;
  let quant = 0;
  let quantGap = 0;
  for (const s of ranked) {
    if (s.quantity !== 0 && s.coverage >= ON_TOPIC) {
      quant = s.quantity;
      quantGap = s.quantityGap;
      break;
    }
  }
  f[k++] = quant;
  f[k++] = quantGap;
  f[k++] = top.length ? hedge / top.length : 0;
  f[k++] = best?.subject ?? 0;
  f[k++] = subjectOther;
  f[k++] = rev;
  f[k++] = neg;
  f[k++] = claim.negated ? 1 : 0;
  f[k++] = claim.quantity ? 1 : 0;
  f[k++] = claim.direction;
  f[k++] = claim.conditional ? 1 : 0;
  f[k++] = claim.hedged ? 1 : 0;
  f[k++] = claim.deadlineYear !== undefined && doc.maxYear > 0 ? Math.max(-5, Math.min(5, doc.maxYear - claim.deadlineYear)) : -9;
  let covHolds = -1;
  let covFails = -1;
  if (options.signposts && options.signposts.length > 0) {
    covHolds = 0;
    covFails = 0;
    let maxCov = 0;
    let support = 0;
    let undermine = 0;
    let related = 0;
    for (const sp of options.signposts) {
      const r = rankSignals(sp.frame, doc);
      const b = r[0];
      if (!b) continue;
      maxCov = Math.max(maxCov, b.coverage);
      if (sp.holds) covHolds = Math.max(covHolds, b.coverage);
      else covFails = Math.max(covFails, b.coverage);
      if (b.coverage >= 0.5) related++;
      // The best-covered sentence's lean, mapped onto the forecast through the signpost's direction.
      let lean = 0;
      for (const s of r) {
        if (s.coverage < Math.max(ON_TOPIC, b.coverage * 0.8)) break;
        if (Math.abs(s.lean) > Math.abs(lean)) lean = s.lean;
      }
      const v = (sp.holds ? 1 : -1) * lean * b.coverage;
      support = Math.max(support, v);
      undermine = Math.max(undermine, -v);
    }
    f[k++] = maxCov;
    f[k++] = support;
    f[k++] = undermine;
    f[k++] = related;
  } else {
    f[k++] = -1;
    f[k++] = -1;
    f[k++] = -1;
    f[k++] = -1;
  }
  f[k++] = options.future ? 1 : 0;
  f[k++] = options.entityFactor;
  let tf = 0;
  let tp = 0;
  let to = 0;
  let ym = 0;
  for (const s of top) {
    if (s.future) tf++;
    if (s.past) tp++;
    if (s.opinion) to++;
    if (s.yearMatch) ym = 1;
  }
  f[k++] = top.length ? tf / top.length : 0;
  f[k++] = top.length ? tp / top.length : 0;
  f[k++] = top.length ? to / top.length : 0;
  f[k++] = best?.future ? 1 : 0;
  f[k++] = best?.past ? 1 : 0;
  f[k++] = ym;
  let df = 0;
  let dop = 0;
  for (const s of doc.sentences) {
    if (s.future) df++;
    if (s.opinion) dop++;
  }
  f[k++] = doc.sentences.length ? df / doc.sentences.length : 0;
  f[k++] = doc.sentences.length ? dop / doc.sentences.length : 0;
  f[k++] = Math.max(leanPos, leanNeg);
  // On-topic sentences that point one way and are not hedged: the article's evidence.
  let evidence = 0;
  for (const s of ranked) if (s.coverage >= ON_TOPIC && Math.abs(s.lean) >= 0.2 && s.hedged < 0.5 && !s.future) evidence++;
  f[k++] = Math.min(evidence, 6);
  // Signposts that confirm the forecast and those that undermine it, covered apart.
  f[k++] = covHolds;
  f[k] = covFails;
  return { features: f, ranked };
}

/** A claim about the future ("will", "won't", "shall", "is going to", "by 2026"). */
export function isFutureClaim(text: string): boolean {
  return /\b(?:will|won['’]t|shall|going to|is set to|by (?:the end of )?(?:19|20)\d\d)\b/i.test(text);
}
