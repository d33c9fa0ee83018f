/**
 * Pair features for the stance models: TF-IDF similarities (whole text, lead, per sentence),
 * word, bigram and character overlap, cue words (refuting, hedging, reporting, confirming,
 * negation, polarity) overall and in the sentences that best match the claim, numbers
 * agreement, and a learned cue vocabulary. Text-side work is done once per text by
 * `prepareText` so one article can be scored against many claims cheaply.
 */
import { CONFIRMING, HEDGING, HEDGING_PHRASES, NEGATION, NEGATIVE, POSITIVE, REFUTING, REFUTING_PHRASES, REPORTING } from './lexicons.ts';
import { columnsOf, cosineUnit, NO_VECTORS, softMatchColumns, textVectors, type Embeddings, type TextVectors } from './embeddings.ts';
import { cosineDense, createLsaIndex, projectLsa, type LsaModel } from './lsa.ts';
import { isStopWord, splitSentences, stem, tokenize } from './text.ts';

export interface IdfTable {
  /** Inverse document frequency per stemmed term (capped vocabulary). */
  idf: Record<string, number>;
  /** IDF used for terms outside the table (rare terms). */
  defaultIdf: number;
}

export interface CueVocabulary {
  /** Stemmed terms whose frequency in the article predicts stance. */
  body: string[];
  /** Stemmed terms whose presence in the claim predicts stance. */
  claim: string[];
}

export interface FeatureContext {
  idf: IdfTable;
  cues: CueVocabulary;
  /** Optional topic space; without it the LSA features are 0. */
  lsa?: LsaModel;
  /** Optional word vectors; with them the EMB_FEATURES are part of the vector. */
  embeddings?: Embeddings;
}

const lsaIndexes = new WeakMap<LsaModel, Map<string, number>>();

function lsaVector(ctx: FeatureContext, weights: Map<string, number>): Float64Array | null {
  if (!ctx.lsa) return null;
  let index = lsaIndexes.get(ctx.lsa);
  if (!index) lsaIndexes.set(ctx.lsa, (index = createLsaIndex(ctx.lsa)));
  return projectLsa(ctx.lsa, index, weights);
}

export interface PreparedSentence {
  text: string;
  /** Stem per token, or '' for stop words. */
  stems: string[];
  tokens: string[];
  weights: Map<string, number>;
  norm: number;
  refute: number;
  hedge: number;
  report: number;
  confirm: number;
  negation: number;
  refutePhrase: number;
  hedgePhrase: number;
  question: boolean;
}

export interface PreparedText {
  text: string;
  sentences: PreparedSentence[];
  /** TF-IDF weights over the whole text. */
  weights: Map<string, number>;
  norm: number;
  /** TF-IDF weights over the first two sentences. */
  leadWeights: Map<string, number>;
  leadNorm: number;
  termCount: number;
  tokenCount: number;
  termSet: Set<string>;
  bigrams: Set<string>;
  leadBigrams: Set<string>;
  charGrams: Set<number>;
  leadCharGrams: Set<number>;
  numbers: Set<string>;
  capitals: Set<string>;
  counts: {
    refute: number;
    hedge: number;
    report: number;
    confirm: number;
    negation: number;
    positive: number;
    negative: number;
    question: number;
    refutePhrase: number;
    hedgePhrase: number;
  };
  /** Relative frequency (per token) of each body cue term, in cue-vocabulary order. */
  cueFreq: Float64Array;
  /** Presence of each claim cue term. */
  claimCues: Float64Array;
  lsa: Float64Array | null;
  leadLsa: Float64Array | null;
  /**
   * Word vectors (IDF-weighted) of the whole text, its first two sentences and each sentence, with
   * where the lead's and each sentence's words sit among the whole text's (`columnsOf`).
   */
  vectors: {
    whole: TextVectors;
    lead: TextVectors;
    sentences: TextVectors[];
    leadColumns: Int32Array;
    sentenceColumns: Int32Array[];
  } | null;
}

const F_REFUTE = 1;
const F_HEDGE = 2;
const F_REPORT = 4;
const F_CONFIRM = 8;
const F_NEGATION = 16;
const F_POSITIVE = 32;
const F_NEGATIVE = 64;
const F_DIGIT = 128;

