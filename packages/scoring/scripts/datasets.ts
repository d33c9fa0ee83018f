/**
 * Readers for the shared benchmark files (FNC-1, Emergent) and the repository's own data (the
 * forecast-stance corpus, direction cases). Used by training, evaluation helpers and the benchmark;
 * never by the scorer itself.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import {
  parseCorpus,
  parseRealEventCross,
  parseRealEvents,
  parseRealEventShipped,
  shippedForecasts,
  shippedRealEventPairs,
  type Corpus,
  type RealEvent,
  type RealEventCrossLabel,
  type RealEventPair,
} from '../src/corpus.ts';
import { contentTerms, tokenize } from '../src/text.ts';

/** A script's `--name value` option, or undefined when it is not given. */
export function scriptArg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

export class DatasetError extends Error {
  override name = 'DatasetError';
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Resolves the shared data directory: SIGNPOST_SHARED_DIR, else ../shared beside the repo. */
export function resolveSharedDir(): string {
  return process.env.SIGNPOST_SHARED_DIR ?? path.resolve(repoRoot, '../shared');
}

/** A string's place in [0, 1) by its SHA-256: the corpus's splits by family, the learning curve's shares. */
export function hashUnit(s: string): number {
  return crypto.createHash('sha256').update(s).digest().readUInt32BE(0) / 2 ** 32;
}

/** The forecast-stance corpus committed in datasets/forecast-stance. */
export function readForecastStance(): Corpus {
  const dir = path.join(repoRoot, 'datasets', 'forecast-stance');
  const read = (name: string) => fs.readFileSync(path.join(dir, name), 'utf8');
  return parseCorpus({ forecasts: read('forecasts.jsonl'), articles: read('articles.jsonl'), pairs: read('pairs.jsonl') });
}

/** One JSON value per non-empty line (the direction suites and cases). */
export function readJsonl<T>(file: string): T[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);
}

function readCsv(file: string): Record<string, string>[] {
  if (!fs.existsSync(file)) throw new DatasetError(`datasets: missing file ${file}`);
  return parse(fs.readFileSync(file, 'utf8'), { columns: true, skip_empty_lines: true, relax_quotes: false, bom: true });
}

export interface FncPair {
  headline: string;
  bodyId: string;
  stance: string;
}

export interface FncSplit {
  pairs: FncPair[];
  bodies: Map<string, string>;
}

/** Reads `<dir>/<prefix>_stances.csv` and `<dir>/<prefix>_bodies.csv` (prefix: train or competition_test). */
export function readFncSplit(dir: string, prefix: string): FncSplit {
  const bodies = new Map<string, string>();
  for (const row of readCsv(path.join(dir, `${prefix}_bodies.csv`))) {
    const id = row['Body ID'];
    const body = row['articleBody'];
    if (id === undefined || body === undefined) throw new DatasetError(`datasets: ${prefix}_bodies.csv lacks Body ID/articleBody columns`);
    bodies.set(id, body);
  }
  const pairs: FncPair[] = readCsv(path.join(dir, `${prefix}_stances.csv`)).map((row, i) => {
    const headline = row['Headline'];
    const bodyId = row['Body ID'];
    const stance = row['Stance'] ?? '';
    if (headline === undefined || bodyId === undefined)
      throw new DatasetError(`datasets: ${prefix}_stances.csv row ${i + 2}: missing Headline/Body ID`);
    if (!bodies.has(bodyId)) throw new DatasetError(`datasets: ${prefix}_stances.csv row ${i + 2}: unknown Body ID ${bodyId}`);
    return { headline, bodyId, stance };
  });
  return { pairs, bodies };
}

export function readIdList(file: string): Set<string> {
  if (!fs.existsSync(file)) throw new DatasetError(`datasets: missing file ${file}`);
  return new Set(fs.readFileSync(file, 'utf8').split(/\s+/).filter(Boolean));
}

/** Reads a predictions CSV with a Stance column (e.g. the reference submissions). */
export function readStanceColumn(file: string): string[] {
  return readCsv(file).map((r) => r['Stance'] ?? '');
}

export interface EmergentRow {
  claim: string;
  headline: string;
  /** for / against / observing mapped to agree / disagree / discuss. */
  stance: 'agree' | 'disagree' | 'discuss';
  claimId: string;
}

const EMERGENT_MAP: Record<string, EmergentRow['stance']> = { for: 'agree', against: 'disagree', observing: 'discuss' };

/** Reads an Emergent clean CSV (full, -train or -test). */
export function readEmergent(file: string): EmergentRow[] {
  return readCsv(file).map((r, i) => {
    const stance = EMERGENT_MAP[r['articleHeadlineStance'] ?? ''];
    if (!stance) throw new DatasetError(`datasets: ${path.basename(file)} row ${i + 2}: unknown stance "${r['articleHeadlineStance']}"`);
    return { claim: r['claimHeadline'] ?? '', headline: r['articleHeadline'] ?? '', stance, claimId: r['claimId'] ?? '' };
  });
}

/** The direction cases the forecast models train on (datasets/direction-train). */
export const DIRECTION_CASES_FILE = path.join(repoRoot, 'datasets', 'direction-train', 'cases.jsonl');

