import { frameClaim, prepareDocument } from './src/frame.ts';
import { frameFeatures, FRAME_FEATURES } from './src/frame-features.ts';
import type { ScorerWeights } from './src/model.ts';
import w0 from './src/weights/model.json' with { type: 'json' };
import { readRealEvents } from './scripts/datasets.ts';
import { createScorer } from './src/scorer.ts';
const weights = w0 as unknown as ScorerWeights;
const idf = (k: string) => weights.idf.idf[k] ?? weights.idf.defaultIdf;
const scorer = createScorer();
const names = ['f_lean_sum', 'f_title_lean', 'f_lean_pos', 'f_lean_neg', 'f_align1', 'f_dir', 'f_quant'];
for (const file of process.argv.slice(2)) {
  const stats: Record<string, [number, number, number]> = {};
  let modelRight = 0, n = 0;
  const cells: Record<string, number> = {};
  for (const c of readRealEvents(file)) {
    const doc = prepareDocument(c.article.title, c.article.body);
    for (const f of c.forecasts) {
      if (f.want !== 'confirming' && f.want !== 'refuting') continue;
      const claim = frameClaim(f.statement, idf);
      const a = frameFeatures(claim, doc, { future: true, entityFactor: 1 });
      const sign = f.want === 'confirming' ? 1 : -1;
      n++;
      const j = scorer.score({ statement: f.statement }, { title: c.article.title, body: c.article.body });
      const mr = j.stance === (sign > 0 ? 'agree' : 'disagree');
      if (mr) modelRight++;
      const ls = a.features[FRAME_FEATURES.indexOf('f_lean_sum')] ?? 0;
      const key = `${f.want} lean${ls > 0.05 ? '+' : ls < -0.05 ? '-' : '0'} neg=${claim.negated} model=${mr ? 'right' : j.stance}`;
      cells[key] = (cells[key] ?? 0) + 1;
      for (const name of names) {
        const v = a.features[FRAME_FEATURES.indexOf(name)] ?? 0;
        const s = (stats[name] ??= [0, 0, 0]);
        if (Math.abs(v) < 1e-6) s[2]++;
        else if (Math.sign(v) === sign) s[0]++;
        else s[1]++;
      }
    }
  }
  console.log(file, 'n', n, 'model right', modelRight);
  for (const [k, [r, w, z]] of Object.entries(stats)) console.log(`  ${k}: right ${r} wrong ${w} zero ${z}`);
  for (const k of Object.keys(cells).sort()) console.log(`  ${cells[k]}\t${k}`);
}
if (process.env.LIST) {
  for (const c of readRealEvents(process.env.LIST)) {
    const doc = prepareDocument(c.article.title, c.article.body);
    for (const f of c.forecasts) {
      if (f.want !== 'confirming' && f.want !== 'refuting') continue;
      const claim = frameClaim(f.statement, idf);
      const a = frameFeatures(claim, doc, { future: true, entityFactor: 1 });
      const ls = a.features[FRAME_FEATURES.indexOf('f_lean_sum')] ?? 0;
      const sign = f.want === 'confirming' ? 1 : -1;
      if (ls * sign < -0.05) console.log(`${c.id} ${f.want} ${f.shape} lean ${ls.toFixed(2)} | ${f.statement}\n     T: ${c.article.title}`);
    }
  }
}
