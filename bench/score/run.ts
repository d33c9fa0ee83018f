/**
 * Scorer throughput on one core over the FNC-1 competition test set (25,413 pairs).
 *
 *   npx tsx bench/score/run.ts            (data from SIGNPOST_SHARED_DIR or ../shared)
 *
 * Prints pairs/s for: a baseline measured in the same run (plain tokenisation of both texts
 * of every pair), the scorer as the product uses it (article-side work cached, each article
 * scored against many claims), and the scorer with no cache (every pair prepared from
 * scratch), with the ratios to the baseline.
 */
import path from 'node:path';
import { createScorer } from '../../packages/scoring/src/index.ts';
import { tokenize } from '../../packages/scoring/src/text.ts';
import { readFncSplit, resolveSharedDir } from '../../packages/scoring/scripts/datasets.ts';

const split = readFncSplit(path.join(resolveSharedDir(), 'data', 'fnc-1'), 'competition_test');
const pairs = split.pairs.map((p) => ({ claim: p.headline, body: split.bodies.get(p.bodyId) ?? '' }));

function time(label: string, fn: () => number): number {
  const t0 = performance.now();
  const checksum = fn();
  const s = (performance.now() - t0) / 1000;
  const rate = pairs.length / s;
  console.log(`${label.padEnd(34)} ${s.toFixed(2).padStart(7)} s  ${Math.round(rate).toString().padStart(8)} pairs/s  (checksum ${checksum})`);
  return rate;
}

// Warm-up on a slice so JIT compilation is not billed to the first measurement.
{
  const warm = createScorer();
  for (const p of pairs.slice(0, 300)) warm.score({ statement: p.claim }, { body: p.body });
}

const base = time('baseline: tokenise claim + body', () => {
  let n = 0;
  for (const p of pairs) n += tokenize(p.claim).length + tokenize(p.body).length;
  return n;
});
const cached = time('scorer (article cache, default)', () => {
  const scorer = createScorer();
  let n = 0;
  for (const p of pairs) n += scorer.score({ statement: p.claim }, { body: p.body }).evidence.length;
  return n;
});
const uncached = time('scorer (no cache: cacheSize 1)', () => {
  const scorer = createScorer({ cacheSize: 1 });
  let n = 0;
  for (const p of pairs) n += scorer.score({ statement: p.claim }, { body: p.body }).evidence.length;
  return n;
});
console.log(`pairs: ${pairs.length}; ratio to baseline: cached ${(cached / base).toFixed(3)}, uncached ${(uncached / base).toFixed(3)}`);
console.log(`target >= 1000 pairs/s (cached): ${cached >= 1000 ? 'met' : 'NOT met'}`);