/**
 * The real-event sets (datasets/real-events): training pairs, dev (tuned on), test (scored once per
 * version) and validation (neither trained nor tuned on: for choosing between versions).
 */
export const REAL_EVENTS_FILE = path.join(repoRoot, 'datasets', 'real-events', 'train.jsonl');
export const REAL_EVENTS_DEV_FILE = path.join(repoRoot, 'datasets', 'real-events', 'dev.jsonl');
export const REAL_EVENTS_TEST_FILE = path.join(repoRoot, 'datasets', 'real-events', 'test.jsonl');
export const REAL_EVENTS_VALIDATION_FILE = path.join(repoRoot, 'datasets', 'real-events', 'validation.jsonl');

/** A real-event set's cross labels (datasets/real-events/cross-<split>.jsonl): its articles against other articles' forecasts. */
export function realEventCrossFile(split: string): string {
  return path.join(repoRoot, 'datasets', 'real-events', `cross-${split}.jsonl`);
}

/** Reads a real-event set's cross labels, checked against the set's articles and forecasts. */
export function readRealEventCross(split: string, events: readonly RealEvent[]): RealEventCrossLabel[] {
  const file = realEventCrossFile(split);
  if (!fs.existsSync(file)) throw new DatasetError(`datasets: missing ${file}`);
  return parseRealEventCross(path.basename(file), fs.readFileSync(file, 'utf8'), events);
}

/**
 * A real-event set's articles against the product's own 30 forecasts (datasets/real-events/shipped-<split>.jsonl),
 * as pairs: every labelled article against every forecast of the corpus's `shipped` domain, as records.
 */
export function readRealEventShippedPairs(
  split: string,
  events: readonly RealEvent[],
  corpus: Corpus = readForecastStance(),
): RealEventPair[] {
  const file = path.join(repoRoot, 'datasets', 'real-events', `shipped-${split}.jsonl`);
  if (!fs.existsSync(file)) throw new DatasetError(`datasets: missing ${file}`);
  const forecasts = shippedForecasts(corpus);
  const labels = parseRealEventShipped(path.basename(file), fs.readFileSync(file, 'utf8'), events, new Set(forecasts.map((f) => f.id)));
  return shippedRealEventPairs(events, labels, forecasts);
}

/** Reads a real-event file (datasets/real-events). */
export function readRealEvents(file: string): RealEvent[] {
  if (!fs.existsSync(file)) throw new DatasetError(`datasets: missing ${file}`);
  return parseRealEvents(path.basename(file), fs.readFileSync(file, 'utf8'));
}

/** A training case whose forecast shares this share of content words with a measured one asks its question. */
export const QUESTION_OVERLAP = 0.3;

export interface MeasuredForecast {
  id: string;
  statement: string;
  terms: Set<string>;
}

/** A text's content words (stemmed, stop words out): what the overlap rules compare. */
export function statementTerms(statement: string): Set<string> {
  return new Set(contentTerms(tokenize(statement)));
}

/**
 * The forecasts the scorer is measured on, which training must not see: both direction suites, the
 * held-back second dev set, the real-event dev, test and validation sets and the corpus's dev and test forecasts.
 */
export function measuredForecasts(): MeasuredForecast[] {
  const out: MeasuredForecast[] = [];
  for (const suite of ['direction-suite.jsonl', 'direction-dev.jsonl', 'direction-dev2.jsonl']) {
    const file = path.join(repoRoot, 'packages', 'scoring', 'testdata', suite);
    for (const c of readJsonl<{ id: string; forecast: { statement: string } }>(file)) {
      out.push({ id: c.id, statement: c.forecast.statement, terms: statementTerms(c.forecast.statement) });
    }
  }
  for (const file of [REAL_EVENTS_DEV_FILE, REAL_EVENTS_TEST_FILE, REAL_EVENTS_VALIDATION_FILE]) {
    for (const c of readRealEvents(file))
      c.forecasts.forEach((f, k) => out.push({ id: `${c.id}:${k}`, statement: f.statement, terms: statementTerms(f.statement) }));
  }
  for (const f of readForecastStance().forecasts.values()) {
    if (f.split === 'dev' || f.split === 'test') out.push({ id: f.id, statement: f.statement, terms: statementTerms(f.statement) });
  }
  return out;
}

/** The measured forecast nearest to a statement by content-word Jaccard, with that score. */
export function nearestMeasured(
  statement: string,
  measured: readonly MeasuredForecast[],
): { score: number; id: string; statement: string } {
  const own = statementTerms(statement);
  let best = { score: 0, id: '', statement: '' };
  for (const m of measured) {
    const score = termJaccard(own, m.terms);
    if (score > best.score) best = { score, id: m.id, statement: m.statement };
  }
  return best;
}

/** The share of two term sets' union that both hold (0 for two empty sets): what the overlap rules compare. */
export function termJaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  let shared = 0;
  for (const t of a) if (b.has(t)) shared++;
  const union = a.size + b.size - shared;
  return union === 0 ? 0 : shared / union;
}
