/**
 * The stance scorer: (claim, article) -> judgment. Pure and synchronous; the trained
 * weights are imported JSON. Article-side work is cached so one article can be scored
 * against many claims (and one claim against many articles) cheaply.
 */
import { checkEntities, ENTITY_WORDS, findEntities, type EntityCode } from './entities.ts';
import { computeFeatures, featureNames, prepareText, rankSentences, type FeatureContext, type PreparedText, type SentenceMatch } from './features.ts';
import { predictProba } from './gbdt.ts';
import { affirmFutureNegation } from './negation.ts';
import { RELATED_STANCES, type ScorerWeights } from './model.ts';
import { stem, tokenize } from './text.ts';
import type { EvidenceSentence, Judgment, ScorableArticle, ScorableClaim, Stance } from './types.ts';
import defaultWeightsJson from './weights/model.json' with { type: 'json' };

export const SCORER_NAME = 'signpost-stance-gbdt';
const SIGNPOST_MIN_PROBABILITY = 0.6;
const SIGNPOST_MIN_RELEVANCE = 0.6;
const SIGNPOST_MIN_VOTE_UNRELATED = 0.7;
const defaultWeights = defaultWeightsJson as unknown as ScorerWeights;
export const SCORER_ID = `${SCORER_NAME}@${defaultWeights.version}`;

export class ScoringError extends Error {
  override name = 'ScoringError';
}

export interface ScorerOptions {
  /** Trained weights; defaults to the committed src/weights/model.json. */
  weights?: ScorerWeights;
  /** How many prepared articles and claims to keep (least recently used are dropped). Default 512. */
  cacheSize?: number;
  /** Articles with fewer tokens than this are judged as a headline (short-text model). Default 40. */
  shortTextTokens?: number;
  /** Relevance threshold for "related"; defaults to the tuned value in the weights. */
  relatedThreshold?: number;
}

/** An article after the claim-independent work; pass it to `score` to reuse that work. */
export interface PreparedArticle {
  readonly kind: 'prepared-article';
  readonly text: PreparedText;
  readonly entities: Map<EntityCode, number>;
  readonly short: boolean;
}

export interface ScoreOptions {
  /**
   * Judge the stance as if the article were known to be about the claim (never "unrelated");
   * relevance is still reported. Used by benchmarks without an unrelated class (Emergent).
   */
  assumeRelated?: boolean;
}

export interface Scorer {
  /** "<name>@<version>", recorded in every judgment. */
  readonly id: string;
  score(claim: ScorableClaim, article: ScorableArticle | PreparedArticle, options?: ScoreOptions): Judgment;
  prepareArticle(article: ScorableArticle): PreparedArticle;
}

class Lru<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly max: number) {}
  get(key: string): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }
  set(key: string, v: V): void {
    if (this.map.size >= this.max) {
      const first = this.map.keys().next();
      if (!first.done) this.map.delete(first.value);
    }
    this.map.set(key, v);
  }
}

interface PreparedClaim {
  text: PreparedText;
  /** The statement was a negated future, scored in affirmative form: flip agree and disagree. */
  flipped: boolean;
  entities: Map<EntityCode, number>;
  /** Stemmed content terms that are not entity names. */
  topicTerms: Set<string>;
}

interface StanceResult {
  relevance: number;
  probs: [number, number, number];
  ranking: SentenceMatch[];
}

function articleText(article: ScorableArticle): string {
  const title = article.title?.trim();
  const body = article.body ?? '';
  if (!title) return body;
  // A line break makes the title its own sentence, so evidence quotes it verbatim.
  return `${title}\n${body}`;
}

function argmaxBiased(p: readonly number[], bias: readonly number[]): number {
  let best = 0;
  for (let c = 1; c < p.length; c++) if ((p[c] ?? 0) * (bias[c] ?? 1) > (p[best] ?? 0) * (bias[best] ?? 1)) best = c;
  return best;
}

