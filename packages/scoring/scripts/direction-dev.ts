/**
 * The dev direction suite (testdata/direction-dev.jsonl) and the corpus's dev split, scored together:
 * the tuning loop for the direction rules, kept apart from the kept suite (direction-suite.jsonl),
 * which is scored only to report.
 *
 *   npx tsx scripts/train.ts --tune-only --tune-out=/tmp/tune.json     (models that never saw dev)
 *   npx tsx scripts/direction-dev.ts --weights /tmp/tune.json [--corpus] [--verbose] [--id dd-07] [--check JSON] [--variants FILE]
 *
 * `--suite FILE` may also hold real-event lines (one article, several forecasts with their intended stance).
 *
 * Prints the suite's articles judged right (confirming = agree, refuting = disagree, unrelated =
 * unrelated) with the models' verdict before the direction check; `--corpus` adds dev macro-F1;
 * `--verbose` shows each miss's best-matching sentences and how the direction analysis reads them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { judgeCorpusPairs, judgeRealEvents, realEventDirectionAuc, type RealEvent } from '../src/corpus.ts';
import { frameClaim, prepareDocument, rankSignals } from '../src/frame.ts';
import { macroF1, perClassF1 } from '../src/metrics.ts';
import type { ScorerWeights } from '../src/model.ts';
import { createScorer, DIRECTION_CHECK, type DirectionCheck } from '../src/scorer.ts';
import { dateYear } from '../src/timing.ts';
import type { ScorableArticle, ScorableClaim, Stance } from '../src/types.ts';
import defaultWeightsJson from '../src/weights/model.json' with { type: 'json' };
import { readForecastStance, readJsonl, scriptArg } from './datasets.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

interface SuiteCase {
  id: string;
  shape: string;
  forecast: ScorableClaim;
  confirming: ScorableArticle;
  refuting: ScorableArticle;
  unrelated: ScorableArticle;
  discussing?: ScorableArticle;
}

/** A real-event set scored pair by pair: share right per intent, and macro-F1 over the four stances. */
function scoreRealEvents(cases: RealEvent[], scorer: ReturnType<typeof createScorer>, idf: (k: string) => number, verbose: boolean): void {
  const gold: Stance[] = [];
  const pred: Stance[] = [];
  const right = new Map<string, [number, number]>();
  // Each article's own forecasts, in the order ownRealEventPairs judges them.
  const forecasts = cases.flatMap((c) => c.forecasts);
  const judged = judgeRealEvents(scorer, cases);
  for (const [i, { event: c, gold: want, judgment: j }] of judged.entries()) {
    const f = forecasts[i]!;
    gold.push(want);
    pred.push(j.stance);
    const [r, n] = right.get(f.want) ?? [0, 0];
    right.set(f.want, [r + (j.stance === want ? 1 : 0), n + 1]);
    if (j.stance === want) continue;
    const p = j.stanceProbabilities;
    console.log(
      `${c.id} ${f.shape} ${f.want}: ${j.stance} (rel ${j.relevance.toFixed(2)}; a/d/x ${p?.agree.toFixed(2)}/${p?.disagree.toFixed(2)}/${p?.discuss.toFixed(2)}) | ${f.statement}`,
    );
    if (verbose)
      console.log(
        [
          `   ${c.article.title}`,
          ...explain(
            f.statement,
            { title: c.article.title, body: c.article.body, ...(c.article.date ? { published: c.article.date } : {}) },
            idf,
          ),
        ].join('\n'),
      );
  }
  const shares = [...right].map(([want, [r, n]]) => `${want} ${r}/${n}`).join(', ');
  const f1 = perClassF1(gold, pred)
    .map((x) => x.toFixed(3))
    .join(' ');
  console.log(
    `real-event set, ${cases.length} articles: ${shares}; macro-F1 ${macroF1(gold, pred).toFixed(4)} (${f1}); direction AUC ${realEventDirectionAuc(judged).toFixed(3)}`,
  );
}

