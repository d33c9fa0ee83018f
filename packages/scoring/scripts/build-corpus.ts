/**
 * Builds the forecast-stance corpus (datasets/forecast-stance/) from its raw annotation files:
 *
 *   npx tsx scripts/build-corpus.ts          (from packages/scoring)
 *
 * Reads `parts/<domain>/{forecasts,articles,labels}.jsonl` (written per domain: each writer labelled
 * their articles against every forecast of their domain; pairs they left out are unrelated), the
 * product's own forecasts (`data/predictions.yaml`, domain `shipped`), `parts/cross/*.jsonl` (articles
 * labelled against the closest forecasts of other domains, blind) and `parts/adjudication.jsonl`
 * (disagreements with the second labeller, settled). Checks every record, assigns the splits and
 * writes `forecasts.jsonl`, `articles.jsonl` and `pairs.jsonl`.
 *
 * Splits: forecasts by family (a forecast and its opposite stay together), within each domain about
 * 60 % train, 20 % dev, 20 % test, by a hash of the family id; the shipped forecasts are train. The
 * second batch (`parts/<domain>/forecasts-2.jsonl` and `labels-2.jsonl`, written after the splits
 * were fixed, against the domain's articles; `parts/adjudication-2.jsonl`) is train only, so no dev or
 * test forecast moves.
 * Articles by time: `late` from LATE_FROM on. A pair is `test` or `dev` by its forecast; a train
 * forecast's pair is `train` with an early article and `late` with a late one (the time split).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isStance } from '@signpost/vocabulary';
import { parse as parseYaml } from 'yaml';
import type { CorpusArticle } from '../src/corpus.ts';
import { hashUnit } from './datasets.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../..');
const dir = path.join(repoRoot, 'datasets', 'forecast-stance');
const LATE_FROM = '2025-07-01';
const SHAPES = new Set(['positive', 'negated', 'threshold', 'deadline', 'conditional', 'trend']);
const TOPICS = new Set(['geopolitics', 'trade', 'energy', 'military', 'sanctions', 'technology', 'elections']);
const FRAMINGS = new Set(['western', 'russian', 'chinese', 'ukrainian', 'indian', 'central-asian', 'other-regional']);
const KINDS = new Set(['report', 'analysis', 'near-miss']);

interface Forecast {
  id: string;
  statement: string;
  shape: string;
  topic: string;
  published: string;
  deadline: string | null;
  signposts: { text: string; direction: 'holds' | 'fails' }[];
  keywords: string[];
  entities: string[];
  family: string;
  domain: string;
  split?: string;
  [k: string]: unknown;
}

/** An article as written in parts/ (its period is assigned here). */
type Article = Omit<CorpusArticle, 'period'> & { domain: string; period?: string; [k: string]: unknown };

interface Label {
  forecast: string;
  article: string;
  stance: string;
  why?: string;
}

const problems: string[] = [];
function problem(where: string, what: string): void {
  problems.push(`${where}: ${what}`);
}

function readJsonl<T>(file: string): { value: T; where: string }[] {
  if (!fs.existsSync(file)) return [];
  const rel = path.relative(repoRoot, file);
  const out: { value: T; where: string }[] = [];
  fs.readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (!line.trim()) return;
      try {
        out.push({ value: JSON.parse(line) as T, where: `${rel}:${i + 1}` });
      } catch (e) {
        problem(`${rel}:${i + 1}`, `not JSON (${(e as Error).message})`);
      }
    });
  return out;
}

const isDate = (s: unknown): s is string => typeof s === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(s);
const words = (s: string): number => s.split(/\s+/).filter(Boolean).length;

function checkForecast(f: Forecast, where: string): void {
  if (!/^[a-z0-9.-]+$/.test(f.id ?? '')) problem(where, `id "${f.id}" is not kebab-case`);
  if (typeof f.statement !== 'string' || f.statement.length < 20) problem(where, 'statement missing or too short');
  if (f.domain !== 'shipped') {
    if (!SHAPES.has(f.shape)) problem(where, `shape "${f.shape}" unknown`);
    if (!TOPICS.has(f.topic)) problem(where, `topic "${f.topic}" unknown`);
    if (!isDate(f.published)) problem(where, `published "${f.published}" is not YYYY-MM-DD`);
    if (f.deadline !== null && f.deadline !== undefined && !isDate(f.deadline))
      problem(where, `deadline "${f.deadline}" is not YYYY-MM-DD or null`);
    if (typeof f.family !== 'string' || !f.family) problem(where, 'family missing');
  }
  for (const s of f.signposts ?? [])
    if (!s || typeof s.text !== 'string' || (s.direction !== 'holds' && s.direction !== 'fails'))
      problem(where, 'a signpost needs text and direction holds|fails');
}

