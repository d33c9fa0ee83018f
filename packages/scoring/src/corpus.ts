/**
 * The forecast-stance corpus (datasets/forecast-stance/): forecasts, news articles and labelled
 * (forecast, article) pairs with their splits, and the real-event sets (datasets/real-events/). Parsing,
 * and judging a real-event set with a given scorer; callers read the files.
 */
import { STANCES } from '@signpost/vocabulary';
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

/**
 * `validation` (written after 2.25.0): a second held-out set, never trained or tuned on, for choosing
 * between versions; dev is tuned on and test scored once per version.
 */
export const REAL_EVENT_SPLITS = ['dev', 'test', 'train', 'validation'] as const;

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

/**
 * A cross pair's label (datasets/real-events/cross-*.jsonl): an article of a real-event set against a
 * forecast written for another of its articles (`forecast` is "<article id>#<index>", the index 0-based),
 * labelled by a helper under the corpus's rules where the scorer might relate them. Any cross pair of a
 * measured set that no line names is unrelated.
 */
export interface RealEventCrossLabel {
  article: string;
  forecast: string;
  stance: Stance;
  /** Who labelled it: `first`, `first and second` (a blind second labeller agreed), or `adjudicated` when they differed. */
  labeller: string;
  /** Both labels of an adjudicated pair. */
  labels?: { first: Stance; second: Stance };
}

/** A forecast reference "<article id>#<index>": the article the forecast was written for, and its place there. */
export function parseRealEventRef(ref: string): { owner: string; index: number } {
  const [owner = '', index] = String(ref).split('#');
  return { owner, index: Number(index) };
}

/** The forecast a reference "<article id>#<index>" names, with that article's id; no forecast when it names none. */
function forecastAt(byId: ReadonlyMap<string, RealEvent>, ref: string): { owner: string; forecast?: RealEvent['forecasts'][number] } {
  const { owner, index } = parseRealEventRef(ref);
  return { owner, forecast: byId.get(owner)?.forecasts[index] };
}

/** Parses a cross-pair file against its set (`name` for errors): every line names an article and another article's forecast of the set. */
export function parseRealEventCross(name: string, text: string, events: readonly RealEvent[]): RealEventCrossLabel[] {
  const byId = new Map(events.map((e) => [e.id, e]));
  const labels = lines<RealEventCrossLabel>(name, text);
  const seen = new Set<string>();
  labels.forEach((l, i) => {
    const where = `corpus: ${name}:${i + 1}`;
    const { owner, forecast } = forecastAt(byId, l.forecast);
    if (!byId.has(l.article)) throw new CorpusError(`${where}: unknown article "${l.article}"`);
    if (!forecast) throw new CorpusError(`${where}: unknown forecast "${l.forecast}"`);
    if (owner === l.article) throw new CorpusError(`${where}: "${l.forecast}" is the article's own forecast, not a cross pair`);
    if (!(STANCES as readonly string[]).includes(l.stance)) throw new CorpusError(`${where}: stance must be one of ${STANCES.join(', ')}`);
    const key = `${l.article} ${l.forecast}`;
    if (seen.has(key)) throw new CorpusError(`${where}: the pair ${l.article} / ${l.forecast} is labelled twice`);
    seen.add(key);
  });
  return labels;
}

/** One real-event pair: the article, the forecast, its gold stance, and whether the forecast was written for this article. */
export interface RealEventPair {
  event: RealEvent;
  /** The forecast as the scorer reads it: a set's forecast by its statement alone, one of the product's own as its record. */
  claim: ScorableClaim;
  /** What the forecast's writer meant the article to do to it, for an article's own forecasts. */
  want?: RealEventWant;
  /** The forecast as "<its article's id>#<index>", or "shipped:<id>" for one of the product's own. */
  ref: string;
  gold: Stance;
  own: boolean;
}

