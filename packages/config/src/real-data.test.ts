import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ID_PATTERN, computeTrackRecord, formatProblem } from '@signpost/predictions';
import { loadPredictions, type LoadPredictionsResult } from './load-predictions.ts';

const repoRoot = path.resolve(import.meta.dirname, '../../..');
const dataDir = path.join(repoRoot, 'data');
const seedsDir = path.join(process.env.SIGNPOST_SHARED_DIR ?? path.resolve(repoRoot, '../shared'), 'seeds');
const haveSeeds = existsSync(seedsDir);

let result: LoadPredictionsResult;
beforeAll(async () => {
  result = await loadPredictions(dataDir);
});

const byId = (id: string) => {
  const p = result.predictions.find((x) => x.id === id);
  if (!p) throw new Error(`no forecast ${id}`);
  return p;
};

describe('data/predictions.yaml', () => {
  it('loads without problems', () => {
    expect(result.problems.map((p) => formatProblem(p))).toEqual([]);
    expect(result.predictions.length).toBeGreaterThanOrEqual(15);
  });

  it('has complete records', () => {
    for (const p of result.predictions) {
      expect(p.id, p.id).toMatch(ID_PATTERN);
      expect(p.statement.length, p.id).toBeGreaterThan(20);
      expect(p.statement, p.id).not.toBe(p.quote);
      expect(p.authors.length, p.id).toBeGreaterThan(0);
      expect(p.source, p.id).toMatch(/^00[0-4]_[0-9a-f]{16}\.txt$/);
      expect(p.deadline ?? p.horizon, p.id).toBeTruthy();
      expect(p.probability, p.id).toBeGreaterThan(0);
      expect(p.probability, p.id).toBeLessThan(1);
      expect(
        p.signposts.some((s) => s.direction === 'holds'),
        `${p.id} has a holds signpost`,
      ).toBe(true);
      expect(
        p.signposts.some((s) => s.direction === 'fails'),
        `${p.id} has a fails signpost`,
      ).toBe(true);
      expect(p.keywords.length, p.id).toBeGreaterThan(1);
      expect(p.tags.length, p.id).toBeGreaterThan(0);
      if (p.resolution.status !== 'open') expect(p.resolution.note, p.id).toBeTruthy();
    }
  });

  it('draws forecasts from all five seed articles', () => {
    expect(new Set(result.predictions.map((p) => p.source)).size).toBe(5);
  });

  it('includes the forecasts the user named and the topics a careful reader would list', () => {
    for (const id of [
      'sino-russian-bloc-deepens',
      'china-no-sanctions-on-russia',
      'sanctions-blunt-china-alignment',
      'russia-china-trade-200b-by-2024',
      'no-sino-russian-military-alliance-soon',
      'china-support-stays-rhetorical',
      'china-russia-pipeline-capacity-grows',
      'russia-china-trade-de-dollarises',
      'joint-military-exercises-continue',
      'central-asia-rivalry-grows',
      'no-parallel-attack-ukraine-taiwan',
      'china-mediates-ukraine-war',
    ]) {
      expect(byId(id).id).toBe(id);
    }
  });

  it('links the two seeds that disagree on sanctions as contradicting, both ways', () => {
    expect(byId('sanctions-blunt-china-alignment').contradicts).toContain('china-undermines-russia-sanctions');
    expect(byId('china-undermines-russia-sanctions').contradicts).toContain('sanctions-blunt-china-alignment');
    expect(byId('sanctions-blunt-china-alignment').source).not.toBe(byId('china-undermines-russia-sanctions').source);
  });

  it('resolves the trade forecast true, citing the customs figure', () => {
    const trade = byId('russia-china-trade-200b-by-2024');
    expect(trade.kind).toBe('threshold');
    expect(trade.threshold).toMatchObject({ operator: '>=', value: 200 });
    expect(trade.resolution.status).toBe('true');
    expect(trade.resolution.note).toContain('$240.1 billion');
  });

  it('gives a track record once forecasts resolve', () => {
    const record = computeTrackRecord(result.predictions);
    const resolved = result.predictions.filter((p) => p.resolution.status === 'true' || p.resolution.status === 'false');
    expect(record.overall.resolved).toBe(resolved.length);
    expect(record.overall.brier).not.toBeNull();
    expect(record.calibration.reduce((n, b) => n + b.count, 0)).toBe(resolved.length);
  });
});

describe.skipIf(!haveSeeds)(`quotes against the seed articles (${seedsDir}; skipped when ../shared is absent)`, () => {
  const normalize = (s: string) => s.replace(/\s+/g, ' ').trim();

  it('quotes each author verbatim from the source file', () => {
    for (const p of result.predictions) {
      const file = path.join(seedsDir, p.source);
      expect(existsSync(file), `${p.id}: ${p.source} exists`).toBe(true);
      expect(normalize(readFileSync(file, 'utf8')), `${p.id}: quote is verbatim`).toContain(normalize(p.quote));
    }
  });

  it('names authors who appear in the source file', () => {
    for (const p of result.predictions) {
      const text = readFileSync(path.join(seedsDir, p.source), 'utf8');
      for (const author of p.authors) if (author !== 'unknown') expect(text, `${p.id}: ${author}`).toContain(author);
    }
  });
});