/** How the direction analysis reads a pair: the claim's frame and the article's best-matching sentences. */
function explain(statement: string, article: ScorableArticle, idf: (k: string) => number): string[] {
  const lines: string[] = [];
  const frame = frameClaim(statement, idf);
  lines.push(
    `   claim: negated ${frame.negated} dir ${frame.direction} agent ${frame.agent} q ${JSON.stringify(frame.quantity ?? null)} terms ${frame.terms.map((t) => `${t.key}${t.polarity < 0 ? '-' : ''}${t.event ? '*' : ''}`).join(' ')}`,
  );
  const doc = prepareDocument(article.title, article.body, dateYear(article.published));
  for (const s of rankSignals(frame, doc).slice(0, 4)) {
    const text = doc.sentences[s.index]?.sentence.text ?? '';
    lines.push(
      `   [${s.index}${s.title ? ' T' : ''}] cov ${s.coverage.toFixed(2)} ev ${s.eventCoverage.toFixed(2)} lean ${s.lean.toFixed(2)} lm ${s.leanMatched.toFixed(2)} q ${s.quantity} h ${s.hedged.toFixed(1)}${s.future ? ' fut' : ''}${s.opinion ? ' op' : ''} | ${text.slice(0, 150)}`,
    );
    const toks = doc.sentences[s.index]?.sentence.tokens ?? [];
    lines.push(
      `      ${toks.map((t) => `${t.lower}${t.polarity < 0 ? '-' : ''}${t.cls ? `/${t.cls}` : ''}${t.hedge ? '?' : ''}`).join(' ')}`,
    );
  }
  return lines;
}

const KINDS: ['confirming' | 'refuting' | 'unrelated', Stance][] = [
  ['confirming', 'agree'],
  ['refuting', 'disagree'],
  ['unrelated', 'unrelated'],
];