interface WordInfo {
  /** Stem, or '' for a stop word. */
  stem: string;
  flags: number;
}

const wordInfoCache = new Map<string, WordInfo>();

/** Stem and lexicon membership of a token, computed once per distinct word. */
function wordInfo(t: string): WordInfo {
  let info = wordInfoCache.get(t);
  if (info) return info;
  const s = stem(t);
  let flags = 0;
  if (REFUTING.has(s)) flags |= F_REFUTE;
  if (HEDGING.has(s)) flags |= F_HEDGE;
  if (REPORTING.has(s)) flags |= F_REPORT;
  if (CONFIRMING.has(s)) flags |= F_CONFIRM;
  if (NEGATION.has(t)) flags |= F_NEGATION;
  if (POSITIVE.has(s)) flags |= F_POSITIVE;
  if (NEGATIVE.has(s)) flags |= F_NEGATIVE;
  if (/\d/.test(t)) flags |= F_DIGIT;
  info = { stem: isStopWord(t) ? '' : s, flags };
  if (wordInfoCache.size >= 200_000) wordInfoCache.clear();
  wordInfoCache.set(t, info);
  return info;
}

function idfOf(ctx: FeatureContext, term: string): number {
  return ctx.idf.idf[term] ?? ctx.idf.defaultIdf;
}

function weigh(ctx: FeatureContext, stems: readonly string[]): { weights: Map<string, number>; norm: number } {
  const tf = new Map<string, number>();
  for (const s of stems) if (s) tf.set(s, (tf.get(s) ?? 0) + 1);
  let norm = 0;
  for (const [t, c] of tf) {
    const w = (1 + Math.log(c)) * idfOf(ctx, t);
    tf.set(t, w);
    norm += w * w;
  }
  return { weights: tf, norm: Math.sqrt(norm) };
}

/** Character 4-grams of each content word padded with spaces, as 32-bit FNV hashes (no string garbage). */
function charGramsOf(tokens: readonly string[], into: Set<number>): void {
  for (const t of tokens) {
    if (isStopWord(t)) continue;
    const n = t.length + 2;
    for (let i = 0; i + 4 <= n; i++) {
      let h = 0x811c9dc5;
      for (let j = i; j < i + 4; j++) {
        const c = j === 0 || j === n - 1 ? 32 : t.charCodeAt(j - 1);
        h = Math.imul(h ^ c, 16777619);
      }
      into.add(h);
    }
  }
}

function bigramsOf(stems: readonly string[], into: Set<string>): void {
  let prev = '';
  for (const s of stems) {
    if (!s) continue;
    if (prev) into.add(prev + ' ' + s);
    prev = s;
  }
}