/** Each article's own forecasts, with the stance its writer meant. */
export function ownRealEventPairs(events: readonly RealEvent[]): RealEventPair[] {
  return events.flatMap((event) =>
    event.forecasts.map((forecast, k) => ({
      event,
      claim: { statement: forecast.statement },
      want: forecast.want,
      ref: `${event.id}#${k}`,
      gold: REAL_EVENT_STANCE[forecast.want],
      own: true,
    })),
  );
}

/**
 * The pairs of a real-event set as a feed meets them: each article against its own forecasts and (`all`)
 * against every other article's, unrelated unless a cross label says otherwise; or (`labelled`) only the
 * labelled cross pairs besides its own, as training uses them.
 */
export function realEventPairs(
  events: readonly RealEvent[],
  cross: readonly RealEventCrossLabel[],
  scope: 'all' | 'labelled',
): RealEventPair[] {
  const byId = new Map(events.map((e) => [e.id, e]));
  const own = ownRealEventPairs(events);
  if (scope === 'labelled')
    return [
      ...own,
      ...cross.flatMap((l) => {
        const event = byId.get(l.article);
        const { forecast } = forecastAt(byId, l.forecast);
        return event && forecast ? [{ event, claim: { statement: forecast.statement }, ref: l.forecast, gold: l.stance, own: false }] : [];
      }),
    ];
  const label = new Map(cross.map((l) => [`${l.article} ${l.forecast}`, l.stance]));
  const others = events.flatMap((e) => e.forecasts.map((forecast, k) => ({ owner: e.id, ref: `${e.id}#${k}`, forecast })));
  return [
    ...own,
    ...events.flatMap((event) =>
      others
        .filter((o) => o.owner !== event.id)
        .map(({ ref, forecast }) => ({
          event,
          claim: { statement: forecast.statement },
          ref,
          gold: label.get(`${event.id} ${ref}`) ?? ('unrelated' as Stance),
          own: false,
        })),
    ),
  ];
}

/**
 * A real-event article's labels against the product's own forecasts (datasets/real-events/shipped-*.jsonl,
 * the 30 of `data/predictions.yaml`): the forecasts its news bears on, by id, with their stance. Every
 * article of a file was judged against all of them, so every forecast it does not list is unrelated.
 */
export interface RealEventShippedLabel {
  article: string;
  labels: Record<string, Stance>;
  /** `first`, or `first and second` where a blind second labeller judged the article too (agreeing or adjudicated). */
  labeller: string;
  /** Where the two labellers differed: each forecast's labels, the adjudicated one in `labels`. */
  adjudicated?: Record<string, { first: Stance; second: Stance }>;
}

/** Parses a shipped-forecast label file against its set and the product's forecast ids (`name` for errors). */
export function parseRealEventShipped(
  name: string,
  text: string,
  events: readonly RealEvent[],
  forecastIds: ReadonlySet<string>,
): RealEventShippedLabel[] {
  const ids = new Set(events.map((e) => e.id));
  const labels = lines<RealEventShippedLabel>(name, text);
  const seen = new Set<string>();
  labels.forEach((l, i) => {
    const where = `corpus: ${name}:${i + 1}`;
    if (!ids.has(l.article)) throw new CorpusError(`${where}: unknown article "${l.article}"`);
    if (seen.has(l.article)) throw new CorpusError(`${where}: article "${l.article}" is labelled twice`);
    seen.add(l.article);
    if (typeof l.labels !== 'object' || l.labels === null || Array.isArray(l.labels))
      throw new CorpusError(`${where}: labels must be an object of forecast id to stance`);
    for (const [id, stance] of Object.entries(l.labels)) {
      if (!forecastIds.has(id)) throw new CorpusError(`${where}: unknown forecast "${id}"`);
      if (!(STANCES as readonly string[]).includes(stance))
        throw new CorpusError(`${where}: "${id}": stance must be one of ${STANCES.join(', ')}`);
    }
  });
  return labels;
}

