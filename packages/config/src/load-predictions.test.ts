import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { formatProblem } from '@signpost/predictions';
import { loadPredictions } from './load-predictions.ts';

const fixture = path.resolve(import.meta.dirname, '../testdata/basic/predictions.yaml');
let valid = '';
beforeAll(async () => {
  valid = await readFile(fixture, 'utf8');
});

describe('loadPredictions', () => {
  let dir = '';
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('reads predictions.yaml and predictions.d/*.yaml together', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'signpost-pred-'));
    const [first, second] = valid.split('  - id: no-alliance');
    await writeFile(path.join(dir, 'predictions.yaml'), first!);
    await mkdir(path.join(dir, 'predictions.d'));
    await writeFile(path.join(dir, 'predictions.d', 'extra.yaml'), `predictions:\n  - id: no-alliance${second!}`);
    await writeFile(path.join(dir, 'predictions.d', 'notes.txt'), 'ignored');
    const result = await loadPredictions(dir, { now: new Date('2026-01-01') });
    expect(result.problems).toEqual([]);
    expect(result.files).toEqual([path.join(dir, 'predictions.yaml'), path.join(dir, 'predictions.d', 'extra.yaml')]);
    expect(result.predictions.map((p) => p.id)).toEqual(['trade-200b', 'no-alliance']);
    expect(result.origins.get('no-alliance')).toEqual({ file: path.join(dir, 'predictions.d', 'extra.yaml'), line: 2 });
  });

  it('accepts a missing predictions.yaml only when predictions.d has files', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'signpost-pred-'));
    const empty = await loadPredictions(dir);
    expect(empty.problems.map((p) => formatProblem(p, { cwd: dir }))).toEqual([
      'predictions.yaml: file not found (and predictions.d/ holds no .yaml files)',
    ]);
    await mkdir(path.join(dir, 'predictions.d'));
    await writeFile(path.join(dir, 'predictions.d', 'a.yml'), valid);
    const fromDir = await loadPredictions(dir, { now: new Date('2026-01-01') });
    expect(fromDir.problems).toEqual([]);
    expect(fromDir.predictions).toHaveLength(2);
  });
});
