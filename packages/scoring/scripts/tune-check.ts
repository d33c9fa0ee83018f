/**
 * Tunes the direction check (`DirectionCheck`) on the forecast-stance corpus's dev split, with models
 * that never saw it, and reports the direction suite beside it:
 *
 *   npx tsx scripts/train.ts --tune-only --tune-out=/tmp/tune.json
 *   npx tsx scripts/tune-check.ts --weights /tmp/tune.json
 *
 * Prints macro-F1 on dev and the suite's pairs judged right for each setting tried. Never reads the
 * test or late splits.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { macroF1, perClassF1 } from '../src/metrics.ts';
import type { ScorerWeights } from '../src/model.ts';
import { createScorer, DIRECTION_CHECK, type DirectionCheck } from '../src/scorer.ts';
import { readForecastStance, readJsonl, scriptArg } from './datasets.ts';
import type { ScorableArticle, ScorableClaim } from '../src/types.ts';
import { judgeCorpusPairs } from '../src/corpus.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

interface SuiteCase {
  id: string;
  forecast: ScorableClaim;
  confirming: ScorableArticle;
  refuting: ScorableArticle;
  unrelated: ScorableArticle;
}

function main(): void {
  const weightsFile = scriptArg('weights');
  const weights = weightsFile ? (JSON.parse(fs.readFileSync(weightsFile, 'utf8')) as ScorerWeights) : undefined;
  if (!weights) console.warn('tune-check: no --weights; the committed model was trained on the dev split, so dev figures are optimistic');
  const corpus = readForecastStance();
  const dev = corpus.pairs.filter((p) => p.split === 'dev');
  const suite = readJsonl<SuiteCase>(path.resolve(here, '../testdata/direction-suite.jsonl'));
  const variants: [string, DirectionCheck | null][] = [
    ['none (the default since 2.4.1)', null],
    ['DIRECTION_CHECK (2.2.0-2.4.0)', DIRECTION_CHECK],
    [
      'no promotion',
      { coverage: DIRECTION_CHECK.coverage, lean: DIRECTION_CHECK.lean, quantityCoverage: DIRECTION_CHECK.quantityCoverage },
    ],
  ];
  variants.push(['quantity only', { ...DIRECTION_CHECK, promote: { coverage: 2, lean: 2, quantity: true } }]);
  for (const coverage of [0.6, 0.8])
    for (const only of [undefined, 'disagree'] as const)
      variants.push([
        `promote ${coverage} ${only ?? 'both'}`,
        { ...DIRECTION_CHECK, promote: { coverage, lean: 0.8, ...(only ? { only } : {}) } },
      ]);
  for (const [name, check] of variants) {
    const scorer = createScorer({ ...(weights ? { weights } : {}), directionCheck: check });
    const pred = judgeCorpusPairs(scorer, corpus, dev).map((j) => j.stance);
    const gold = dev.map((p) => p.stance);
    let right = 0;
    for (const c of suite) {
      if (scorer.score(c.forecast, c.confirming).stance === 'agree') right++;
      if (scorer.score(c.forecast, c.refuting).stance === 'disagree') right++;
      if (scorer.score(c.forecast, c.unrelated).stance === 'unrelated') right++;
    }
    const f1 = perClassF1(gold, pred)
      .map((x) => x.toFixed(3))
      .join(' ');
    console.log(`${name.padEnd(32)} dev macro-F1 ${macroF1(gold, pred).toFixed(4)} (${f1})  suite ${right}/${suite.length * 3}`);
  }
}

main();