/** Does the work that depends only on one text (claim or article) once. */
export function prepareText(ctx: FeatureContext, text: string): PreparedText {
  const rawSentences = splitSentences(text);
  const sentences: PreparedSentence[] = [];
  const allStems: string[] = [];
  const leadStems: string[] = [];
  const bigrams = new Set<string>();
  const leadBigrams = new Set<string>();
  const charGrams = new Set<number>();
  const leadCharGrams = new Set<number>();
  const numbers = new Set<string>();
  const capitals = new Set<string>();
  const counts = {
    refute: 0,
    hedge: 0,
    report: 0,
    confirm: 0,
    negation: 0,
    positive: 0,
    negative: 0,
    question: 0,
    refutePhrase: 0,
    hedgePhrase: 0,
  };
  let tokenCount = 0;
  rawSentences.forEach((st, si) => {
    const tokens = tokenize(st);
    const stems: string[] = new Array<string>(tokens.length);
    let refute = 0;
    let hedge = 0;
    let report = 0;
    let confirm = 0;
    let negation = 0;
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i] ?? '';
      const info = wordInfo(t);
      stems[i] = info.stem;
      const fl = info.flags;
      if (fl === 0) continue;
      if (fl & F_REFUTE) refute++;
      if (fl & F_HEDGE) hedge++;
      if (fl & F_REPORT) report++;
      if (fl & F_CONFIRM) confirm++;
      if (fl & F_NEGATION) negation++;
      if (fl & F_POSITIVE) counts.positive++;
      if (fl & F_NEGATIVE) counts.negative++;
      if (fl & F_DIGIT) numbers.add(t);
    }
    for (const m of st.matchAll(/(?<=[\s"'“(])([\p{Lu}][\p{L}]+)/gu)) {
      const w = (m[1] ?? '').toLowerCase();
      if (!isStopWord(w)) capitals.add(stem(w));
    }
    const question = st.includes('?');
    const lower = st.toLowerCase();
    const refutePhrase = countMatches(REFUTING_PHRASES, lower);
    const hedgePhrase = countMatches(HEDGING_PHRASES, lower);
    counts.refutePhrase += refutePhrase;
    counts.hedgePhrase += hedgePhrase;
    counts.refute += refute;
    counts.hedge += hedge;
    counts.report += report;
    counts.confirm += confirm;
    counts.negation += negation;
    if (question) counts.question++;
    tokenCount += tokens.length;
    for (const s of stems) if (s) allStems.push(s);
    bigramsOf(stems, bigrams);
    charGramsOf(tokens, charGrams);
    if (si < 2) {
      for (const s of stems) if (s) leadStems.push(s);
      bigramsOf(stems, leadBigrams);
      charGramsOf(tokens, leadCharGrams);
    }
    const { weights, norm } = weigh(ctx, stems);
    sentences.push({
      text: st,
      stems,
      tokens,
      weights,
      norm,
      refute,
      hedge,
      report,
      confirm,
      negation,
      refutePhrase,
      hedgePhrase,
      question,
    });
  });
  const whole = weigh(ctx, allStems);
  const lead = weigh(ctx, leadStems);
  const termSet = new Set(allStems);
  const cueFreq = new Float64Array(ctx.cues.body.length);
  const claimCues = new Float64Array(ctx.cues.claim.length);
  if (cueFreq.length > 0 || claimCues.length > 0) {
    const tf = new Map<string, number>();
    for (const s of allStems) tf.set(s, (tf.get(s) ?? 0) + 1);
    const denom = Math.max(allStems.length, 1);
    ctx.cues.body.forEach((c, i) => {
      cueFreq[i] = (100 * (tf.get(c) ?? 0)) / denom;
    });
    ctx.cues.claim.forEach((c, i) => {
      claimCues[i] = tf.has(c) ? 1 : 0;
    });
  }
  return {
    text,
    sentences,
    weights: whole.weights,
    norm: whole.norm,
    leadWeights: lead.weights,
    leadNorm: lead.norm,
    termCount: allStems.length,
    tokenCount,
    termSet,
    bigrams,
    leadBigrams,
    charGrams,
    leadCharGrams,
    numbers,
    capitals,
    counts,
    cueFreq,
    claimCues,
    lsa: lsaVector(ctx, whole.weights),
    leadLsa: lsaVector(ctx, lead.weights),
    vectors: ctx.embeddings ? textVectorsOf(ctx, ctx.embeddings, sentences) : null,
  };
}

function textVectorsOf(ctx: FeatureContext, emb: Embeddings, sentences: readonly PreparedSentence[]): PreparedText['vectors'] {
  const words = (from: number, to: number) => sentences.slice(from, to).flatMap((s) => s.tokens);
  const stems = (from: number, to: number) => sentences.slice(from, to).flatMap((s) => s.stems);
  const of = (from: number, to: number): TextVectors => {
    const st = stems(from, to);
    return textVectors(emb, words(from, to), (i) => (st[i] ? idfOf(ctx, st[i] as string) : 0));
  };
  const whole = of(0, sentences.length);
  const lead = of(0, 2);
  const each = sentences.map((_, i) => of(i, i + 1));
  const [leadColumns = new Int32Array(0), ...sentenceColumns] = columnsOf(whole, [lead, ...each]);
  return { whole, lead, sentences: each, leadColumns, sentenceColumns };
}

function countMatches(re: RegExp, text: string): number {
  re.lastIndex = 0;
  let n = 0;
  while (re.exec(text)) n++;
  return n;
}

function cosine(a: Map<string, number>, an: number, b: Map<string, number>, bn: number): number {
  if (an === 0 || bn === 0) return 0;
  let dot = 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const [t, w] of small) {
    const v = large.get(t);
    if (v !== undefined) dot += w * v;
  }
  return dot / (an * bn);
}

