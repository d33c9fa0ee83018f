/**
 * `signpost eval fnc1`, `signpost eval emergent`, `signpost eval corpus` and `signpost eval real-events`:
 * score a benchmark split with the current scorer and print the official metrics (FNC-1 score, macro-F1,
 * per-class F1, the confusion matrix; Emergent accuracy and confusion matrix; the forecast-stance
 * corpus's and the real-event sets' macro-F1, per-class F1 and confusion matrix).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import {
  accuracy,
  confusionMatrix,
  CORPUS_SPLITS,
  createScorer,
  fncScore,
  macroF1,
  parseCorpus,
  parseRealEvents,
  parseRealEventCross,
  parseRealEventShipped,
  judgeRealEvents,
  realEventDirectionAuc,
  realEventPairs,
  judgeCorpusPairs,
  shippedForecasts,
  shippedRealEventPairs,
  perClassF1,
  REAL_EVENT_SPLITS,
  type Judgment,
  type PreparedArticle,
  type RealEvent,
  type Scorer,
} from '@signpost/scoring';
import { computeStanding, type Evidence } from '@signpost/ledger';
import { RECORD_STATUSES, RELATED_STANCES, STANCES, type RecordStatus, type Stance } from '@signpost/vocabulary';
import { pairKeys, type LlmArticle, type LlmClaim, type LlmOutcome } from '@signpost/llm';
import { formatCost } from '../pipeline/judge-with-llm.ts';
import type { LlmSetup } from '../llm-setup.ts';

export class EvalError extends Error {
  override name = 'EvalError';
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

/** Where the public benchmarks are when no --data is given. */
export interface EvalDataOptions {
  /** The shared reference folder (SIGNPOST_SHARED_DIR, read by env.ts); default ../shared beside the repository. */
  sharedDir?: string;
}

function sharedDir(opts: EvalDataOptions): string {
  return opts.sharedDir ?? path.resolve(repoRoot, '../shared');
}

/** A data file's text, or an EvalError naming the missing file. */
function readText(file: string): string {
  if (!fs.existsSync(file)) throw new EvalError(`eval: missing file ${file}`);
  return fs.readFileSync(file, 'utf8');
}

/** Runs a parser of the scoring package, its errors (which say where and what) reported as EvalErrors. */
function parsed<T>(parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (e instanceof EvalError) throw e;
    throw new EvalError(`eval: ${(e as Error).message}`);
  }
}

function readCsv(file: string): Record<string, string>[] {
  const text = readText(file);
  try {
    return parse(text, { columns: true, skip_empty_lines: true, bom: true });
  } catch (e) {
    throw new EvalError(`eval: cannot parse ${file}: ${(e as Error).message}`);
  }
}

export interface EvalPair {
  claim: string;
  body: string;
  gold: string;
}

const FNC_SPLITS = ['competition_test', 'train', 'hold_out'] as const;

