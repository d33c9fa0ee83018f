/**
 * How well the language rules alone tell a confirming article from a refuting one, without any model:
 * for each (forecast, article) pair, the coverage-weighted lean of the article's three sentences that
 * cover the forecast best (`rankSignals`), ranked against the gold direction (rank AUC), and how often its
 * sign is right. A reading change is checked here in seconds, on sets far larger than the dev splits the
 * models are tuned on, before a retrain (docs/scoring.md, "2.15.0").
 *
 *   npx tsx scripts/rules-direction.ts corpus [train|dev]       the corpus's agree and disagree pairs
 *   npx tsx scripts/rules-direction.ts FILE [FILE...]           real-event lines or direction cases
 *   OUT=leans.tsv npx tsx scripts/rules-direction.ts ...        each pair's lean, to compare two versions
 *
 * Never run it on a test split, the kept direction suite or the real-event test set: they are scored
 * only to report. Nor on the real-event validation set: reading rules fitted to it would make it a second
 * dev set, and it is kept for choosing between versions.
 */
import fs from 'node:fs';
import { parseRealEvents } from '../src/corpus.ts';
import { frameClaim, prepareDocument, rankSignals } from '../src/frame.ts';
import { rankAuc } from '../src/metrics.ts';
import { dateYear } from '../src/timing.ts';
import type { ScorerWeights } from '../src/model.ts';
import weightsJson from '../src/weights/model.json' with { type: 'json' };
import { readForecastStance, readJsonl } from './datasets.ts';

interface Pair {
  id: string;
  statement: string;
  title: string;
  body: string;
  /** The article's publication date, where it has one (it dates "last year"). */
  published?: string;
  confirms: boolean;
}

interface CaseLine {
  id: string;
  forecast: { statement: string };
  confirming: { title?: string; body: string };
  refuting: { title?: string; body: string };
}

const FORBIDDEN = /(?:^|\/)(?:test\.jsonl|validation\.jsonl|direction-suite\.jsonl)$/;

function pairsOf(args: string[]): Pair[] {
  if (args[0] === 'corpus') {
    const split = args[1] ?? 'dev';
    if (split !== 'train' && split !== 'dev') throw new Error(`rules-direction: the corpus's ${split} split is scored only to report`);
    const corpus = readForecastStance();
    return corpus.pairs
      .filter((p) => p.split === split && (p.stance === 'agree' || p.stance === 'disagree'))
      .map((p) => {
        const a = corpus.articles.get(p.article)!;
        return {
          id: p.forecast,
          statement: corpus.forecasts.get(p.forecast)!.statement,
          title: a.title ?? '',
          body: a.body,
          published: a.published,
          confirms: p.stance === 'agree',
        };
      });
  }
  const pairs: Pair[] = [];
  for (const file of args) {
    if (FORBIDDEN.test(file)) throw new Error(`rules-direction: ${file} is scored only to report`);
    const text = fs.readFileSync(file, 'utf8');
    if (text.includes('"forecasts"')) {
      for (const c of parseRealEvents(file, text))
        for (const f of c.forecasts)
          if (f.want === 'confirming' || f.want === 'refuting')
            pairs.push({
              id: c.id,
              statement: f.statement,
              title: c.article.title ?? '',
              body: c.article.body,
              ...(c.article.date ? { published: c.article.date } : {}),
              confirms: f.want === 'confirming',
            });
    } else {
      for (const c of readJsonl<CaseLine>(file))
        for (const kind of ['confirming', 'refuting'] as const)
          pairs.push({
            id: c.id,
            statement: c.forecast.statement,
            title: c[kind].title ?? '',
            body: c[kind].body,
            confirms: kind === 'confirming',
          });
    }
  }
  return pairs;
}

function main(): void {
  const weights = weightsJson as unknown as ScorerWeights;
  const idf = (k: string) => weights.idf.idf[k] ?? weights.idf.defaultIdf;
  const pairs = pairsOf(process.argv.slice(2));
  const leans = pairs.map((p) => {
    let num = 0;
    let den = 0;
    for (const s of rankSignals(frameClaim(p.statement, idf), prepareDocument(p.title, p.body, dateYear(p.published))).slice(0, 3)) {
      num += s.coverage * s.lean;
      den += s.coverage;
    }
    return den > 0 ? num / den : 0;
  });
  // A lean within 0.02 of zero points nowhere.
  const right = pairs.filter((p, i) => (p.confirms ? leans[i]! > 0.02 : leans[i]! < -0.02)).length;
  const wrong = pairs.filter((p, i) => (p.confirms ? leans[i]! < -0.02 : leans[i]! > 0.02)).length;
  const auc = rankAuc(
    leans,
    pairs.map((p) => p.confirms),
  );
  console.log(
    `${pairs.length} pairs: lean AUC ${auc.toFixed(4)}; sign right ${right}, wrong ${wrong}, none ${pairs.length - right - wrong}`,
  );
  if (process.env.OUT) {
    fs.writeFileSync(
      process.env.OUT,
      pairs.map((p, i) => `${p.id}\t${p.confirms ? 1 : 0}\t${leans[i]!.toFixed(3)}\t${p.statement}`).join('\n') + '\n',
    );
  }
}

main();