function fractionIn<T>(items: Set<T>, target: Set<T>): number {
  if (items.size === 0) return 0;
  let n = 0;
  for (const x of items) if (target.has(x)) n++;
  return n / items.size;
}

const BASE_FEATURES = [
  'cos_body',
  'cos_lead',
  'cos_first',
  'cos_max_sent',
  'cos_top3_mean',
  'best_sent_pos',
  'sents_over_02',
  'sents_over_01',
  'overlap_frac',
  'overlap_idf_frac',
  'overlap_lead_frac',
  'bigram_frac',
  'bigram_lead_frac',
  'char_frac',
  'char_lead_frac',
  'capital_frac',
  'number_frac',
  'claim_numbers',
  'claim_hits_per_token',
  'log_body_tokens',
  'log_sentences',
  'claim_terms',
  'claim_refute',
  'claim_hedge',
  'claim_negation',
  'claim_question',
  'claim_report',
  'claim_confirm',
  'claim_quote',
  'body_refute',
  'body_hedge',
  'body_report',
  'body_confirm',
  'body_negation',
  'body_positive',
  'body_negative',
  'body_question',
  'lead_refute',
  'lead_hedge',
  'lead_negation',
  'top_refute',
  'top_hedge',
  'top_report',
  'top_confirm',
  'top_negation',
  'top_question',
  'top_neg_near_match',
  'best_refute',
  'best_hedge',
  'best_negation',
  'polarity_claim_body',
  'polarity_claim_top',
  'cos_weighted_refute',
  'cos_weighted_hedge',
  'claim_refute_phrase',
  'claim_hedge_phrase',
  'body_refute_phrase',
  'body_hedge_phrase',
  'lead_refute_phrase',
  'lead_hedge_phrase',
  'top_refute_phrase',
  'top_hedge_phrase',
] as const;

/** Present only when the weights carry an LSA space, so models without one keep their layout. */
const LSA_FEATURES = ['lsa_cos_body', 'lsa_cos_lead'] as const;
/** Present only with word vectors: mean-vector cosines, and soft word-by-word matches of the claim. */
export const EMB_FEATURES = ['emb_cos_body', 'emb_cos_lead', 'emb_cos_max_sent', 'emb_soft_lead', 'emb_soft_top', 'emb_soft_body'] as const;

/** Names of the feature vector's entries (for training reports and model inspection). */
export function featureNames(ctx: FeatureContext): string[] {
  return [
    ...BASE_FEATURES,
    ...(ctx.lsa ? LSA_FEATURES : []),
    ...(ctx.embeddings ? EMB_FEATURES : []),
    ...ctx.cues.body.map((c) => `cue_body:${c}`),
    ...ctx.cues.body.map((c) => `cue_top:${c}`),
    ...ctx.cues.claim.map((c) => `cue_claim:${c}`),
  ];
}

export interface SentenceMatch {
  index: number;
  similarity: number;
}

/** Sentences of `body` ranked by TF-IDF cosine to the claim (best first). */
export function rankSentences(claim: PreparedText, body: PreparedText): SentenceMatch[] {
  const out: SentenceMatch[] = [];
  body.sentences.forEach((s, index) => {
    out.push({ index, similarity: cosine(claim.weights, claim.norm, s.weights, s.norm) });
  });
  out.sort((a, b) => b.similarity - a.similarity || a.index - b.index);
  return out;
}

