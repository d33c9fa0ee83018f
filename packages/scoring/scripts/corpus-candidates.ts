/**
 * Picks the pairs for the corpus's cross-domain labelling and for its second labeller, and writes the
 * labellers' work sheets.
 *
 *   npx tsx scripts/corpus-candidates.ts cross  --per-article 5 --sheets 4 --out DIR
 *   npx tsx scripts/corpus-candidates.ts second --share 0.1 --sheets 3 --out DIR [--batch 2 [--match S] [--seed N]]
 *
 * `cross`: each article against the K forecasts of *other* domains (and the product's own forecasts)
 * closest to it by TF-IDF cosine (statement, signposts and keywords against title and body): the hard
 * negatives a word matcher would pick, and any related pairs the domain writers could not see.
 * `second`: a random share of the articles (seeded), each against every forecast it is paired with in
 * pairs.jsonl, for an independent second label (Cohen's kappa, then adjudication); `--batch 2`: the
 * second batch's forecasts only, on another sample of articles (its two rounds: `--match -x-`, and
 * `--match -y- --seed 20261204`).
 * Sheets are Markdown: each article once, then its forecasts as `forecast-id | statement`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRandom } from '../src/gbdt.ts';
import { contentTerms, tokenize } from '../src/text.ts';
import { scriptArg } from './datasets.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const dir = path.resolve(here, '../../../datasets/forecast-stance');

interface F {
  id: string;
  statement: string;
  signposts?: { text: string }[];
  keywords?: string[];
  domain: string;
  /** 2: the second batch (build-corpus.ts); absent for the first. */
  batch?: number;
}
interface A {
  id: string;
  title: string;
  body: string;
  published: string;
  outlet: string;
  domain: string;
}

function readJsonl<T>(name: string): T[] {
  return fs
    .readFileSync(path.join(dir, name), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);
}

function arg(name: string, fallback: string): string {
  return scriptArg(name) ?? fallback;
}

function vectors(texts: string[]): Map<string, number>[] {
  const docs = texts.map((t) => contentTerms(tokenize(t)));
  const df = new Map<string, number>();
  for (const d of docs) for (const t of new Set(d)) df.set(t, (df.get(t) ?? 0) + 1);
  return docs.map((d) => {
    const tf = new Map<string, number>();
    for (const t of d) tf.set(t, (tf.get(t) ?? 0) + 1);
    let norm = 0;
    for (const [t, c] of tf) {
      const w = (1 + Math.log(c)) * Math.log((docs.length + 1) / ((df.get(t) ?? 0) + 1));
      tf.set(t, w);
      norm += w * w;
    }
    norm = Math.sqrt(norm) || 1;
    for (const [t, w] of tf) tf.set(t, w / norm);
    return tf;
  });
}

function cosine(a: Map<string, number>, b: Map<string, number>): number {
  let s = 0;
  const [x, y] = a.size < b.size ? [a, b] : [b, a];
  for (const [t, w] of x) s += w * (y.get(t) ?? 0);
  return s;
}

function sheet(items: { article: A; forecasts: F[] }[], title: string): string {
  const out = [`# ${title}`, '', `${items.length} articles, ${items.reduce((n, i) => n + i.forecasts.length, 0)} pairs.`, ''];
  for (const { article, forecasts } of items) {
    out.push(
      `## ${article.id} (${article.published}, ${article.outlet})`,
      '',
      `**${article.title}**`,
      '',
      article.body,
      '',
      'Forecasts:',
      '',
    );
    for (const f of forecasts) out.push(`- ${f.id} | ${f.statement}`);
    out.push('');
  }
  return out.join('\n');
}

function main(): void {
  const mode = process.argv[2];
  const outDir = arg('out', '/tmp/corpus-sheets');
  const sheets = Number(arg('sheets', '4'));
  fs.mkdirSync(outDir, { recursive: true });
  const forecasts = readJsonl<F>('forecasts.jsonl');
  const articles = readJsonl<A>('articles.jsonl');
  const byId = new Map(forecasts.map((f) => [f.id, f]));
  let items: { article: A; forecasts: F[] }[];
  if (mode === 'cross') {
    const k = Number(arg('per-article', '5'));
    const fv = vectors(forecasts.map((f) => [f.statement, ...(f.signposts ?? []).map((s) => s.text), ...(f.keywords ?? [])].join('. ')));
    const av = vectors(articles.map((a) => `${a.title}. ${a.body}`));
    items = articles.map((a, i) => {
      const ranked = forecasts
        .map((f, j) => ({ f, s: cosine(av[i] as Map<string, number>, fv[j] as Map<string, number>) }))
        .filter((x) => x.f.domain !== a.domain)
        .sort((x, y) => y.s - x.s || (x.f.id < y.f.id ? -1 : 1))
        .slice(0, k);
      return { article: a, forecasts: ranked.map((x) => x.f) };
    });
  } else if (mode === 'second') {
    const share = Number(arg('share', '0.1'));
    // `--batch N`: that batch's forecasts only (1, the default: the first; 2: parts/<domain>/forecasts-2.jsonl).
    const batch = arg('batch', '1');
    // `--match S`: only forecasts whose id contains S (the second batch's rounds: "-x-", "-y-").
    const match = arg('match', '');
    const rand = createRandom(Number(arg('seed', batch === '1' ? '20261202' : '20261203')));
    const inBatch = (id: string) => (byId.get(id)?.batch ?? 1) === Number(batch) && id.includes(match);
    const pairs = readJsonl<{ forecast: string; article: string }>('pairs.jsonl').filter((p) => inBatch(p.forecast));
    // The cross-domain candidates, when their labelling runs at the same time.
    const crossFile = path.join(outDir, 'cross-pairs.jsonl');
    if (fs.existsSync(crossFile))
      for (const l of fs.readFileSync(crossFile, 'utf8').split('\n'))
        if (l.trim()) pairs.push(JSON.parse(l) as { forecast: string; article: string });
    const byArticle = new Map<string, string[]>();
    for (const p of pairs)
      if (!(byArticle.get(p.article) ?? []).includes(p.forecast))
        byArticle.set(p.article, [...(byArticle.get(p.article) ?? []), p.forecast]);
    const shuffled = [...articles]
      .map((a) => ({ a, r: rand() }))
      .sort((x, y) => x.r - y.r)
      .map((x) => x.a);
    items = shuffled
      .slice(0, Math.round(articles.length * share))
      .map((a) => ({ article: a, forecasts: (byArticle.get(a.id) ?? []).map((id) => byId.get(id)).filter((f): f is F => !!f) }));
  } else {
    throw new Error('usage: corpus-candidates.ts cross|second [--out DIR] [--sheets N] [--per-article K] [--share S]');
  }
  const per = Math.ceil(items.length / sheets);
  for (let s = 0; s < sheets; s++) {
    const part = items.slice(s * per, (s + 1) * per);
    fs.writeFileSync(path.join(outDir, `${mode}-${s + 1}.md`), sheet(part, `${mode} sheet ${s + 1}`));
  }
  fs.writeFileSync(
    path.join(outDir, `${mode}-pairs.jsonl`),
    items.flatMap(({ article, forecasts: fs2 }) => fs2.map((f) => JSON.stringify({ forecast: f.id, article: article.id }))).join('\n') +
      '\n',
  );
  console.log(
    `corpus-candidates: ${mode}: ${items.length} articles, ${items.reduce((n, i) => n + i.forecasts.length, 0)} pairs in ${sheets} sheets under ${outDir}`,
  );
}

main();
