/**
 * One (claim, article) pair as the models see it, shared by the scorer and the training script so
 * that both compute exactly the same numbers: the lexical features (`features.ts`: similarities, overlap,
 * cue words) followed by the direction analysis (`frame-features.ts`).
 */
import { checkEntities, findEntities, type EntityCode } from './entities.ts';
import {
  computeFeatures,
  featureNames,
  prepareText,
  rankSentences,
  type FeatureContext,
  type PreparedText,
  type SentenceMatch,
} from './features.ts';
import { frameClaim, prepareDocument, type ClaimFrame, type PreparedDocument } from './frame.ts';
import {
  FRAME_FEATURES,
  frameFeatures,
  isFutureClaim,
  type FrameAnalysis,
  type KeywordKeys,
  type SignpostFrame,
} from './frame-features.ts';
import { cosineUnit } from './embeddings.ts';
import { stem, tokenize } from './text.ts';
import { claimDeadline, dateYear, TIME_FEATURES, timeLeft } from './timing.ts';
import type { ScorableArticle, ScorableClaim } from './types.ts';

export interface ArticleData {
  /** Title and body as one text (the title its own first line). */
  text: PreparedText;
  doc: PreparedDocument;
  entities: Map<EntityCode, number>;
  tokenCount: number;
  /** When it was published, as a fractional year (`timing.ts`), where the article says. */
  published?: number;
}

export interface ClaimData {
  text: PreparedText;
  frame: ClaimFrame;
  signposts: SignpostFrame[];
  keywords: KeywordKeys;
  future: boolean;
  entities: Map<EntityCode, number>;
  /** When the forecast falls due, as a fractional year (`timing.ts`): the record's deadline, else where its statement names a year. */
  deadline?: number;
}

export interface PairVector {
  x: Float64Array;
  /** The forecast has a deadline but the article no date: the time left (`f_time_left`, last in `x`) is unknown. */
  undated: boolean;
  ranking: SentenceMatch[];
  frame: FrameAnalysis;
}

/** `{ [key]: value }` where the value is defined, else nothing (for optional fields under exactOptionalPropertyTypes). */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });
}

export function articleText(article: ScorableArticle): string {
  const title = article.title?.trim();
  const body = article.body ?? '';
  if (!title) return body;
  return `${title}\n${body}`;
}

export function prepareArticleData(ctx: FeatureContext, article: ScorableArticle): ArticleData {
  const text = articleText(article);
  const prepared = prepareText(ctx, text);
  const published = dateYear(article.published);
  return {
    text: prepared,
    doc: prepareDocument(article.title, article.body ?? '', published),
    entities: findEntities(text),
    tokenCount: prepared.tokenCount,
    ...optional('published', published),
  };
}

function idfLookup(ctx: FeatureContext): (key: string) => number {
  return (key) => ctx.idf.idf[key] ?? ctx.idf.defaultIdf;
}

/** A claim's frame; signpost texts reuse it through `frameOf`. */
export function prepareClaimData(
  ctx: FeatureContext,
  claim: ScorableClaim,
  frameOf: (text: string) => ClaimFrame = (t) => frameClaim(t, idfLookup(ctx)),
): ClaimData {
  const statement = claim.statement;
  return {
    text: prepareText(ctx, statement),
    frame: frameOf(statement),
    signposts: (claim.signposts ?? [])
      .filter((s) => s?.text?.trim())
      .map((s) => ({
        frame: frameOf(s.text),
        holds: s.direction === 'holds',
        mean: ctx.embeddings ? (prepareText(ctx, s.text).vectors?.whole.mean ?? null) : null,
      })),
    keywords: (claim.keywords ?? []).map((k) => tokenize(k).map((t) => stem(t))).filter((k) => k.length > 0),
    future: isFutureClaim(statement),
    entities: findEntities(statement),
    ...optional('deadline', dateYear(claim.deadline) ?? claimDeadline(statement)),
  };
}

/** The closest article sentence (mean word vectors) to a signpost that confirms, and to one that undermines. */
export const SIGNPOST_VECTOR_FEATURES = ['f_sp_vec_holds', 'f_sp_vec_fails'] as const;

export function pairFeatureNames(ctx: FeatureContext): string[] {
  return [...featureNames(ctx), ...FRAME_FEATURES, ...SIGNPOST_VECTOR_FEATURES, ...TIME_FEATURES];
}

function signpostVectorFeatures(signposts: readonly SignpostFrame[] | undefined, article: ArticleData): [number, number] {
  if (!signposts?.length) return [-1, -1];
  const sentences = article.text.vectors?.sentences ?? [];
  let holds = 0;
  let fails = 0;
  for (const sp of signposts) {
    if (!sp.mean) continue;
    let top = 0;
    for (const sv of sentences) top = Math.max(top, cosineUnit(sp.mean, sv.mean));
    if (sp.holds) holds = Math.max(holds, top);
    else fails = Math.max(fails, top);
  }
  return [holds, fails];
}

/** Where a pair vector holds the time left (`f_time_left`): the last feature (`weights.test.ts` pins its name). */
export function timeLeftIndex(x: ArrayLike<number>): number {
  return x.length - 1;
}

export function pairVector(ctx: FeatureContext, claim: ClaimData, article: ArticleData, options: { signposts?: boolean } = {}): PairVector {
  const ranking = rankSentences(claim.text, article.text);
  const lexical = computeFeatures(ctx, claim.text, article.text, ranking);
  const signposts = options.signposts !== false && claim.signposts.length ? claim.signposts : undefined;
  const frame = frameFeatures(claim.frame, article.doc, {
    ...(signposts ? { signposts } : {}),
    ...(claim.keywords.length ? { keywords: claim.keywords } : {}),
    future: claim.future,
    entityFactor: checkEntities(claim.entities, article.entities).factor,
  });
  const x = new Float64Array(lexical.length + frame.features.length + SIGNPOST_VECTOR_FEATURES.length + TIME_FEATURES.length);
  x.set(lexical, 0);
  x.set(frame.features, lexical.length);
  x.set(signpostVectorFeatures(signposts, article), lexical.length + frame.features.length);
  x[timeLeftIndex(x)] = timeLeft(claim.deadline, article.published);
  return { x, undated: claim.deadline !== undefined && article.published === undefined, ranking, frame };
}
