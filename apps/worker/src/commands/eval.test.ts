import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createScorer, fncScore } from '@signpost/scoring';
import { EvalError, evalEmergentCommand, evalFnc1Command, readEmergentPairs, readFnc1Pairs } from './eval.ts';
import { captureStream } from '../test-streams.ts';

const testdata = path.join(path.dirname(fileURLToPath(import.meta.url)), 'testdata');

const collect = captureStream;

describe('evalFnc1Command', () => {
  it('prints the FNC score the metric gives for the scorer predictions, macro-F1, per-class F1 and the matrix', async () => {
    const dir = path.join(testdata, 'fnc-1');
    const out = collect();
    expect(await evalFnc1Command({ data: dir, split: 'competition_test', out: out.stream })).toBe(0);
    const text = out.text();
    const pairs = readFnc1Pairs(dir, 'competition_test');
    expect(pairs).toHaveLength(5);
    expect(pairs[0]?.body).toContain('\n\nResidents reported');
    const scorer = createScorer();
    const pred = pairs.map((p) => scorer.score({ statement: p.claim }, { body: p.body }).stance);
    const s = fncScore(pairs.map((p) => p.gold), pred);
    expect(text).toContain(`FNC score: ${s.score.toFixed(2)} / 3.50 = ${(s.relative * 100).toFixed(2)} %`);
    expect(text).toMatch(/macro-F1: \d\.\d{4}/);
    expect(text).toMatch(/per-class F1: agree \d\.\d{4}, disagree \d\.\d{4}, discuss \d\.\d{4}, unrelated \d\.\d{4}/);
    expect(text).toContain('confusion matrix (rows gold, columns predicted):');
    const matrix = text.split('\n').filter((l) => /^(agree|disagree|discuss|unrelated)\s/.test(l));
    expect(matrix).toHaveLength(4);
    const total = matrix.flatMap((l) => l.trim().split(/\s+/).slice(1).map(Number)).reduce((a, b) => a + b, 0);
    expect(total).toBe(5);
  });

  it('rejects an unknown split and a missing folder with clear errors', async () => {
    const out = collect();
    await expect(evalFnc1Command({ data: path.join(testdata, 'fnc-1'), split: 'dev', out: out.stream })).rejects.toThrow(/eval: unknown FNC-1 split "dev"/);
    await expect(evalFnc1Command({ data: '/nonexistent', split: 'competition_test', out: out.stream })).rejects.toThrow(EvalError);
  });
});

describe('evalEmergentCommand', () => {
  it('prints accuracy over the three related stances and the confusion matrix', async () => {
    const dir = path.join(testdata, 'emergent');
    const out = collect();
    expect(await evalEmergentCommand({ data: dir, out: out.stream })).toBe(0);
    const text = out.text();
    expect(readEmergentPairs(dir, 'test').map((p) => p.gold)).toEqual(['agree', 'disagree', 'discuss']);
    expect(text).toMatch(/^Emergent test: 3 claim\/headline pairs, scorer signpost-stance-gbdt@/);
    const acc = Number(/accuracy: ([\d.]+) %/.exec(text)?.[1]);
    expect([0, 33.33, 66.67, 100]).toContain(acc);
    const matrix = text.split('\n').filter((l) => /^(agree|disagree|discuss)\s/.test(l));
    const cells = matrix.map((l) => l.trim().split(/\s+/).slice(1).map(Number));
    const diagonal = cells.reduce((a, row, i) => a + (row[i] ?? 0), 0);
    expect(Number(((diagonal / 3) * 100).toFixed(2))).toBe(acc);
  });
});
