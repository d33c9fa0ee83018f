/**
 * Scorer throughput on one core over the FNC-1 competition test set (25,413 pairs).
 *
 *   npx tsx bench/score/run.ts            (data from SIGNPOST_SHARED_DIR or ../shared)
 *
 * Everything runs in this one Node thread. Rates are pairs per CPU-second of this process
 * (user + system time, so other load on the machine does not distort them) and per
 * wall-clock second. Measured in the same run:
 *   - baseline: plain tokenisation of both texts of every pair;
 *   - product pattern: each article prepared once, then scored against all its claims
 *     (the worker scores each new article against every forecast);
 *   - file order: pairs in the file's shuffled order through the scorer's own LRU cache;
 *   - no cache: every pair prepares its article from scratch.
 */
import path from 'node:path';
import { createScorer, type PreparedArticle } from '../../packages/scoring/src/index.ts';
import { tokenize } from '../../packages/scoring/src/text.ts';
import { readFncSplit, resolveSharedDir } from '../../packages/scoring/scripts/datasets.ts';

const split = readFncSplit(path.join(resolveSharedDir(), 'data', 'fnc-1'), 'competition_test');
const pairs = split.pairs.map((p) => ({ claim: p.headline, body: split.bodies.get(p.bodyId) ?? '' }));

function measure(label: string, fn: () => number): number {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const checksum = fn();
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(cpu0);
  const cpu = (c.user + c.system) / 1e6;
  const rate = pairs.length / cpu;
  console.log(
    `${label.padEnd(40)} cpu ${cpu.toFixed(2).padStart(6)} s ${Math.round(rate).toString().padStart(7)} pairs/s | wall ${wall.toFixed(2).padStart(6)} s ${Math.round(pairs.length / wall).toString().padStart(7)} pairs/s  (checksum ${checksum})`,
  );
  return rate;
}

// Warm-up so JIT compilation is not billed to the first measurement.
{
  const warm = createScorer();
  for (const p of pairs.slice(0, 500)) warm.score({ statement: p.claim }, { body: p.body });
}

const base = measure('baseline: tokenise claim + body', () => {
  let n = 0;
  for (const p of pairs) n += tokenize(p.claim).length + tokenize(p.body).length;
  return n;
});
const product = measure('scorer, article prepared once', () => {
  const scorer = createScorer();
  const prepared = new Map<string, PreparedArticle>();
  let n = 0;
  for (const p of pairs) {
    let a = prepared.get(p.body);
    if (!a) prepared.set(p.body, (a = scorer.prepareArticle({ body: p.body })));
    n += scorer.score({ statement: p.claim }, a).evidence.length;
  }
  return n;
});
const fileOrder = measure('scorer, file order, default LRU cache', () => {
  const scorer = createScorer();
  let n = 0;
  for (const p of pairs) n += scorer.score({ statement: p.claim }, { body: p.body }).evidence.length;
  return n;
});
const uncached = measure('scorer, no cache (cacheSize 1)', () => {
  const scorer = createScorer({ cacheSize: 1 });
  let n = 0;
  for (const p of pairs) n += scorer.score({ statement: p.claim }, { body: p.body }).evidence.length;
  return n;
});
console.log(
  `pairs: ${pairs.length}; ratio to baseline (cpu): article prepared once ${(product / base).toFixed(3)}, file order ${(fileOrder / base).toFixed(3)}, no cache ${(uncached / base).toFixed(3)}`,
);
console.log(`target >= 1000 pairs/s on one core (article prepared once): ${product >= 1000 ? 'met' : 'NOT met'}`);