/** Creates a scorer over the given (default: committed) weights. */
export function createScorer(options: ScorerOptions = {}): Scorer {
  const weights = options.weights ?? defaultWeights;
  if (!weights.related || !weights.stance || !weights.headline || !weights.idf) {
    throw new ScoringError('scoring: weights are incomplete (expected related, stance, headline and idf); run scripts/train.ts');
  }
  const ctx: FeatureContext = { idf: weights.idf, cues: weights.cues, ...(weights.lsa ? { lsa: weights.lsa } : {}) };
  const width = featureNames(ctx).length;
  for (const [name, model] of [['related', weights.related], ['stance', weights.stance], ['headline', weights.headline]] as const) {
    if (model.features !== width) {
      throw new ScoringError(`scoring: the ${name} model expects ${model.features} features but the code computes ${width}; retrain with scripts/train.ts`);
    }
  }
  const id = `${SCORER_NAME}@${weights.version}`;
  const cacheSize = options.cacheSize ?? 512;
  const shortTokens = options.shortTextTokens ?? 40;
  const threshold = options.relatedThreshold ?? weights.relatedThreshold;
  const articles = new Lru<PreparedArticle>(cacheSize);
  const claims = new Lru<PreparedClaim>(cacheSize);
  const snippets = new Lru<PreparedText>(cacheSize * 4);

  function prepareArticle(article: ScorableArticle): PreparedArticle {
    if (typeof article?.body !== 'string') throw new ScoringError('scoring: article.body must be a string');
    const text = articleText(article);
    const cached = articles.get(text);
    if (cached) return cached;
    const prepared = prepareText(ctx, text);
    const result: PreparedArticle = {
      kind: 'prepared-article',
      text: prepared,
      entities: findEntities(text),
      short: prepared.tokenCount < shortTokens,
    };
    articles.set(text, result);
    return result;
  }

  function prepareClaim(original: string): PreparedClaim {
    const cached = claims.get(original);
    if (cached) return cached;
    const affirmed = affirmFutureNegation(original);
    const statement = affirmed ?? original;
    const text = prepareText(ctx, statement);
    const topicTerms = new Set<string>();
    for (const t of tokenize(statement)) if (!ENTITY_WORDS.has(t)) topicTerms.add(stem(t));
    const result = {
      text,
      flipped: affirmed !== null,
      entities: findEntities(statement),
      topicTerms: new Set([...topicTerms].filter((t) => text.termSet.has(t))),
    };
    claims.set(original, result);
    return result;
  }

  function snippet(text: string): PreparedText {
    let p = snippets.get(text);
    if (!p) snippets.set(text, (p = prepareText(ctx, text)));
    return p;
  }

  /** Relevance after the entity guard and the broad-match discount. */
  function guardRelevance(claim: PreparedClaim, article: PreparedArticle, raw: number, keywords?: string[]): number {
    let r = raw * checkEntities(claim.entities, article.entities).factor;
    if (claim.entities.size > 0 && claim.topicTerms.size > 0) {
      // A broad claim ("China and Russia ...") must share more than the country names,
      // otherwise every article that mentions both would match it.
      let hit = 0;
      for (const t of claim.topicTerms) if (article.text.termSet.has(t)) hit++;
      if (hit === 0) r *= 0.3;
      else if (hit === 1 && claim.topicTerms.size >= 4) r *= 0.8;
    }
    if (keywords && keywords.length > 0) {
      const present = keywords.some((k) => {
        const terms = tokenize(k).map((t) => stem(t));
        return terms.length > 0 && terms.every((t) => article.text.termSet.has(t));
      });
      if (!present) r *= 0.5;
    }
    return Math.min(1, Math.max(0, r));
  }

  function judgeStance(claim: PreparedClaim, article: PreparedArticle): StanceResult {
    const ranking = rankSentences(claim.text, article.text);
    const x = computeFeatures(ctx, claim.text, article.text, ranking);
    const relevance = predictProba(weights.related, x)[1] ?? 0;
    const p = predictProba(article.short ? weights.headline : weights.stance, x);
    const probs: [number, number, number] = claim.flipped ? [p[1] ?? 0, p[0] ?? 0, p[2] ?? 0] : [p[0] ?? 0, p[1] ?? 0, p[2] ?? 0];
    return { relevance, probs, ranking };
  }

  function sentenceStance(claim: PreparedClaim, sentence: string): Stance {
    const x = computeFeatures(ctx, claim.text, snippet(sentence));
    const p = predictProba(weights.headline, x);
    const stance = RELATED_STANCES[argmaxBiased(p, weights.headlineBias)] ?? 'discuss';
    if (!claim.flipped || stance === 'discuss') return stance;
    return stance === 'agree' ? 'disagree' : 'agree';
  }

  function chooseEvidence(claim: PreparedClaim, article: PreparedArticle, ranking: SentenceMatch[], stance: Stance): EvidenceSentence[] {
    if (stance === 'unrelated') return [];
    const candidates = ranking.slice(0, 6).filter((m) => m.similarity > 0);
    const scored = candidates.map((m) => {
      const s = article.text.sentences[m.index];
      let cue = 0;
      if (s) {
        if (stance === 'disagree') cue = s.refute + s.negation;
        else if (stance === 'discuss') cue = s.hedge + s.report + (s.question ? 1 : 0);
        else cue = s.confirm;
      }
      return { m, score: m.similarity + 0.08 * Math.min(cue, 3) };
    });
    scored.sort((a, b) => b.score - a.score || a.m.index - b.m.index);
    const picked = scored.slice(0, 3).filter((c, i) => i === 0 || c.m.similarity >= 0.5 * (scored[0]?.m.similarity ?? 0));
    picked.sort((a, b) => a.m.index - b.m.index);
    return picked.map(({ m }) => {
      const text = article.text.sentences[m.index]?.text ?? '';
      const short = text.length > 600 ? `${text.slice(0, 597)}...` : text;
      return { text: short, stance: sentenceStance(claim, text) };
    });
  }

  function score(claim: ScorableClaim, articleIn: ScorableArticle | PreparedArticle, scoreOptions: ScoreOptions = {}): Judgment {
    if (typeof claim?.statement !== 'string' || claim.statement.trim() === '') {
      throw new ScoringError('scoring: claim.statement must be a non-empty string');
    }
    const article = (articleIn as PreparedArticle).kind === 'prepared-article' ? (articleIn as PreparedArticle) : prepareArticle(articleIn as ScorableArticle);
    const pc = prepareClaim(claim.statement);
    const main = judgeStance(pc, article);
    let relevance = guardRelevance(pc, article, main.relevance, claim.keywords);
    const bias = article.short ? weights.headlineBias : weights.stanceBias;
    let stance: Stance = relevance >= threshold || scoreOptions.assumeRelated ? (RELATED_STANCES[argmaxBiased(main.probs, bias)] ?? 'discuss') : 'unrelated';
    let probs = main.probs;
    let ranking = main.ranking;
    let evidenceClaim = pc;

    let signposts: { index: number; stance: Stance }[] | undefined;
    let evidenceMap = (x: Stance): Stance => x;
    if (claim.signposts && claim.signposts.length > 0) {
      signposts = [];
      // Confidence-weighted vote of the statement and every confident signpost verdict,
      // each mapped onto the forecast through its direction.
      const vote = { agree: 0, disagree: 0 };
      if (stance === 'agree' || stance === 'disagree') vote[stance] += relevance * (probs[RELATED_STANCES.indexOf(stance)] ?? 0);
      let best: { weight: number; stance: 'agree' | 'disagree'; relevance: number; probs: [number, number, number]; ranking: SentenceMatch[]; claim: PreparedClaim; map: (x: Stance) => Stance } | undefined;
      claim.signposts.forEach((sp, index) => {
        if (!sp?.text?.trim()) return;
        const spc = prepareClaim(sp.text);
        const r = judgeStance(spc, article);
        const rel = guardRelevance(spc, article, r.relevance);
        if (rel < threshold) return;
        const c = argmaxBiased(r.probs, bias);
        const spStance = RELATED_STANCES[c] ?? 'discuss';
        signposts?.push({ index, stance: spStance });
        // Signpost texts are short events; only a confident verdict may move the forecast.
        if (spStance === 'discuss' || (r.probs[c] ?? 0) < SIGNPOST_MIN_PROBABILITY || rel < SIGNPOST_MIN_RELEVANCE) return;
        // An article that confirms a "fails" signpost undermines the forecast, and so on.
        // An article denying a signpost event is weaker evidence than one reporting it.
        const holds = sp.direction === 'holds';
        const forForecast = (spStance === 'agree') === holds ? 'agree' : 'disagree';
        const weight = rel * (r.probs[c] ?? 0) * (spStance === 'agree' ? 1 : 0.5);
        vote[forForecast] += weight;
        if (!best || weight > best.weight) {
          const map = (x: Stance): Stance => (x === 'agree' || x === 'disagree' ? ((x === 'agree') === holds ? 'agree' : 'disagree') : x);
          const mapped: [number, number, number] = holds ? r.probs : [r.probs[1], r.probs[0], r.probs[2]];
          best = { weight, stance: forForecast, relevance: rel, probs: mapped, ranking: r.ranking, claim: spc, map };
        }
      });
      const winner = vote.agree >= vote.disagree ? 'agree' : 'disagree';
      const margin = Math.abs(vote.agree - vote.disagree);
      const fromStatement = stance === winner;
      // A statement judged unrelated needs a clear signpost verdict to become related.
      const enough = stance === 'unrelated' ? margin >= SIGNPOST_MIN_VOTE_UNRELATED : margin > 0;
      if (!fromStatement && enough && best && best.stance === winner) {
        stance = winner;
        relevance = Math.max(relevance, best.relevance);
        probs = best.probs;
        ranking = best.ranking;
        evidenceClaim = best.claim;
        evidenceMap = best.map;
      }
    }

    const pRelated = scoreOptions.assumeRelated ? 1 : relevance;
    const pStance = stance === 'unrelated' ? 1 - relevance : pRelated * (probs[RELATED_STANCES.indexOf(stance as (typeof RELATED_STANCES)[number])] ?? 0);
    const judgment: Judgment = {
      stance,
      relevance: round4(relevance),
      confidence: round4(pStance),
      evidence: chooseEvidence(evidenceClaim, article, ranking, stance).map((e) => ({ text: e.text, stance: evidenceMap(e.stance) })),
      scorer: id,
      stanceProbabilities: { agree: round4(probs[0]), disagree: round4(probs[1]), discuss: round4(probs[2]) },
    };
    if (signposts) judgment.signposts = signposts;
    return judgment;
  }

  return { id, score, prepareArticle };
}

function round4(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
