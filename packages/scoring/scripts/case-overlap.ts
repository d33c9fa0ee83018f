/**
 * Which direction cases ask the same question as a forecast the models are measured on: the direction
 * suites' forecasts, the held-back second dev set and the corpus's dev and test forecasts (a test
 * forecast must stay unseen, and a dev forecast must stay unseen for dev figures to mean anything). A
 * case is dropped from training when its forecast shares content words (stemmed, stop words out) with
 * such a forecast at Jaccard `QUESTION_OVERLAP` (0.3) or more; `src/direction-train.test.ts` holds the
 * committed cases to it.
 *
 *   npx tsx scripts/case-overlap.ts [cases.jsonl ...] [--min 0.3] [--keep FILE]
 *
 * Prints each case at or above the threshold with its nearest forecast; `--keep FILE` writes the cases
 * below it. A real-event line (datasets/real-events: one article, several forecasts) keeps the forecasts
 * below it, and is dropped only when none is left; `dropped` counts forecasts. The rule misses the same
 * question in other words, so a reader also looks at the pairs from 0.2 up (`--min 0.2`) and drops those
 * by hand (datasets/direction-train/README.md lists them).
 */
import fs from 'node:fs';
import path from 'node:path';
import { DIRECTION_CASES_FILE, measuredForecasts, nearestMeasured, QUESTION_OVERLAP, scriptArg } from './datasets.ts';

function main(): void {
  const min = Number(scriptArg('min') ?? QUESTION_OVERLAP);
  const keepFile = scriptArg('keep');
  const values = new Set([scriptArg('min'), keepFile]);
  const files = process.argv.slice(2).filter((a) => !a.startsWith('--') && !values.has(a));
  if (files.length === 0) files.push(DIRECTION_CASES_FILE);
  const measured = measuredForecasts();
  const kept: string[] = [];
  let dropped = 0;
  for (const file of files) {
    for (const line of fs.readFileSync(path.resolve(file), 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const c = JSON.parse(line) as { id: string; forecast?: { statement: string }; forecasts?: { statement: string }[] };
      const close = (statement: string) => {
        const best = nearestMeasured(statement, measured);
        if (best.score < min) return false;
        dropped++;
        console.log(`${best.score.toFixed(2)}  ${c.id}: ${statement}\n      ${best.id}: ${best.statement}`);
        return true;
      };
      if (c.forecasts) {
        // A real event (datasets/real-events): its close forecasts go, the article stays with the rest.
        const forecasts = c.forecasts.filter((f) => !close(f.statement));
        if (forecasts.length) kept.push(JSON.stringify({ ...c, forecasts }));
      } else if (c.forecast && !close(c.forecast.statement)) kept.push(line);
    }
  }
  console.log(`${dropped} at or above ${min}, ${kept.length} below`);
  if (keepFile) fs.writeFileSync(keepFile, kept.join('\n') + '\n');
}

main();