function main(): void {
  const weightsFile = scriptArg('weights');
  const weights = weightsFile
    ? (JSON.parse(fs.readFileSync(weightsFile, 'utf8')) as ScorerWeights)
    : (defaultWeightsJson as unknown as ScorerWeights);
  const suiteFile = scriptArg('suite') ?? path.resolve(here, '../testdata/direction-dev.jsonl');
  const only = scriptArg('id');
  const verbose = process.argv.includes('--verbose');
  const lines = readJsonl<SuiteCase | RealEvent>(suiteFile).filter((c) => !only || c.id === only);
  const suite = lines.filter((c): c is SuiteCase => 'forecast' in c);
  // `--check '{"lead":{"coverage":0.5,"lean":0.8}}'`: settings merged over DIRECTION_CHECK's rules (`--check
  // '{}'`: the rules as they are); without it, the scorer's default (no check since 2.4.1).
  const checkArg = scriptArg('check');
  const check = checkArg ? { ...DIRECTION_CHECK, ...(JSON.parse(checkArg) as Partial<DirectionCheck>) } : undefined;
  const scorer = createScorer({ weights, ...(check ? { directionCheck: check } : {}) });
  const raw = createScorer({ weights, directionCheck: null });
  const idf = (k: string) => weights.idf.idf[k] ?? weights.idf.defaultIdf;
  const realEvents = lines.filter((c): c is RealEvent => 'forecasts' in c);
  if (realEvents.length) scoreRealEvents(realEvents, scorer, idf, verbose);
  if (!suite.length) return;
  const right: Record<string, number> = { confirming: 0, refuting: 0, unrelated: 0 };
  const rawRight: Record<string, number> = { confirming: 0, refuting: 0, unrelated: 0 };
  const misses: string[] = [];
  let allThree = 0;
  for (const c of suite) {
    if (KINDS.every(([kind, want]) => scorer.score(c.forecast, c[kind]).stance === want)) allThree++;
    for (const [kind, want] of KINDS) {
      const j = scorer.score(c.forecast, c[kind]);
      const r = raw.score(c.forecast, c[kind]);
      if (j.stance === want) right[kind] = (right[kind] ?? 0) + 1;
      if (r.stance === want) rawRight[kind] = (rawRight[kind] ?? 0) + 1;
      if (j.stance === want && !only) continue;
      const p = j.stanceProbabilities;
      misses.push(
        `${c.id} ${c.shape} ${kind}: ${j.stance} (model ${r.stance}; rel ${j.relevance.toFixed(2)}; a/d/x ${p?.agree.toFixed(2)}/${p?.disagree.toFixed(2)}/${p?.discuss.toFixed(2)})`,
      );
      if (verbose) {
        misses.push(...explain(c.forecast.statement, c[kind], idf));
      }
    }
  }
  if (misses.length) console.log(misses.join('\n'));
  const discussing = suite.filter((c) => c.discussing);
  if (discussing.length) {
    const called = new Map<Stance, number>();
    for (const c of discussing) {
      const s = scorer.score(c.forecast, c.discussing!).stance;
      called.set(s, (called.get(s) ?? 0) + 1);
    }
    const count = (s: Stance) => called.get(s) ?? 0;
    console.log(
      `discussing articles: discuss ${count('discuss')}/${discussing.length} (agree ${count('agree')}, disagree ${count('disagree')}, unrelated ${count('unrelated')})`,
    );
  }
  const n = suite.length;
  const total = (right.confirming ?? 0) + (right.refuting ?? 0) + (right.unrelated ?? 0);
  const rawTotal = (rawRight.confirming ?? 0) + (rawRight.refuting ?? 0) + (rawRight.unrelated ?? 0);
  console.log(
    `dev suite ${total}/${n * 3}: confirming ${right.confirming}/${n}, refuting ${right.refuting}/${n}, unrelated ${right.unrelated}/${n}` +
      `; all three ${allThree}  (models alone ${rawTotal}: ${rawRight.confirming}/${rawRight.refuting}/${rawRight.unrelated})`,
  );
  if (process.argv.includes('--corpus')) scoreCorpus(weights, [['given', check ?? null]]);
  const variantsFile = scriptArg('variants');
  if (variantsFile) {
    // A JSON list of [name, check]: each scored on the corpus dev split and the suite.
    // A variant's settings are merged over DIRECTION_CHECK's rules; null scores without any check.
    const variants = JSON.parse(fs.readFileSync(variantsFile, 'utf8')) as [string, Partial<DirectionCheck> | null][];
    scoreCorpus(
      weights,
      variants.map(([name, c]) => [name, c === null ? null : { ...DIRECTION_CHECK, ...c }]),
      suite,
    );
  }
}

function scoreCorpus(weights: ScorerWeights, variants: [string, DirectionCheck | null][], suite?: SuiteCase[]): void {
  {
    const corpus = readForecastStance();
    const dev = corpus.pairs.filter((p) => p.split === 'dev');
    const gold = dev.map((p) => p.stance);
    for (const [name, check] of variants) {
      const scorer = createScorer({ weights, directionCheck: check });
      const pred = judgeCorpusPairs(scorer, corpus, dev).map((j) => j.stance);
      const f1 = perClassF1(gold, pred)
        .map((x) => x.toFixed(3))
        .join(' ');
      if (process.env.DUMP)
        fs.writeFileSync(
          `${process.env.DUMP}-${name.replace(/\W+/g, '_')}.tsv`,
          dev.map((p, i) => `${p.forecast}\t${p.article}\t${p.stance}\t${pred[i]}`).join('\n'),
        );
      let right = '';
      if (suite) {
        const got = KINDS.map(([kind, want]) => suite.filter((c) => scorer.score(c.forecast, c[kind]).stance === want).length);
        right = `  suite ${got.reduce((a, b) => a + b, 0)} (${got.join('/')})`;
      }
      console.log(`${name.padEnd(40)} corpus dev macro-F1 ${macroF1(gold, pred).toFixed(4)} (${f1})${right}`);
    }
  }
}

main();