/** The feature vector of a (claim, article) pair. */
export function computeFeatures(ctx: FeatureContext, claim: PreparedText, body: PreparedText, ranked?: SentenceMatch[]): Float64Array {
  const nb = ctx.cues.body.length;
  const nc = ctx.cues.claim.length;
  const f = new Float64Array(
    BASE_FEATURES.length + (ctx.lsa ? LSA_FEATURES.length : 0) + (ctx.embeddings ? EMB_FEATURES.length : 0) + 2 * nb + nc,
  );
  const ranking = ranked ?? rankSentences(claim, body);
  const nS = body.sentences.length;
  const top = ranking.slice(0, 3);
  let k = 0;
  f[k++] = cosine(claim.weights, claim.norm, body.weights, body.norm);
  f[k++] = cosine(claim.weights, claim.norm, body.leadWeights, body.leadNorm);
  const first = body.sentences[0];
  f[k++] = first ? cosine(claim.weights, claim.norm, first.weights, first.norm) : 0;
  f[k++] = top[0]?.similarity ?? 0;
  f[k++] = top.length ? top.reduce((a, m) => a + m.similarity, 0) / top.length : 0;
  f[k++] = top[0] && nS > 1 ? top[0].index / (nS - 1) : 0;
  let over2 = 0;
  let over1 = 0;
  for (const m of ranking) {
    if (m.similarity > 0.2) over2++;
    if (m.similarity > 0.1) over1++;
  }
  f[k++] = nS ? over2 / nS : 0;
  f[k++] = nS ? over1 / nS : 0;
  // word overlap
  let idfAll = 0;
  let idfHit = 0;
  let hits = 0;
  let leadHits = 0;
  for (const t of claim.termSet) {
    const w = idfOf(ctx, t);
    idfAll += w;
    if (body.termSet.has(t)) {
      hits++;
      idfHit += w;
    }
    if (body.leadWeights.has(t)) leadHits++;
  }
  const nClaim = claim.termSet.size;
  f[k++] = nClaim ? hits / nClaim : 0;
  f[k++] = idfAll ? idfHit / idfAll : 0;
  f[k++] = nClaim ? leadHits / nClaim : 0;
  f[k++] = fractionIn(claim.bigrams, body.bigrams);
  f[k++] = fractionIn(claim.bigrams, body.leadBigrams);
  f[k++] = fractionIn(claim.charGrams, body.charGrams);
  f[k++] = fractionIn(claim.charGrams, body.leadCharGrams);
  f[k++] = fractionIn(claim.capitals, body.termSet);
  f[k++] = claim.numbers.size ? fractionIn(claim.numbers, body.numbers) : -1;
  f[k++] = claim.numbers.size;
  let claimHits = 0;
  for (const t of claim.termSet) {
    const w = body.weights.get(t);
    if (w !== undefined) claimHits += Math.exp(w / idfOf(ctx, t) - 1);
  }
  f[k++] = body.termCount ? claimHits / body.termCount : 0;
  f[k++] = Math.log1p(body.tokenCount);
  f[k++] = Math.log1p(nS);
  f[k++] = nClaim;
  const cc = claim.counts;
  f[k++] = cc.refute;
  f[k++] = cc.hedge;
  f[k++] = cc.negation;
  f[k++] = cc.question;
  f[k++] = cc.report;
  f[k++] = cc.confirm;
  f[k++] = /["“”‘’']/.test(claim.text) ? 1 : 0;
  const bc = body.counts;
  const per = 100 / Math.max(body.tokenCount, 1);
  f[k++] = bc.refute * per;
  f[k++] = bc.hedge * per;
  f[k++] = bc.report * per;
  f[k++] = bc.confirm * per;
  f[k++] = bc.negation * per;
  f[k++] = bc.positive * per;
  f[k++] = bc.negative * per;
  f[k++] = bc.question / Math.max(nS, 1);
  let leadRefute = 0;
  let leadHedge = 0;
  let leadNeg = 0;
  for (let i = 0; i < Math.min(2, nS); i++) {
    const s = body.sentences[i];
    if (!s) continue;
    leadRefute += s.refute;
    leadHedge += s.hedge;
    leadNeg += s.negation;
  }
  f[k++] = leadRefute;
  f[k++] = leadHedge;
  f[k++] = leadNeg;
  let tRefute = 0;
  let tHedge = 0;
  let tReport = 0;
  let tConfirm = 0;
  let tNeg = 0;
  let tQ = 0;
  let negNear = 0;
  let wRefute = 0;
  let wHedge = 0;
  for (const m of top) {
    const s = body.sentences[m.index];
    if (!s) continue;
    tRefute += s.refute;
    tHedge += s.hedge;
    tReport += s.report;
    tConfirm += s.confirm;
    tNeg += s.negation;
    if (s.question) tQ++;
    wRefute += m.similarity * s.refute;
    wHedge += m.similarity * s.hedge;
    for (let i = 0; i < s.tokens.length; i++) {
      if (!NEGATION.has(s.tokens[i] ?? '')) continue;
      for (let j = Math.max(0, i - 4); j < Math.min(s.tokens.length, i + 5); j++) {
        const st = s.stems[j];
        if (st && claim.termSet.has(st)) {
          negNear++;
          break;
        }
      }
    }
  }
  f[k++] = tRefute;
  f[k++] = tHedge;
  f[k++] = tReport;
  f[k++] = tConfirm;
  f[k++] = tNeg;
  f[k++] = tQ;
  f[k++] = negNear;
  const best = top[0] ? body.sentences[top[0].index] : undefined;
  f[k++] = best?.refute ?? 0;
  f[k++] = best?.hedge ?? 0;
  f[k++] = best?.negation ?? 0;
  const claimPol = (cc.refute + cc.negation) % 2;
  f[k++] = claimPol * 2 + ((bc.refute + bc.negation) % 2);
  f[k++] = claimPol * 2 + ((tRefute + tNeg) % 2);
  f[k++] = wRefute;
  f[k++] = wHedge;
  f[k++] = cc.refutePhrase;
  f[k++] = cc.hedgePhrase;
  f[k++] = bc.refutePhrase * per;
  f[k++] = bc.hedgePhrase * per;
  let lrp = 0;
  let lhp = 0;
  for (let i = 0; i < Math.min(2, nS); i++) {
    lrp += body.sentences[i]?.refutePhrase ?? 0;
    lhp += body.sentences[i]?.hedgePhrase ?? 0;
  }
  f[k++] = lrp;
  f[k++] = lhp;
  let trp = 0;
  let thp = 0;
  for (const m of top) {
    trp += body.sentences[m.index]?.refutePhrase ?? 0;
    thp += body.sentences[m.index]?.hedgePhrase ?? 0;
  }
  f[k++] = trp;
  f[k++] = thp;
  if (ctx.lsa) {
    f[k++] = claim.lsa && body.lsa ? cosineDense(claim.lsa, body.lsa) : 0;
    f[k++] = claim.lsa && body.leadLsa ? cosineDense(claim.lsa, body.leadLsa) : 0;
  }
  if (ctx.embeddings) {
    const emb = ctx.embeddings;
    const c = claim.vectors?.whole ?? NO_VECTORS;
    const b = body.vectors;
    f[k++] = cosineUnit(c.mean, b?.whole.mean ?? null);
    f[k++] = cosineUnit(c.mean, b?.lead.mean ?? null);
    let maxSent = 0;
    for (const sv of b?.sentences ?? []) maxSent = Math.max(maxSent, cosineUnit(c.mean, sv.mean));
    f[k++] = maxSent;
    const [softBody = 0, softLead = 0, ...softTops] = b
      ? softMatchColumns(emb, c, b.whole, [b.leadColumns, ...top.map((m) => b.sentenceColumns[m.index] ?? new Int32Array(0))])
      : [];
    f[k++] = softLead;
    f[k++] = softTops.length ? Math.max(...softTops) : 0;
    f[k++] = softBody;
  }
  for (let i = 0; i < nb; i++) f[k++] = body.cueFreq[i] ?? 0;
  if (nb > 0) {
    const topTerms = new Set<string>();
    for (const m of top) for (const st of body.sentences[m.index]?.stems ?? []) if (st) topTerms.add(st);
    for (let i = 0; i < nb; i++) f[k++] = topTerms.has(ctx.cues.body[i] ?? '') ? 1 : 0;
  }
  for (let i = 0; i < nc; i++) f[k++] = claim.claimCues[i] ?? 0;
  return f;
}