function checkArticle(a: Article, where: string): void {
  if (!/^[a-z0-9-]+$/.test(a.id ?? '')) problem(where, `id "${a.id}" is not kebab-case`);
  if (typeof a.title !== 'string' || a.title.length < 10) problem(where, 'title missing or too short');
  const n = typeof a.body === 'string' ? words(a.body) : 0;
  if (n < 95 || n > 260) problem(where, `body has ${n} words (100-250 expected)`);
  if (!isDate(a.published)) problem(where, `published "${a.published}" is not YYYY-MM-DD`);
  if (!FRAMINGS.has(a.framing)) problem(where, `framing "${a.framing}" unknown`);
  if (!KINDS.has(a.kind)) problem(where, `kind "${a.kind}" unknown`);
  if (typeof a.source_url !== 'string' || !/^https?:\/\//.test(a.source_url)) problem(where, 'source_url missing');
  if (typeof a.outlet !== 'string' || !a.outlet) problem(where, 'outlet missing');
}

function shippedForecasts(): Forecast[] {
  const doc = parseYaml(fs.readFileSync(path.join(repoRoot, 'data', 'predictions.yaml'), 'utf8')) as {
    predictions: Record<string, unknown>[];
  };
  return doc.predictions.map((p) => ({
    id: String(p['id']),
    statement: String(p['statement']),
    shape: 'positive',
    topic: 'geopolitics',
    published: String(p['published']),
    // The record's deadline, as the worker passes it to the scorer (most have none).
    deadline: typeof p['deadline'] === 'string' ? p['deadline'] : null,
    signposts: (p['signposts'] as Forecast['signposts']) ?? [],
    keywords: (p['keywords'] as string[]) ?? [],
    entities: (p['entities'] as string[]) ?? [],
    family: `shipped-${String(p['id'])}`,
    domain: 'shipped',
  }));
}

function main(): void {
  const rawDir = path.join(dir, 'parts');
  const domains = fs
    .readdirSync(rawDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name !== 'cross' && e.name !== 'second')
    .map((e) => e.name)
    .sort();
  const forecasts = new Map<string, Forecast>();
  const articles = new Map<string, Article>();
  const byDomainForecasts = new Map<string, string[]>();
  const byDomainArticles = new Map<string, string[]>();
  for (const f of shippedForecasts()) {
    forecasts.set(f.id, f);
    checkForecast(f, `data/predictions.yaml (${f.id})`);
  }
  const secondBatch = new Set<string>();
  const explicit = new Map<string, { stance: string; source: string; where: string }>();
  const key = (f: string, a: string) => `${f}\u0000${a}`;
  for (const d of domains) {
    const fIds: string[] = [];
    // The second batch (written after the splits were fixed, against the domain's articles): train only.
    for (const [file, batch] of [
      ['forecasts.jsonl', 1],
      ['forecasts-2.jsonl', 2],
    ] as const) {
      for (const { value, where } of readJsonl<Forecast>(path.join(rawDir, d, file))) {
        const f = batch === 1 ? { ...value, domain: d } : { ...value, domain: d, batch };
        checkForecast(f, where);
        if (forecasts.has(f.id)) problem(where, `duplicate forecast id ${f.id}`);
        forecasts.set(f.id, f);
        fIds.push(f.id);
        if (batch === 2) secondBatch.add(f.id);
      }
    }
    byDomainForecasts.set(d, fIds);
    const aIds: string[] = [];
    for (const { value, where } of readJsonl<Article>(path.join(rawDir, d, 'articles.jsonl'))) {
      const a = { ...value, domain: d };
      checkArticle(a, where);
      if (articles.has(a.id)) problem(where, `duplicate article id ${a.id}`);
      articles.set(a.id, a);
      aIds.push(a.id);
    }
    byDomainArticles.set(d, aIds);
  }
  const addLabels = (file: string, source: string, override: boolean) => {
    for (const { value: l, where } of readJsonl<Label>(file)) {
      if (!forecasts.has(l.forecast)) problem(where, `unknown forecast ${l.forecast}`);
      if (!articles.has(l.article)) problem(where, `unknown article ${l.article}`);
      if (!isStance(l.stance)) problem(where, `stance "${l.stance}" unknown`);
      const k = key(l.forecast, l.article);
      const prev = explicit.get(k);
      if (prev && !override && prev.stance !== l.stance)
        problem(where, `pair labelled twice differently (${prev.stance} at ${prev.where})`);
      if (!prev || override) explicit.set(k, { stance: l.stance, source, where });
    }
  };
  for (const d of domains) addLabels(path.join(rawDir, d, 'labels.jsonl'), 'writer', false);
  for (const d of domains) addLabels(path.join(rawDir, d, 'labels-2.jsonl'), 'writer-2', false);
  const crossDir = path.join(rawDir, 'cross');
  if (fs.existsSync(crossDir))
    for (const f of fs
      .readdirSync(crossDir)
      .filter((x) => x.endsWith('.jsonl'))
      .sort())
      addLabels(path.join(crossDir, f), 'cross', false);
  addLabels(path.join(rawDir, 'adjudication.jsonl'), 'adjudicated', true);
  addLabels(path.join(rawDir, 'adjudication-2.jsonl'), 'adjudicated-2', true);

  // Splits: families within each domain, ordered by hash; the first 60 % train, then dev, then test.
  for (const d of domains) {
    const families = [
      ...new Set((byDomainForecasts.get(d) ?? []).filter((id) => !secondBatch.has(id)).map((id) => forecasts.get(id)?.family ?? id)),
    ].sort((a, b) => hashUnit(a) - hashUnit(b));
    const n = families.length;
    const splitOf = new Map<string, string>();
    families.forEach((fam, i) => splitOf.set(fam, i < Math.round(n * 0.6) ? 'train' : i < Math.round(n * 0.8) ? 'dev' : 'test'));
    for (const id of byDomainForecasts.get(d) ?? []) {
      const f = forecasts.get(id);
      if (f) f.split = splitOf.get(f.family) ?? 'train';
    }
  }
  for (const f of forecasts.values()) if (f.domain === 'shipped' || secondBatch.has(f.id)) f.split = 'train';
  for (const a of articles.values()) a.period = a.published >= LATE_FROM ? 'late' : 'early';

  // Pairs: every writer's article against every forecast of its domain (unlabelled = unrelated),
  // plus every cross-domain or adjudicated label.
  const pairs: { forecast: string; article: string; stance: string; source: string; split: string }[] = [];
  const emitted = new Set<string>();
  const emit = (f: Forecast, a: Article, stance: string, source: string) => {
    const k = key(f.id, a.id);
    if (emitted.has(k)) return;
    emitted.add(k);
    // The second batch's late pairs are kept apart (`late-2`), so `late` stays the first batch's time split.
    const late = secondBatch.has(f.id) ? 'late-2' : 'late';
    const split = f.split === 'train' ? (a.period === 'late' ? late : 'train') : (f.split ?? 'train');
    pairs.push({ forecast: f.id, article: a.id, stance, source, split });
  };
  for (const d of domains) {
    for (const aId of byDomainArticles.get(d) ?? []) {
      const a = articles.get(aId);
      if (!a) continue;
      for (const fId of byDomainForecasts.get(d) ?? []) {
        const f = forecasts.get(fId);
        if (!f) continue;
        const e = explicit.get(key(fId, aId));
        emit(f, a, e?.stance ?? 'unrelated', e?.source ?? 'writer-implicit');
      }
    }
  }
  for (const [k, e] of explicit) {
    const [fId = '', aId = ''] = k.split('\u0000');
    const f = forecasts.get(fId);
    const a = articles.get(aId);
    if (f && a) emit(f, a, e.stance, e.source);
  }
  if (problems.length) {
    for (const p of problems) console.error(p);
    console.error(`build-corpus: ${problems.length} problem(s); nothing written`);
    process.exit(1);
  }
  const strip = <T extends Record<string, unknown>>(o: T, drop: string[]) =>
    Object.fromEntries(Object.entries(o).filter(([k]) => !drop.includes(k)));
  const write = (name: string, rows: unknown[]) =>
    fs.writeFileSync(path.join(dir, name), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  write(
    'forecasts.jsonl',
    [...forecasts.values()].map((f) => strip(f, ['note'])),
  );
  write('articles.jsonl', [...articles.values()]);
  pairs.sort((x, y) =>
    x.forecast < y.forecast ? -1 : x.forecast > y.forecast ? 1 : x.article < y.article ? -1 : x.article > y.article ? 1 : 0,
  );
  write('pairs.jsonl', pairs);
  const count = (rows: { split: string; stance: string }[]) => {
    const c: Record<string, Record<string, number>> = {};
    for (const r of rows) {
      c[r.split] ??= {};
      const s = c[r.split] as Record<string, number>;
      s[r.stance] = (s[r.stance] ?? 0) + 1;
    }
    return c;
  };
  console.log(
    `build-corpus: ${forecasts.size} forecasts (${domains.length} domains + shipped), ${articles.size} articles, ${pairs.length} pairs`,
  );
  for (const [split, c] of Object.entries(count(pairs)))
    console.log(
      `  ${split}: ${Object.entries(c)
        .map(([s, n]) => `${s} ${n}`)
        .join(', ')}`,
    );
}

main();
