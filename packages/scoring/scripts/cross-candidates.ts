/**
 * Which cross pairs of a real-event set go to labellers (datasets/real-events/README.md, "Cross pairs"):
 * scores each article against the forecasts written for the set's other articles (`--scope batch`: only
 * those of the same writer's batch, one domain) with the committed weights, forecasts as bare statements,
 * and prints as JSON lines the pairs at relevance `--min` or more, not yet in `cross-<split>.jsonl`.
 *
 *   npx tsx scripts/cross-candidates.ts --split dev [--scope all|batch] [--min 0.1] > candidates.jsonl
 */
import fs from 'node:fs';
import { createScorer } from '../src/scorer.ts';
import { judgeRealEvents, realEventPairs } from '../src/corpus.ts';
import {
  readRealEventCross,
  readRealEvents,
  realEventCrossFile,
  REAL_EVENTS_DEV_FILE,
  REAL_EVENTS_FILE,
  REAL_EVENTS_TEST_FILE,
  REAL_EVENTS_VALIDATION_FILE,
  scriptArg,
} from './datasets.ts';

function option(name: string, fallback: string): string {
  return scriptArg(name) ?? fallback;
}

const split = option('split', 'dev');
const files: Record<string, string> = {
  dev: REAL_EVENTS_DEV_FILE,
  test: REAL_EVENTS_TEST_FILE,
  train: REAL_EVENTS_FILE,
  validation: REAL_EVENTS_VALIDATION_FILE,
};
const file = files[split];
if (!file) throw new Error(`cross-candidates: unknown split "${split}" (dev, test, train or validation)`);
const scope = option('scope', split === 'train' ? 'batch' : 'all');
const min = Number(option('min', '0.1'));
const events = readRealEvents(file);
const labelled = fs.existsSync(realEventCrossFile(split)) ? readRealEventCross(split, events) : [];
const done = new Set(labelled.map((l) => `${l.article} ${l.forecast}`));
const batch = (id: string) => id.split('-')[0];
const pairs = realEventPairs(events, [], 'all').filter(
  ({ event, ref, own }) => !own && !done.has(`${event.id} ${ref}`) && (scope !== 'batch' || batch(ref) === batch(event.id)),
);
const scorer = createScorer();
for (const { event, ref, judgment: j } of judgeRealEvents(scorer, events, undefined, pairs)) {
  if (j.relevance >= min)
    console.log(JSON.stringify({ article: event.id, forecast: ref, relevance: Number(j.relevance.toFixed(4)), stance: j.stance }));
}
console.error(`cross-candidates: ${pairs.length} cross pairs of ${split} scored (${scope}), ${scorer.id}`);
