import { describe, expect, it } from 'vitest';
import { columnsOf, cosineUnit, softMatchColumns, textVectors, unpackEmbeddings, type Embeddings, type TextVectors } from './embeddings.ts';
import { defaultEmbeddings } from './scorer.ts';

function pack(words: string[], vectors: number[][]) {
  const bytes = Int8Array.from(vectors.flat());
  return { source: 'test', dims: vectors[0]?.length ?? 0, words, bytes: Buffer.from(bytes.buffer).toString('base64') };
}

/** The plain definition: each claim word's best cosine to a passage word, weighted. */
function bruteSoft(emb: Embeddings, claim: TextVectors, passage: TextVectors): number {
  let sum = 0;
  let total = 0;
  claim.ids.forEach((a, i) => {
    let best = 0;
    for (const b of passage.ids)
      best = Math.max(
        best,
        a === b
          ? 1
          : [...Array(emb.dims).keys()].reduce(
              (s, d) => s + (emb.vectors[a * emb.dims + d] ?? 0) * (emb.vectors[b * emb.dims + d] ?? 0),
              0,
            ),
      );
    sum += (claim.weights[i] ?? 0) * best;
    total += claim.weights[i] ?? 0;
  });
  return total ? sum / total : 0;
}

describe('word vectors', () => {
  const words = ['halt', 'suspend', 'banana', 'gas', 'pipeline'];
  const emb = unpackEmbeddings(
    pack(words, [
      [100, 10, 0],
      [90, 30, 0],
      [0, 0, 120],
      [10, 100, 20],
      [20, 90, 40],
    ]),
  );

  it('unpacks to unit-length vectors', () => {
    for (let i = 0; i < 5; i++) {
      const norm = Math.hypot(...Array.from(emb.vectors.subarray(i * 3, i * 3 + 3)));
      expect(norm).toBeCloseTo(1, 5);
    }
  });

  it('keeps each known word once, with its largest weight, and skips unknown and zero-weight words', () => {
    const tv = textVectors(emb, ['halt', 'the', 'zebra', 'halt', 'gas'], (i) => [1, 0, 5, 3, 2][i] ?? 0);
    expect(Array.from(tv.ids)).toEqual([0, 3]);
    expect(Array.from(tv.weights)).toEqual([3, 2]);
    expect(cosineUnit(tv.mean, tv.mean)).toBeCloseTo(1, 5);
    expect(textVectors(emb, ['zebra'], () => 1).mean).toBeNull();
  });

  it('soft-matches a claim against the whole text and its parts as the plain definition does', () => {
    const one = () => 1;
    const claim = textVectors(emb, ['halt', 'gas'], (i) => [2, 1][i] ?? 0);
    const whole = textVectors(emb, ['suspend', 'pipeline', 'banana'], one);
    const parts = [textVectors(emb, ['suspend'], one), textVectors(emb, ['banana'], one), textVectors(emb, [], one)];
    const got = softMatchColumns(emb, claim, whole, columnsOf(whole, parts));
    expect(got).toHaveLength(4);
    [whole, ...parts].forEach((p, i) => expect(got[i]).toBeCloseTo(bruteSoft(emb, claim, p), 6));
    expect(got[0]).toBeGreaterThan(got[2] ?? 1);
  });

  it('gives the same soft match from its kept word cosines, for claims sharing words, across many texts and for another set of vectors', () => {
    const one = () => 1;
    const wholes = Array.from({ length: 20 }, (_, k) =>
      textVectors(emb, ['suspend', 'pipeline', 'banana', 'gas', 'halt'].slice(k % 3, 2 + (k % 4)), one),
    );
    const claims = [['halt', 'gas'], ['gas', 'pipeline'], ['halt'], ['banana', 'gas', 'halt']].map((w) =>
      textVectors(emb, w, (i) => i + 1),
    );
    // Every claim against every text, twice over (the second round from kept cosines, some dropped).
    for (let round = 0; round < 2; round++)
      for (const whole of wholes)
        for (const claim of claims) expect(softMatchColumns(emb, claim, whole, [])[0]).toBeCloseTo(bruteSoft(emb, claim, whole), 6);
    const other = unpackEmbeddings(
      pack(words, [
        [0, 0, 100],
        [0, 100, 0],
        [100, 0, 0],
        [0, 100, 0],
        [100, 0, 0],
      ]),
    );
    // A text met twice keeps its cosines in `emb`; the same word ids in other vectors are not those.
    const claim = claims[0]!;
    const whole = textVectors(emb, ['suspend', 'pipeline'], one);
    for (let k = 0; k < 2; k++) expect(softMatchColumns(emb, claim, whole, [])[0]).toBeCloseTo(bruteSoft(emb, claim, whole), 6);
    expect(softMatchColumns(other, claim, whole, [])[0]).toBeCloseTo(bruteSoft(other, claim, whole), 6);
    expect(bruteSoft(other, claim, whole)).not.toBeCloseTo(bruteSoft(emb, claim, whole), 2);
  });

  it('puts news words near their synonyms in the committed vectors', () => {
    const glove = defaultEmbeddings();
    const vec = (w: string) => textVectors(glove, [w], () => 1).mean;
    expect(cosineUnit(vec('halt'), vec('suspend'))).toBeGreaterThan(cosineUnit(vec('halt'), vec('banana')) + 0.3);
    expect(cosineUnit(vec('sanctions'), vec('embargo'))).toBeGreaterThan(cosineUnit(vec('sanctions'), vec('tourism')));
  });
});
