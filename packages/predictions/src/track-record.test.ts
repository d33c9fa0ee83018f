import { describe, expect, it } from 'vitest';
import type { Prediction } from './schema.ts';
import { computeTrackRecord } from './track-record.ts';

function forecast(
  id: string,
  probability: number,
  status: Prediction['resolution']['status'],
  authors: string[],
  outlet: string,
): Prediction {
  return {
    id,
    statement: id,
    quote: id,
    authors,
    outlet,
    published: '2022-01-01',
    publishedEstimated: false,
    source: 's.txt',
    kind: 'binary',
    deadline: '2023-01-01',
    hedge: 'likely',
    probability,
    probabilitySource: 'hedge',
    signposts: [{ text: 'x', direction: 'holds' }],
    keywords: ['x'],
    entities: [],
    resolution: status === 'open' ? { status } : { status, date: '2023-01-01', note: 'n' },
    related: [],
    contradicts: [],
    tags: ['t'],
  };
}

describe('computeTrackRecord', () => {
  const set = [
    forecast('a', 0.9, 'true', ['Ann'], 'Daily'),
    forecast('b', 0.675, 'false', ['Ann', 'Bob'], 'Daily'),
    forecast('c', 0.3, 'true', ['Bob'], 'Weekly'),
    forecast('d', 0.97, 'open', ['Bob'], 'Weekly'),
    forecast('e', 0.5, 'ambiguous', ['unknown'], 'Weekly'),
  ];
  const record = computeTrackRecord(set);

  it('scores resolved forecasts with the Brier score, overall and per author and outlet', () => {
    // (0.9-1)^2 = 0.01; (0.675-0)^2 = 0.455625; (0.3-1)^2 = 0.49
    expect(record.overall).toMatchObject({ resolved: 3, unresolved: 2, brier: Number(((0.01 + 0.455625 + 0.49) / 3).toFixed(4)) });
    const ann = record.byAuthor.find((a) => a.name === 'Ann')!;
    expect(ann).toMatchObject({ resolved: 2, unresolved: 0, brier: Number(((0.01 + 0.455625) / 2).toFixed(4)) });
    const bob = record.byAuthor.find((a) => a.name === 'Bob')!;
    expect(bob).toMatchObject({ resolved: 2, unresolved: 1, predictionIds: ['b', 'c', 'd'] });
    expect(record.byOutlet.map((o) => [o.name, o.resolved, o.brier])).toEqual([
      ['Daily', 2, 0.2328],
      ['Weekly', 1, 0.49],
    ]);
  });

  it('leaves unknown authors out of the per-author table', () => {
    expect(record.byAuthor.map((a) => a.name).sort()).toEqual(['Ann', 'Bob']);
  });

  it('builds a calibration table by ICD 203 band with counts', () => {
    expect(record.calibration).toHaveLength(7);
    const likely = record.calibration.find((b) => b.label === 'likely')!;
    expect(likely).toMatchObject({ count: 1, meanProbability: 0.675, observedFrequency: 0 });
    const veryLikely = record.calibration.find((b) => b.label === 'very likely')!;
    expect(veryLikely).toMatchObject({ count: 1, meanProbability: 0.9, observedFrequency: 1 });
    expect(record.calibration.find((b) => b.label === 'almost certain')).toMatchObject({ count: 0, meanProbability: null });
    expect(record.calibration.reduce((n, b) => n + b.count, 0)).toBe(3);
  });

  it('gives a null Brier score when nothing has resolved', () => {
    expect(computeTrackRecord([forecast('x', 0.5, 'open', ['Ann'], 'D')]).overall.brier).toBeNull();
  });
});
