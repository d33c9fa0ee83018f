/**
 * The forecast-stance corpus (datasets/forecast-stance/): forecasts, news articles and labelled
 * (forecast, article) pairs with their splits, and the real-event sets (datasets/real-events/). Parsing,
 * and judging a real-event set with a given scorer; callers read the files.
 */
import { directionAuc } from './metrics.ts';
import type { Scorer } from './scorer.ts';
import type { Judgment, ScorableClaim, Stance } from './types.ts';

export interface CorpusForecast extends ScorableClaim {
  id: string;
  statement: string;
  split: 'train' | 'dev' | 'test';
  /** A forecast and its opposite, or two thresholds on one figure: split together. */
  family: string;
  /** 2: the second batch, written after the splits were fixed (train only); absent for the first. */
  batch?: number;
  domain: string;
  shape: string;
  topic: string;
  published: string;
  deadline: string | null;
}

export interface CorpusArticle {
  id: string;
  title: string;
  body: string;
  published: string;
  outlet: string;
  framing: string;
  source_url: string;
  kind: string;
  period: 'early' | 'late';
}

export interface CorpusPair {
  forecast: string;
  article: string;
  stance: Stance;
  /**
   * train | dev | test (by forecast) | late (train forecasts, articles after the time cut) | late-2 (the
   * second batch's forecasts, articles after the time cut: read by nothing).
   */
  split: 'train' | 'dev' | 'test' | 'late' | 'late-2';
  source: string;
}

export interface Corpus {
  forecasts: Map<string, CorpusForecast>;
  articles: Map<string, CorpusArticle>;
  pairs: CorpusPair[];
}

export const CORPUS_SPLITS = ['train', 'dev', 'test', 'late'] as const;

export class CorpusError extends Error {
  override name = 'CorpusError';
}

function lines<T>(name: string, text: string): T[] {
  const out: T[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    try {
      out.push(JSON.parse(line) as T);
    } catch (e) {
      throw new CorpusError(`corpus: ${name}:${i + 1}: not JSON (${(e as Error).message})`);
    }
  });
  return out;
}

/** Parses the three JSONL files; every pair must name a known forecast and article. */
export function parseCorpus(files: { forecasts: string; articles: string; pairs: string }): Corpus {
  const forecasts = new Map(lines<CorpusForecast>('forecasts.jsonl', files.forecasts).map((f) => [f.id, f]));
  const articles = new Map(lines<CorpusArticle>('articles.jsonl', files.articles).map((a) => [a.id, a]));
  const pairs = lines<CorpusPair>('pairs.jsonl', files.pairs);
  pairs.forEach((p, i) => {
    if (!forecasts.has(p.forecast)) throw new CorpusError(`corpus: pairs.jsonl:${i + 1}: unknown forecast ${p.forecast}`);
    if (!articles.has(p.article)) throw new CorpusError(`corpus: pairs.jsonl:${i + 1}: unknown article ${p.article}`);
  });
  return { forecasts, articles, pairs };
}

/** Per forecast, the articles labelled unrelated to it, among the pairs `keep` accepts (default all). */
export function unrelatedArticlesByForecast(corpus: Corpus, keep: (p: CorpusPair) => boolean = () => true): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const p of corpus.pairs) {
    if (p.stance !== 'unrelated' || !keep(p)) continue;
    const list = out.get(p.forecast) ?? [];
    list.push(p.article);
    out.set(p.forecast, list);
  }
  return out;
}

/**
 * The real-event sets (datasets/real-events/): paraphrased real news articles, each judged by its writer
 * against forecasts written apart from it, each with the stance the writer meant.
 */
export interface RealEvent {
  id: string;
  source?: string;
  article: { title: string; body: string; date?: string; outlet?: string };
  forecasts: {
    want: RealEventWant;
    shape: string;
    statement: string;
    published?: string;
    /** The three labels when a blind second and third labeller changed the writer's by majority. */
    adjudicated?: { writer: RealEventWant; second: RealEventWant; third: RealEventWant };
  }[];
}

export type RealEventWant = 'confirming' | 'refuting' | 'discussing' | 'unrelated';

/** The stance each intent is judged right with. */
export const REAL_EVENT_STANCE: Record<RealEventWant, Stance> = {
  confirming: 'agree',
  refuting: 'disagree',
  discussing: 'discuss',
  unrelated: 'unrelated',
};

export const REAL_EVENT_SPLITS = ['dev', 'test', 'train'] as const;

/** Parses a real-event file (`name` for errors); every line needs an id, an article body and forecasts with a known intent. */
export function parseRealEvents(name: string, text: string): RealEvent[] {
  const events = lines<RealEvent>(name, text);
  events.forEach((c, i) => {
    const where = `corpus: ${name}:${i + 1}`;
    if (!c.id || typeof c.article?.body !== 'string' || !Array.isArray(c.forecasts) || c.forecasts.length === 0)
      throw new CorpusError(`${where}: a real event needs id, article.body and at least one forecast`);
    c.forecasts.forEach((f, k) => {
      if (!f.statement || !(f.want in REAL_EVENT_STANCE))
        throw new CorpusError(`${where}: forecast ${k + 1} needs a statement and want (confirming, refuting, discussing or unrelated)`);
    });
  });
  return events;
}

/** One real-event pair as judged: the article, the forecast, the stance its writer meant and the scorer's judgment. */
export interface RealEventJudgment {
  event: RealEvent;
  forecast: RealEvent['forecasts'][number];
  gold: Stance;
  judgment: Judgment;
}

/** All pairs of real-event sets (`pick` keeps some, e.g. spread over the set), as statements judged as forecasts, each article prepared once. */
export function judgeRealEvents(
  scorer: Pick<Scorer, 'prepareArticle' | 'score'>,
  events: readonly RealEvent[],
  pick: <T>(pairs: T[]) => T[] = (pairs) => pairs,
): RealEventJudgment[] {
  const pairs = pick(events.flatMap((event) => event.forecasts.map((forecast) => ({ event, forecast }))));
  const prepared = new Map<string, ReturnType<Scorer['prepareArticle']>>();
  return pairs.map(({ event, forecast }) => {
    let article = prepared.get(event.id);
    if (!article) prepared.set(event.id, (article = scorer.prepareArticle({ title: event.article.title, body: event.article.body })));
    const judgment = scorer.score({ statement: forecast.statement }, article, { claimKind: 'forecast' });
    return { event, forecast, gold: REAL_EVENT_STANCE[forecast.want], judgment };
  });
}

/**
 * How well judgments' agree-against-disagree odds rank the confirming articles above the refuting ones
 * (the ROC AUC, 0.5 is chance): direction apart from where the stance biases cut it.
 */
export function realEventDirectionAuc(judged: readonly RealEventJudgment[]): number {
  return directionAuc(
    judged
      .filter((j) => j.gold === 'agree' || j.gold === 'disagree')
      // A judgment without probabilities sits at even odds.
      .map(({ gold, judgment: { stanceProbabilities: p } }) => ({
        agree: p?.agree ?? 1,
        disagree: p?.disagree ?? 1,
        confirmed: gold === 'agree',
      })),
  );
}
