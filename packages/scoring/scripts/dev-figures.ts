/**
 * The dev figures a choice is made on, through the scorer, for one or more weights files (tuning-phase
 * models that never saw dev) or the committed weights:
 *
 *   npx tsx scripts/train.ts --tune-only --tune-out=/tmp/tune.json
 *   npx tsx scripts/dev-figures.ts /tmp/tune.json [committed] [--detail]
 *
 * One line per weights file: real-event dev own pairs (macro-F1; confirming articles read as agree and
 * refuting as disagree, of 60 each; direction AUC), every article against every forecast of the set
 * (macro-F1; cross pairs called related), every article against the product's 30 forecasts (macro-F1;
 * pairs called related) and the corpus's dev split (macro-F1); then the real-event validation set's own
 * pairs, every pair and its articles against the product's forecasts (the same figures: a set no model
 * trains or tunes on, for choosing between versions), and the direction AUC of dev's and validation's own pairs
 * pooled.
 * `--threshold=T`, `--bias=A,D` and `--event-bias=0|1` replace every file's forecast decisions (the related
 * threshold, the agree and disagree biases, `forecast.eventBias`): a tuning log's other decisions, scored.
 * `--detail` adds per-class F1 and the confusion matrices of the corpus and the own pairs. Reads only dev
 * and validation sets: test splits are scored once per version, with `signpost eval`.
 */
import fs from 'node:fs';
import {
  judgeCorpusPairs,
  judgeRealEvents,
  realEventDirectionAuc,
  realEventPairs,
  type RealEvent,
  type RealEventJudgment,
  type RealEventPair,
} from '../src/corpus.ts';
import { confusionMatrix, macroF1, perClassF1 } from '../src/metrics.ts';
import type { ScorerWeights } from '../src/model.ts';
import { createScorer } from '../src/scorer.ts';
import defaultWeights from '../src/weights/model.json' with { type: 'json' };
import {
  readForecastStance,
  readRealEventCross,
  readRealEventShippedPairs,
  readRealEvents,
  REAL_EVENTS_DEV_FILE,
  REAL_EVENTS_VALIDATION_FILE,
} from './datasets.ts';

function f1(judged: readonly RealEventJudgment[]): number {
  return macroF1(
    judged.map((j) => j.gold),
    judged.map((j) => j.judgment.stance),
  );
}

/** Own pairs' macro-F1, confirming and refuting articles read the right way (of how many), and the direction AUC. */
function ownLine(own: readonly RealEventJudgment[]): string {
  const read = (want: 'agree' | 'disagree') => {
    const rows = own.filter((j) => j.gold === want);
    return `${rows.filter((j) => j.judgment.stance === want).length}/${rows.length}`;
  };
  return `${f1(own).toFixed(3)} (confirming ${read('agree')}, refuting ${read('disagree')}; AUC ${realEventDirectionAuc(own).toFixed(3)})`;
}

function detail(name: string, gold: string[], pred: string[]): string {
  const f = perClassF1(gold, pred).map((x) => x.toFixed(2));
  return `  ${name}: F1 agree / disagree / discuss / unrelated ${f.join(' / ')}; confusion (rows gold) ${JSON.stringify(confusionMatrix(gold, pred))}`;
}

/**
 * The forecast decisions the command line gives (`--threshold`, `--bias`, `--event-bias`), read and checked
 * once: a function that puts them into a weights file's.
 */
