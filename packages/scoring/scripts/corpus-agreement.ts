/**
 * Agreement between the corpus's labels and an independent second labeller:
 *
 *   npx tsx scripts/corpus-agreement.ts SECOND.jsonl [...]     (from packages/scoring)
 *
 * Prints Cohen's kappa over the four stances, raw agreement, kappa on relatedness (related vs
 * unrelated) and on the related stances where both call the pair related, the confusion matrix, and
 * writes the disagreements (with both labels and the second labeller's reason) to
 * disagreements.jsonl beside the first input, for adjudication.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RELATED_STANCES, STANCES } from '@signpost/vocabulary';

const here = path.dirname(fileURLToPath(import.meta.url));
const dir = path.resolve(here, '../../../datasets/forecast-stance');

interface Label {
  forecast: string;
  article: string;
  stance: string;
  why?: string;
  source?: string;
}

function read(file: string): Label[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Label);
}

/** Cohen's kappa of two label sequences over the given categories. */
export function cohenKappa(a: string[], b: string[], categories: string[]): number {
  const n = a.length;
  if (n === 0) return NaN;
  let observed = 0;
  const pa = new Map<string, number>();
  const pb = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    if (a[i] === b[i]) observed++;
    pa.set(a[i] ?? '', (pa.get(a[i] ?? '') ?? 0) + 1);
    pb.set(b[i] ?? '', (pb.get(b[i] ?? '') ?? 0) + 1);
  }
  let expected = 0;
  for (const c of categories) expected += ((pa.get(c) ?? 0) / n) * ((pb.get(c) ?? 0) / n);
  return (observed / n - expected) / (1 - expected);
}

function main(): void {
  const files = process.argv.slice(2);
  if (files.length === 0) throw new Error('usage: corpus-agreement.ts SECOND.jsonl [...]');
  const first = new Map(read(path.join(dir, 'pairs.jsonl')).map((p) => [`${p.forecast}|${p.article}`, p]));
  const second = files.flatMap(read);
  const a: string[] = [];
  const b: string[] = [];
  const disagreements: unknown[] = [];
  let missing = 0;
  for (const s of second) {
    const f = first.get(`${s.forecast}|${s.article}`);
    if (!f) {
      missing++;
      continue;
    }
    a.push(f.stance);
    b.push(s.stance);
    if (f.stance !== s.stance)
      disagreements.push({
        forecast: s.forecast,
        article: s.article,
        first: f.stance,
        firstSource: f.source,
        second: s.stance,
        secondWhy: s.why ?? '',
      });
  }
  const rel = (x: string) => (x === 'unrelated' ? 'unrelated' : 'related');
  const both = a.map((x, i) => x !== 'unrelated' && b[i] !== 'unrelated');
  const ar = a.filter((_, i) => both[i]);
  const br = b.filter((_, i) => both[i]);
  console.log(`pairs compared: ${a.length}${missing ? ` (${missing} second labels have no first label yet)` : ''}`);
  console.log(`raw agreement: ${((a.filter((x, i) => x === b[i]).length / a.length) * 100).toFixed(1)} %`);
  console.log(`Cohen's kappa, four stances: ${cohenKappa(a, b, [...STANCES]).toFixed(3)}`);
  console.log(`Cohen's kappa, related vs unrelated: ${cohenKappa(a.map(rel), b.map(rel), ['related', 'unrelated']).toFixed(3)}`);
  console.log(
    `Cohen's kappa, agree/disagree/discuss where both say related (${ar.length} pairs): ${cohenKappa(ar, br, [...RELATED_STANCES]).toFixed(3)}`,
  );
  console.log('confusion (rows first label, columns second):');
  for (const r of STANCES)
    console.log(`  ${r.padEnd(10)} ${STANCES.map((c) => String(a.filter((x, i) => x === r && b[i] === c).length).padStart(6)).join('')}`);
  const out = path.join(path.dirname(files[0] as string), 'disagreements.jsonl');
  fs.writeFileSync(out, disagreements.map((d) => JSON.stringify(d)).join('\n') + '\n');
  console.log(`${disagreements.length} disagreements written to ${out}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