/** A forecast as the worker scores it: its statement with its signposts, keywords and deadline, where it has them. */
export function forecastRecord({ statement, signposts, keywords, deadline }: ScorableClaim): ScorableClaim {
  return { statement, ...(signposts ? { signposts } : {}), ...(keywords ? { keywords } : {}), ...(deadline ? { deadline } : {}) };
}

/**
 * Judges corpus pairs, each article prepared once: a forecast as a record (`forecastRecord`, as the worker
 * and `eval corpus` score it) or, with `claim: 'statement'`, from its statement alone. The pairs must be
 * the corpus's own (`parseCorpus` has checked that each names a known forecast and article).
 */
export function judgeCorpusPairs(
  scorer: Pick<Scorer, 'prepareArticle' | 'score'>,
  corpus: Corpus,
  pairs: readonly CorpusPair[],
  claim: 'record' | 'statement' = 'record',
): Judgment[] {
  const prepared = new Map<string, ReturnType<Scorer['prepareArticle']>>();
  return pairs.map((p) => {
    const forecast = corpus.forecasts.get(p.forecast);
    const a = corpus.articles.get(p.article);
    if (!forecast || !a) throw new CorpusError(`corpus: pair ${p.forecast} / ${p.article} names an unknown forecast or article`);
    let article = prepared.get(a.id);
    if (!article) prepared.set(a.id, (article = scorer.prepareArticle({ title: a.title, body: a.body, published: a.published })));
    return scorer.score(claim === 'record' ? forecastRecord(forecast) : { statement: forecast.statement }, article, {
      claimKind: 'forecast',
    });
  });
}

/** The product's own 30 forecasts as the corpus holds them (its `shipped` domain; the same records as `data/predictions.yaml`). */
export function shippedForecasts(corpus: Corpus): CorpusForecast[] {
  return [...corpus.forecasts.values()].filter((f) => f.domain === 'shipped');
}

/** Every labelled article against every one of the product's forecasts, judged as records (statement, signposts, keywords). */
export function shippedRealEventPairs(
  events: readonly RealEvent[],
  labels: readonly RealEventShippedLabel[],
  forecasts: readonly (ScorableClaim & { id: string })[],
): RealEventPair[] {
  const byId = new Map(events.map((e) => [e.id, e]));
  return labels.flatMap((l) => {
    const event = byId.get(l.article);
    if (!event) return [];
    return forecasts.map((forecast) => ({
      event,
      claim: forecastRecord(forecast),
      ref: `shipped:${forecast.id}`,
      gold: l.labels[forecast.id] ?? ('unrelated' as Stance),
      own: false,
    }));
  });
}

/** One real-event pair as judged: the pair (article, forecast, gold stance) and the scorer's judgment. */
export interface RealEventJudgment extends RealEventPair {
  judgment: Judgment;
}

/**
 * Judges real-event pairs (default: each article's own forecasts; `pick` keeps some, e.g. spread over the
 * set), each claim judged as a forecast, each article prepared once with its date, as the worker's are.
 */
export function judgeRealEvents(
  scorer: Pick<Scorer, 'prepareArticle' | 'score'>,
  events: readonly RealEvent[],
  pick: <T>(pairs: T[]) => T[] = (pairs) => pairs,
  pairs: readonly RealEventPair[] = ownRealEventPairs(events),
): RealEventJudgment[] {
  const prepared = new Map<string, ReturnType<Scorer['prepareArticle']>>();
  return pick([...pairs]).map((pair) => {
    const { event, claim } = pair;
    let article = prepared.get(event.id);
    if (!article) {
      const { title, body, date } = event.article;
      prepared.set(event.id, (article = scorer.prepareArticle({ title, body, ...(date ? { published: date } : {}) })));
    }
    const judgment = scorer.score(claim, article, { claimKind: 'forecast' });
    return { ...pair, judgment };
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
