/**
 * Two sets of weights on the dev sets, pair by pair: is one better beyond the noise of a few dozen
 * forecasts and articles? For each dev measure it prints both macro-F1s, their difference (B − A), a 95 %
 * interval for the difference from a paired bootstrap that draws whole forecasts (the corpus) or whole
 * articles (the real-event set), the share of draws in which B comes out above A, and how many pairs only
 * one of the two judges right (`pairedBootstrap`, src/metrics.ts). A difference whose interval holds zero
 * is not a reason to choose (docs/scoring.md, "2.22.4").
 *
 *   npx tsx scripts/compare-weights.ts --a FILE [--b FILE] [--rounds 1000] [--seed 1]
 *
 * `--b` defaults to the committed weights. Both are judged with this checkout's reading. Dev splits only:
 * the corpus's dev split (every pair, forecasts as records, as `eval corpus` judges them), the real-event
 * dev set's own pairs, and every real-event dev article against every dev forecast.
 */
import fs from 'node:fs';
import { judgeCorpusPairs, judgeRealEvents, realEventPairs, type RealEventJudgment } from '../src/corpus.ts';
import { createRandom } from '../src/gbdt.ts';
import { pairedBootstrap } from '../src/metrics.ts';
import type { ScorerWeights } from '../src/model.ts';
import { createScorer } from '../src/scorer.ts';
import { readForecastStance, readRealEventCross, readRealEvents, REAL_EVENTS_DEV_FILE, scriptArg } from './datasets.ts';

const load = (file: string | undefined) =>
  createScorer(file ? { weights: JSON.parse(fs.readFileSync(file, 'utf8')) as ScorerWeights } : {});
const fileA = scriptArg('a');
if (!fileA) throw new Error('compare-weights: --a FILE is required (a weights file, e.g. from train.ts --tune-out)');
const fileB = scriptArg('b');
const scorers = [load(fileA), load(fileB)] as const;
const rounds = Number(scriptArg('rounds') ?? 1000);
const seed = Number(scriptArg('seed') ?? 1);

interface Measure {
  name: string;
  gold: string[];
  pred: [string[], string[]];
  clusters: string[];
}

function corpusDev(): Measure {
  const corpus = readForecastStance();
  const pairs = corpus.pairs.filter((p) => p.split === 'dev');
  const pred = scorers.map((scorer) => judgeCorpusPairs(scorer, corpus, pairs).map((j) => j.stance)) as [string[], string[]];
  return { name: 'corpus dev, forecasts as records', gold: pairs.map((p) => p.stance), pred, clusters: pairs.map((p) => p.forecast) };
}

function realEventDev(): Measure[] {
  const events = readRealEvents(REAL_EVENTS_DEV_FILE);
  const every = realEventPairs(events, readRealEventCross('dev', events), 'all');
  const judged = scorers.map((scorer) => judgeRealEvents(scorer, events, undefined, every));
  const measure = (name: string, keep: (j: RealEventJudgment) => boolean): Measure => {
    const [a, b] = judged.map((list) => list.filter(keep)) as [RealEventJudgment[], RealEventJudgment[]];
    return {
      name,
      gold: a.map((j) => j.gold),
      pred: [a.map((j) => j.judgment.stance), b.map((j) => j.judgment.stance)],
      clusters: a.map((j) => j.event.id),
    };
  };
  return [measure('real-event dev, own pairs', (j) => j.own), measure('real-event dev, every article x every forecast', () => true)];
}

const f3 = (x: number) => (x >= 0 ? ' ' : '') + x.toFixed(3);
console.log(`A ${fileA}\nB ${fileB ?? 'the committed weights'}\n${rounds} bootstrap draws of whole forecasts or articles, seed ${seed}`);
for (const m of [corpusDev(), ...realEventDev()]) {
  const c = pairedBootstrap(m.gold, m.pred[0], m.pred[1], m.clusters, { random: createRandom(seed), rounds });
  console.log(
    `${m.name} (${m.gold.length} pairs, ${new Set(m.clusters).size} clusters): A ${c.a.toFixed(3)}, B ${c.b.toFixed(3)}, ` +
      `B - A ${f3(c.diff)} [95 % ${f3(c.low)}, ${f3(c.high)}], B above A in ${(100 * c.bAbove).toFixed(0)} % of draws; ` +
      `right only by A ${c.onlyA}, only by B ${c.onlyB}`,
  );
}