function decisionsFromArgs(): (weights: ScorerWeights) => ScorerWeights {
  const flag = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const threshold = flag('threshold');
  const bias = flag('bias')?.split(',').map(Number);
  const event = flag('event-bias');
  if (threshold !== undefined && !(Number(threshold) >= 0 && Number(threshold) <= 1))
    throw new Error(`dev-figures: --threshold takes a number from 0 to 1, not "${threshold}"`);
  if (bias && (bias.length !== 2 || bias.some((b) => !(b > 0)))) throw new Error('dev-figures: --bias=A,D takes two positive numbers');
  if (event !== undefined && event !== '0' && event !== '1') throw new Error(`dev-figures: --event-bias takes 0 or 1, not "${event}"`);
  return (weights) => {
    const { eventBias: _, ...forecast } = weights.forecast;
    return {
      ...weights,
      forecast: {
        ...(event === undefined ? weights.forecast : forecast),
        ...(threshold !== undefined ? { relatedThreshold: Number(threshold) } : {}),
        ...(bias ? { stanceBias: [bias[0] ?? 1, bias[1] ?? 1, weights.forecast.stanceBias[2]] as [number, number, number] } : {}),
        ...(event === '1' ? { eventBias: true } : {}),
      },
    };
  };
}

function main(): void {
  const files = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  if (files.length === 0) throw new Error('dev-figures: name a weights file (or "committed")');
  const withDecisions = decisionsFromArgs();
  const events = readRealEvents(REAL_EVENTS_DEV_FILE);
  const corpus = readForecastStance();
  const every = realEventPairs(events, readRealEventCross('dev', events), 'all');
  const shipped = readRealEventShippedPairs('dev', events, corpus);
  const corpusPairs = corpus.pairs.filter((p) => p.split === 'dev');
  const validation = readRealEvents(REAL_EVENTS_VALIDATION_FILE);
  const validationEvery = realEventPairs(validation, readRealEventCross('validation', validation), 'all');
  const validationShipped = readRealEventShippedPairs('validation', validation, corpus);
  for (const file of files) {
    const weights = withDecisions(
      file === 'committed' ? (defaultWeights as unknown as ScorerWeights) : (JSON.parse(fs.readFileSync(file, 'utf8')) as ScorerWeights),
    );
    const scorer = createScorer({ weights });
    const own = judgeRealEvents(scorer, events);
    const validationOwn = judgeRealEvents(scorer, validation);
    // Macro-F1 over the pairs and how many of them (the cross pairs only, for every pair) are called related.
    const related = (set: readonly RealEvent[], pairs: readonly RealEventPair[], crossOnly: boolean) => {
      const judged = judgeRealEvents(scorer, set, undefined, pairs);
      const called = judged.filter((j) => !(crossOnly && j.own) && j.judgment.stance !== 'unrelated').length;
      return `${f1(judged).toFixed(3)} (${called}${crossOnly ? ' cross' : ''} related)`;
    };
    const everyPair = (set: readonly RealEvent[], pairs: readonly RealEventPair[]) => related(set, pairs, true);
    const product = (set: readonly RealEvent[], pairs: readonly RealEventPair[]) => related(set, pairs, false);
    const corpusGold = corpusPairs.map((p) => p.stance);
    const corpusPred = judgeCorpusPairs(scorer, corpus, corpusPairs).map((j) => j.stance);
    console.log(
      [
        file,
        `own pairs ${ownLine(own)}`,
        `every pair ${everyPair(events, every)}`,
        `product ${product(events, shipped)}`,
        `corpus dev ${macroF1(corpusGold, corpusPred).toFixed(3)}`,
        `validation own pairs ${ownLine(validationOwn)}`,
        // Dev's 120 direction pairs and validation's 163 move apart for most changes; their pooled ranking is
        // the steadier figure to choose on (docs/scoring.md, "After 2.26.1").
        `direction AUC pooled ${realEventDirectionAuc([...own, ...validationOwn]).toFixed(3)}`,
        `validation every pair ${everyPair(validation, validationEvery)}`,
        `validation product ${product(validation, validationShipped)}`,
      ].join(' | '),
    );
    if (process.argv.includes('--detail')) {
      console.log(detail('corpus dev', corpusGold, corpusPred));
      console.log(
        detail(
          'own pairs',
          own.map((j) => j.gold),
          own.map((j) => j.judgment.stance),
        ),
      );
    }
  }
}

main();
