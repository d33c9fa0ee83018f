/**
 * Which direction cases ask the same question as a forecast the models are measured on: the direction
 * suites' forecasts and the corpus's dev and test forecasts (a test forecast must stay unseen, and a dev
 * forecast must stay unseen for dev figures to mean anything). A case is dropped from training when its
 * forecast shares content words (stemmed, stop words out) with such a forecast at Jaccard 0.3 or more.
 *
 *   npx tsx scripts/case-overlap.ts [cases.jsonl ...] [--min 0.3] [--keep FILE]
 *
 * Prints each case at or above the threshold with its nearest forecast; `--keep FILE` writes the cases
 * below it. The rule misses the same question in other words, so a reader also looks at the pairs from
 * 0.2 up (`--min 0.2`) and drops those by hand (datasets/direction-train/README.md lists them).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { contentTerms, tokenize } from '../src/text.ts';
import { readForecastStance, readJsonl } from './datasets.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../..');

function terms(statement: string): Set<string> {
  return new Set(contentTerms(tokenize(statement)));
}

export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  let shared = 0;
  for (const t of a) if (b.has(t)) shared++;
  const union = a.size + b.size - shared;
  return union === 0 ? 0 : shared / union;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function main(): void {
  const min = Number(arg('min') ?? 0.3);
  const keepFile = arg('keep');
  const values = new Set([arg('min'), keepFile]);
  const files = process.argv.slice(2).filter((a) => !a.startsWith('--') && !values.has(a));
  if (files.length === 0) files.push(path.join(repoRoot, 'datasets/direction-train/cases.jsonl'));
  const measured: { id: string; statement: string; terms: Set<string> }[] = [];
  for (const suite of ['direction-suite.jsonl', 'direction-dev.jsonl', 'direction-dev2.jsonl']) {
    for (const c of readJsonl<{ id: string; forecast: { statement: string } }>(path.join(here, '../testdata', suite))) {
      measured.push({ id: c.id, statement: c.forecast.statement, terms: terms(c.forecast.statement) });
    }
  }
  for (const f of readForecastStance().forecasts.values()) {
    if (f.split === 'dev' || f.split === 'test') measured.push({ id: f.id, statement: f.statement, terms: terms(f.statement) });
  }
  const kept: string[] = [];
  let dropped = 0;
  for (const file of files) {
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const c = JSON.parse(line) as { id: string; forecast: { statement: string } };
      const own = terms(c.forecast.statement);
      let best = { score: 0, id: '', statement: '' };
      for (const m of measured) {
        const score = jaccard(own, m.terms);
        if (score > best.score) best = { score, id: m.id, statement: m.statement };
      }
      if (best.score >= min) {
        dropped++;
        console.log(`${best.score.toFixed(2)}  ${c.id}: ${c.forecast.statement}\n      ${best.id}: ${best.statement}`);
      } else kept.push(line);
    }
  }
  console.log(`${dropped} at or above ${min}, ${kept.length} below`);
  if (keepFile) fs.writeFileSync(keepFile, kept.join('\n') + '\n');
}

main();