/** Reads an FNC-1 split: `competition_test`, `train`, or `hold_out` (train rows whose body is in splits/hold_out_ids.txt). */
export function readFnc1Pairs(dir: string, split: string): EvalPair[] {
  if (!(FNC_SPLITS as readonly string[]).includes(split)) {
    throw new EvalError(`eval: unknown FNC-1 split "${split}" (expected one of ${FNC_SPLITS.join(', ')})`);
  }
  const prefix = split === 'competition_test' ? 'competition_test' : 'train';
  const bodies = new Map<string, string>();
  for (const row of readCsv(path.join(dir, `${prefix}_bodies.csv`))) bodies.set(row['Body ID'] ?? '', row['articleBody'] ?? '');
  let keep: Set<string> | null = null;
  if (split === 'hold_out') {
    keep = new Set(
      readText(path.join(dir, 'splits', 'hold_out_ids.txt'))
        .split(/\s+/)
        .filter(Boolean),
    );
  }
  const pairs: EvalPair[] = [];
  readCsv(path.join(dir, `${prefix}_stances.csv`)).forEach((row, i) => {
    const bodyId = row['Body ID'] ?? '';
    if (keep && !keep.has(bodyId)) return;
    const body = bodies.get(bodyId);
    if (body === undefined) throw new EvalError(`eval: ${prefix}_stances.csv row ${i + 2}: unknown Body ID ${bodyId}`);
    pairs.push({ claim: row['Headline'] ?? '', body, gold: row['Stance'] ?? '' });
  });
  return pairs;
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

function formatMatrix(labels: readonly string[], m: number[][]): string {
  const w = Math.max(13, ...labels.map((l) => l.length + 2));
  const lines = [`${pad('gold \\ pred', w)}${labels.map((l) => pad(l, w)).join('')}`];
  labels.forEach((l, i) => lines.push(`${pad(l, w)}${(m[i] ?? []).map((v) => pad(String(v), w)).join('')}`));
  return lines.join('\n');
}

/** Scores an FNC-1 split and prints FNC score %, macro-F1, per-class F1 and the confusion matrix. */
export async function evalFnc1Command(
  opts: { data?: string; split: string; out: NodeJS.WritableStream } & EvalDataOptions & ModelEvalOptions,
): Promise<number> {
  const dir = opts.data ?? path.join(sharedDir(opts), 'data', 'fnc-1');
  const pairs = spread(readFnc1Pairs(dir, opts.split), opts.limit);
  const scorer = createScorer();
  const started = performance.now();
  // Each body is paired with many headlines: prepare it once, as the worker does per article.
  const prepared = new Map<string, PreparedArticle>();
  const judged = pairs.map((p) => {
    let article = prepared.get(p.body);
    if (!article) prepared.set(p.body, (article = scorer.prepareArticle({ body: p.body })));
    return scorer.score({ statement: p.claim }, article, { claimKind: 'report' });
  });
  const model = opts.llm
    ? await judgeByModel(
        opts.llm,
        pairs.map((p, i) => ({ claim: { statement: p.claim, kind: 'report' }, article: { body: p.body }, builtin: judged[i]! })),
        opts.err,
      )
    : null;
  const pred = model?.pred ?? judged.map((j) => j.stance);
  const seconds = (performance.now() - started) / 1000;
  const gold = pairs.map((p) => p.gold);
  const s = fncScore(gold, pred);
  const lines = [
    `FNC-1 ${opts.split}: ${pairs.length} pairs${opts.limit ? ` (--limit ${opts.limit}, spread over the split)` : ''}, scorer ${model ? `${model.scorer} (candidates by ${scorer.id})` : scorer.id}`,
    `FNC score: ${s.score.toFixed(2)} / ${s.max.toFixed(2)} = ${(s.relative * 100).toFixed(2)} %`,
    ...stanceTable(gold, pred, seconds),
    ...(model ? spendLines(model, opts.llm!) : []),
  ];
  opts.out.write(lines.join('\n') + '\n');
  return 0;
}

/** macro-F1, per-class F1, accuracy, the confusion matrix and the time: the lines every four-stance eval prints. */
function stanceTable(gold: string[], pred: string[], seconds: number): string[] {
  const f1 = perClassF1(gold, pred);
  return [
    `macro-F1: ${macroF1(gold, pred).toFixed(4)}`,
    `per-class F1: ${STANCES.map((l, i) => `${l} ${(f1[i] ?? 0).toFixed(4)}`).join(', ')}`,
    `accuracy: ${accuracy(gold, pred).toFixed(4)}`,
    'confusion matrix (rows gold, columns predicted):',
    formatMatrix(STANCES, confusionMatrix(gold, pred)),
    `time: ${seconds.toFixed(1)} s (${Math.round(gold.length / Math.max(seconds, 1e-9))} pairs/s)`,
  ];
}

/** One labelled pair as a forecast's standing counts it: the forecast, the article's date, the label and the judgment. */
export interface StatusPair {
  forecast: string;
  /** The forecast's publication (YYYY-MM-DD): evidence before it is background, as on the dashboard. */
  published: string | null;
  articleId: string;
  articlePublished: string;
  gold: string;
  stance: string;
  confidence: number;
}

/**
 * What a reader would see: each forecast's record status (docs/standings.md) from the judgments (each
 * weighing its confidence) against the status its labels give (each weighing 1), with the same rules
 * as the dashboard and the digest (evidence before the forecast is background). Each article is its own
 * story. Returns the labels' status and the judged one per forecast.
 */
export function recordStatuses(pairs: readonly StatusPair[]): { forecast: string; gold: RecordStatus; judged: RecordStatus }[] {
  const byForecast = new Map<string, { published: string | null; gold: Evidence[]; judged: Evidence[] }>();
  let now = 0;
  for (const p of pairs) {
    const publishedAt = new Date(p.articlePublished);
    if (Number.isNaN(publishedAt.getTime()))
      throw new EvalError(`eval: article ${p.articleId} has no readable date ("${p.articlePublished}")`);
    now = Math.max(now, publishedAt.getTime());
    const entry = byForecast.get(p.forecast) ?? { published: p.published, gold: [], judged: [] };
    const base = { articleId: entry.gold.length, publishedAt, titleKey: p.articleId };
    entry.gold.push({ ...base, stance: p.gold as Stance, confidence: 1 });
    entry.judged.push({ ...base, stance: p.stance as Stance, confidence: p.confidence });
    byForecast.set(p.forecast, entry);
  }
  const at = new Date(now);
  return [...byForecast].map(([forecast, e]) => ({
    forecast,
    gold: computeStanding(e.gold, { now: at, published: e.published }).record.status,
    judged: computeStanding(e.judged, { now: at, published: e.published }).record.status,
  }));
}

/** The statuses' lines: how many forecasts stand as their labels say, how many backwards, and the matrix. */
function statusLines(pairs: readonly StatusPair[]): string[] {
  const statuses = recordStatuses(pairs);
  const same = statuses.filter((s) => s.gold === s.judged).length;
  const backwards = statuses.filter(
    (s) => (s.gold === 'holding' && s.judged === 'under-pressure') || (s.gold === 'under-pressure' && s.judged === 'holding'),
  ).length;
  return [
    `record status (docs/standings.md) from the judgments against from the labels: ${same} of ${statuses.length} forecasts the same, ${backwards} backwards (holding against under pressure)`,
    formatMatrix(
      RECORD_STATUSES,
      confusionMatrix(
        statuses.map((s) => s.gold),
        statuses.map((s) => s.judged),
        RECORD_STATUSES,
      ),
    ),
  ];
}

/** Reads the forecast-stance corpus (forecasts.jsonl, articles.jsonl, pairs.jsonl) from `dir`. */
export function readCorpus(dir: string): ReturnType<typeof parseCorpus> {
  const read = (name: string) => readText(path.join(dir, name));
  return parsed(() => parseCorpus({ forecasts: read('forecasts.jsonl'), articles: read('articles.jsonl'), pairs: read('pairs.jsonl') }));
}

/**
 * Scores one split of the forecast-stance corpus and prints the same table as `eval fnc1`. Each
 * forecast is scored as the worker scores it (with its signposts and keywords), or, with
 * `claim: 'statement'`, from its statement alone (as `signpost score` would).
 */
export async function evalCorpusCommand(
  opts: { data?: string; split: string; claim?: string; out: NodeJS.WritableStream } & ModelEvalOptions,
): Promise<number> {
  if (!(CORPUS_SPLITS as readonly string[]).includes(opts.split))
    throw new EvalError(`eval: unknown corpus split "${opts.split}" (expected one of ${CORPUS_SPLITS.join(', ')})`);
  const claimMode = opts.claim ?? 'record';
  if (claimMode !== 'record' && claimMode !== 'statement')
    throw new EvalError(`eval: --claim must be record or statement, not "${claimMode}"`);
  const corpus = readCorpus(opts.data ?? path.join(repoRoot, 'datasets', 'forecast-stance'));
  const pairs = spread(
    corpus.pairs.filter((p) => p.split === opts.split),
    opts.limit,
  );
  const scorer = createScorer();
  const started = performance.now();
  const judged = judgeCorpusPairs(scorer, corpus, pairs, claimMode);
  const model = opts.llm
    ? await judgeByModel(
        opts.llm,
        pairs.map((p, i) => {
          const f = corpus.forecasts.get(p.forecast)!;
          const a = corpus.articles.get(p.article)!;
          const claim: LlmClaim =
            claimMode === 'record'
              ? { statement: f.statement, kind: 'forecast', signposts: f.signposts, deadline: f.deadline }
              : { statement: f.statement, kind: 'forecast' };
          return { claim, article: { title: a.title, body: a.body, published: a.published }, builtin: judged[i]! };
        }),
        opts.err,
      )
    : null;
  const pred = model?.pred ?? judged.map((j) => j.stance);
  const confidence = model?.confidence ?? judged.map((j) => j.confidence);
  const seconds = (performance.now() - started) / 1000;
  const forecasts = new Set(pairs.map((p) => p.forecast)).size;
  const articles = new Set(pairs.map((p) => p.article)).size;
  const statusPairs = pairs.map((p, i): StatusPair => ({
    forecast: p.forecast,
    published: corpus.forecasts.get(p.forecast)?.published ?? null,
    articleId: p.article,
    articlePublished: corpus.articles.get(p.article)?.published ?? '',
    gold: p.stance,
    stance: pred[i] ?? 'unrelated',
    confidence: confidence[i] ?? 0,
  }));
  const lines = [
    `forecast-stance ${opts.split}: ${pairs.length} pairs${opts.limit ? ` (--limit ${opts.limit}, spread over the split)` : ''} (${forecasts} forecasts x ${articles} articles), claims as ${claimMode === 'record' ? 'records (statement, signposts, keywords)' : 'statements alone'}, scorer ${model ? `${model.scorer} (candidates by ${scorer.id})` : scorer.id}`,
    ...stanceTable(
      pairs.map((p) => p.stance),
      pred,
      seconds,
    ),
    ...statusLines(statusPairs),
    ...(model ? spendLines(model, opts.llm!) : []),
  ];
  opts.out.write(lines.join('\n') + '\n');
  return 0;
}

/**
 * Scores one real-event set (datasets/real-events: paraphrased real news, each against forecasts written
 * apart from it) from the forecasts' statements, and prints the same table as `eval corpus` with the
 * share of confirming and of refuting articles read the right way.
 */
export async function evalRealEventsCommand(
  opts: { data?: string; split: string; out: NodeJS.WritableStream } & ModelEvalOptions,
): Promise<number> {
  if (!(REAL_EVENT_SPLITS as readonly string[]).includes(opts.split))
    throw new EvalError(`eval: unknown real-event split "${opts.split}" (expected one of ${REAL_EVENT_SPLITS.join(', ')})`);
  const file = path.join(opts.data ?? path.join(repoRoot, 'datasets', 'real-events'), `${opts.split}.jsonl`);
  const text = readText(file);
  const events = parsed(() => parseRealEvents(path.basename(file), text));
  const scorer = createScorer();
  const started = performance.now();
  const pairs = judgeRealEvents(scorer, events, (all) => spread(all, opts.limit));
  const model = opts.llm
    ? await judgeByModel(
        opts.llm,
        pairs.map(({ event, claim, judgment }) => ({
          claim: { statement: claim.statement, kind: 'forecast' },
          article: { title: event.article.title, body: event.article.body },
          builtin: judgment,
        })),
        opts.err,
      )
    : null;
  const pred = model?.pred ?? pairs.map((p) => p.judgment.stance);
  const gold = pairs.map((p) => p.gold);
  const seconds = (performance.now() - started) / 1000;
  const readRight = (want: 'confirming' | 'refuting') => {
    const rows = pairs.flatMap((p, i) => (p.want === want ? [pred[i] === gold[i]] : []));
    return `${rows.filter(Boolean).length} of ${rows.length}`;
  };
  const lines = [
    `real events ${opts.split}: ${pairs.length} pairs${opts.limit ? ` (--limit ${opts.limit}, spread over the set)` : ''} (${new Set(pairs.map((p) => p.event.id)).size} articles), forecasts as statements, scorer ${model ? `${model.scorer} (candidates by ${scorer.id})` : scorer.id}`,
    ...stanceTable(gold, pred, seconds),
    `direction: confirming articles read as agree ${readRight('confirming')}, refuting articles read as disagree ${readRight('refuting')}`,
    ...(model
      ? spendLines(model, opts.llm!)
      : [
          `direction AUC: ${realEventDirectionAuc(pairs).toFixed(3)} (agree against disagree probability, confirming against refuting articles; 0.5 is chance)`,
        ]),
    ...crossLines(scorer, events, path.join(path.dirname(file), `cross-${opts.split}.jsonl`), opts),
    ...shippedLines(scorer, events, path.join(path.dirname(file), `shipped-${opts.split}.jsonl`), opts),
  ];
  opts.out.write(lines.join('\n') + '\n');
  return 0;
}

/**
 * Every article of a real-event set against every forecast of the set, as a feed meets them: the cross
 * pairs (another article's forecasts) are unrelated unless `cross-<split>.jsonl` labels them otherwise.
 * Left out where the set has no cross labels, for the training set (millions of pairs), and with
 * `--limit` or a language model (it would judge every pair).
 */
function crossLines(
  scorer: Scorer,
  events: readonly RealEvent[],
  crossFile: string,
  opts: { split: string; limit?: number; llm?: unknown },
): string[] {
  if (opts.split === 'train' || opts.limit || opts.llm || !fs.existsSync(crossFile)) return [];
  const cross = parsed(() => parseRealEventCross(path.basename(crossFile), readText(crossFile), events));
  const started = performance.now();
  const judged = judgeRealEvents(scorer, events, undefined, realEventPairs(events, cross, 'all'));
  const seconds = (performance.now() - started) / 1000;
  const others = judged.filter((j) => !j.own);
  const calledRelated = others.filter((j) => j.judgment.stance !== 'unrelated');
  const wronglyRelated = calledRelated.filter((j) => j.gold === 'unrelated').length;
  const labelledRelated = cross.filter((l) => l.stance !== 'unrelated').length;
  return [
    `every article against every forecast of the set: ${judged.length} pairs (${judged.length - others.length} own, ${others.length} cross pairs: ${labelledRelated} labelled related in ${path.basename(crossFile)}, the rest unrelated)`,
    ...stanceTable(
      judged.map((j) => j.gold),
      judged.map((j) => j.judgment.stance),
      seconds,
    ),
    `cross pairs called related: ${calledRelated.length} (${wronglyRelated} of them unrelated), ${(calledRelated.length / Math.max(events.length, 1)).toFixed(1)} per article`,
  ];
}

/**
 * Every article of a real-event set against the product's own forecasts (the forecast-stance corpus's
 * `shipped` domain, the 30 of data/predictions.yaml), judged as records as the worker judges them:
 * `shipped-<split>.jsonl` lists the forecasts each article bears on, every other is unrelated. Left out
 * where the set has no such file, and with `--limit` or a language model.
 */
function shippedLines(scorer: Scorer, events: readonly RealEvent[], labelFile: string, opts: { limit?: number; llm?: unknown }): string[] {
  if (opts.limit || opts.llm || !fs.existsSync(labelFile)) return [];
  const forecasts = shippedForecasts(readCorpus(path.join(repoRoot, 'datasets', 'forecast-stance')));
  const labels = parsed(() =>
    parseRealEventShipped(path.basename(labelFile), readText(labelFile), events, new Set(forecasts.map((f) => f.id))),
  );
  const started = performance.now();
  const judged = judgeRealEvents(scorer, events, undefined, shippedRealEventPairs(events, labels, forecasts));
  const seconds = (performance.now() - started) / 1000;
  const calledRelated = judged.filter((j) => j.judgment.stance !== 'unrelated');
  return [
    `every article against the product's ${forecasts.length} forecasts, as records: ${judged.length} pairs (${judged.filter((j) => j.gold !== 'unrelated').length} labelled related in ${path.basename(labelFile)}, the rest unrelated)`,
    ...stanceTable(
      judged.map((j) => j.gold),
      judged.map((j) => j.judgment.stance),
      seconds,
    ),
    `called related: ${calledRelated.length} (${calledRelated.filter((j) => j.gold === 'unrelated').length} of them unrelated), ${(calledRelated.length / Math.max(labels.length, 1)).toFixed(1)} per article`,
  ];
}

const EMERGENT_FILES: Record<string, string> = {
  test: 'url-versions-2015-06-14-clean-test.csv',
  train: 'url-versions-2015-06-14-clean-train.csv',
  full: 'url-versions-2015-06-14-clean.csv',
};
const EMERGENT_MAP: Record<string, string> = { for: 'agree', against: 'disagree', observing: 'discuss' };

/** Reads an Emergent split (claim headline vs article headline; for/against/observing as agree/disagree/discuss). */
export function readEmergentPairs(dir: string, split: string): EvalPair[] {
  const file = EMERGENT_FILES[split];
  if (!file) throw new EvalError(`eval: unknown Emergent split "${split}" (expected one of ${Object.keys(EMERGENT_FILES).join(', ')})`);
  return readCsv(path.join(dir, file)).map((row, i) => {
    const gold = EMERGENT_MAP[row['articleHeadlineStance'] ?? ''];
    if (!gold) throw new EvalError(`eval: ${file} row ${i + 2}: unknown stance "${row['articleHeadlineStance']}"`);
    return { claim: row['claimHeadline'] ?? '', body: row['articleHeadline'] ?? '', gold };
  });
}

/**
 * Scores the Emergent split (default: test). Every pair is about its claim by construction,
 * so the accuracy is over the three related stances; how often the full pipeline would
 * have called a pair unrelated is printed too.
 */
export async function evalEmergentCommand(
  opts: { data?: string; split?: string; out: NodeJS.WritableStream } & EvalDataOptions,
): Promise<number> {
  const split = opts.split ?? 'test';
  const dir = opts.data ?? path.join(sharedDir(opts), 'data', 'emergent');
  const pairs = readEmergentPairs(dir, split);
  const scorer = createScorer();
  let unrelated = 0;
  const pred = pairs.map((p) => {
    const j = scorer.score({ statement: p.claim }, { title: p.body, body: '' }, { assumeRelated: true, claimKind: 'report' });
    if (j.relevance < 0.5) unrelated++;
    return j.stance;
  });
  const gold = pairs.map((p) => p.gold);
  const f1 = perClassF1(gold, pred, RELATED_STANCES);
  const lines = [
    `Emergent ${split}: ${pairs.length} claim/headline pairs, scorer ${scorer.id}`,
    `accuracy: ${(accuracy(gold, pred) * 100).toFixed(2)} %`,
    `macro-F1: ${macroF1(gold, pred, RELATED_STANCES).toFixed(4)}`,
    `per-class F1: ${RELATED_STANCES.map((l, i) => `${l} ${(f1[i] ?? 0).toFixed(4)}`).join(', ')}`,
    'confusion matrix (rows gold, columns predicted):',
    formatMatrix(RELATED_STANCES, confusionMatrix(gold, pred, RELATED_STANCES)),
    `pairs with relevance < 0.5 (the full pipeline would call them unrelated): ${unrelated}`,
  ];
  opts.out.write(lines.join('\n') + '\n');
  return 0;
}

/** `--scorer llm` and `--limit N`: the model judges the built-in scorer's candidates, as in a cycle. */
export interface ModelEvalOptions {
  /** The model to evaluate (from SIGNPOST_LLM_*); unset evaluates the built-in scorer. */
  llm?: LlmSetup | null;
  /** Score only this many pairs, spread evenly over the split (a model is slow and may cost money). */
  limit?: number;
  /** Where the model's progress goes (a line every PROGRESS_EVERY pairs asked). */
  err?: NodeJS.WritableStream;
}

const PROGRESS_EVERY = 25;

/** `limit` items spread evenly over the list (every forecast and class gets its share), in order. */
export function spread<T>(items: T[], limit: number | undefined): T[] {
  if (!limit || limit >= items.length) return items;
  return Array.from({ length: limit }, (_, i) => items[Math.floor((i * items.length) / limit)]!);
}

interface ModelRun {
  scorer: string;
  pred: string[];
  /** Each pair's confidence: the model's where its answer stands, else the built-in judgment's. */
  confidence: number[];
  /** Pairs below the candidate threshold (the built-in "unrelated" stands, no request). */
  skipped: number;
  asked: number;
  judged: number;
  /** Identical prompts answered once. */
  reused: number;
  fallback: number;
  unavailable: number;
  promptTokens: number;
  completionTokens: number;
}

/**
 * The model's verdicts on the pairs, as the worker's step would give them: pairs under the candidate
 * relevance keep the built-in judgment; an unusable answer or an endpoint that does not answer
 * leaves the built-in judgment too (and is counted).
 */
async function judgeByModel(
  llm: LlmSetup,
  items: { claim: LlmClaim; article: LlmArticle; builtin: Judgment }[],
  err?: NodeJS.WritableStream,
): Promise<ModelRun> {
  const candidates = items.filter((i) => i.builtin.relevance >= llm.minRelevance).length;
  let answered = 0;
  const run: ModelRun = {
    scorer: llm.judge.scorerId,
    pred: [],
    confidence: [],
    skipped: 0,
    asked: 0,
    judged: 0,
    reused: 0,
    fallback: 0,
    unavailable: 0,
    promptTokens: 0,
    completionTokens: 0,
  };
  const asked = new Map<string, Promise<LlmOutcome>>();
  const answers = await Promise.all(
    items.map(async ({ claim, article, builtin }): Promise<{ stance: string; confidence: number }> => {
      if (builtin.relevance < llm.minRelevance) {
        run.skipped++;
        return builtin;
      }
      const keys = pairKeys(claim, article);
      const key = `${keys.claimKey}:${keys.articleKey}`;
      let outcome = asked.get(key);
      if (outcome) run.reused++;
      else {
        asked.set(key, (outcome = llm.judge.judge(claim, article)));
        run.asked++;
        const o = await outcome;
        run.promptTokens += o.usage.promptTokens;
        run.completionTokens += o.usage.completionTokens;
        if (o.status === 'judged') run.judged++;
        else if (o.status === 'invalid') run.fallback++;
        else run.unavailable++;
        if (++answered % PROGRESS_EVERY === 0)
          err?.write(
            `model: ${answered} asked of at most ${candidates} candidates, ${run.promptTokens + run.completionTokens} tokens so far\n`,
          );
      }
      const o = await outcome;
      return o.status === 'judged' ? o.answer : builtin;
    }),
  );
  run.pred = answers.map((a) => a.stance);
  run.confidence = answers.map((a) => a.confidence);
  return run;
}

/** What the model run spent: requests, outcomes, tokens, and money when prices are given. */
function spendLines(run: ModelRun, llm: LlmSetup): string[] {
  const perPair = run.asked ? (run.promptTokens + run.completionTokens) / run.asked : 0;
  const cost = formatCost({ prompt: run.promptTokens, completion: run.completionTokens }, llm.price);
  const per1000 = run.asked
    ? formatCost({ prompt: (run.promptTokens / run.asked) * 1000, completion: (run.completionTokens / run.asked) * 1000 }, llm.price)
    : '';
  return [
    `model: ${run.asked} pairs asked (${run.skipped} below the candidate relevance ${llm.minRelevance} kept the built-in judgment, ${run.reused} repeated prompts answered once), ${run.judged} judged, ${run.fallback} unusable answers and ${run.unavailable} unanswered fell back to the built-in judgment`,
    `spend: ${run.promptTokens} prompt + ${run.completionTokens} answer tokens (${perPair.toFixed(0)} a pair asked)${cost ? `; cost${cost.slice(1)}, per 1,000 pairs asked${per1000.slice(1)}` : ' (set SIGNPOST_LLM_PRICE_INPUT and SIGNPOST_LLM_PRICE_OUTPUT, dollars per million tokens, for the cost)'}`,
  ];
}
