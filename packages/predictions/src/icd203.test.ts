import { describe, expect, it } from 'vitest';
import { ICD203_SCALE, bandForProbability, probabilityForHedge } from './icd203.ts';

describe('probabilityForHedge', () => {
  it('maps each ICD 203 term and synonym to its band midpoint', () => {
    expect(probabilityForHedge('likely')).toEqual({ term: 'likely', low: 0.55, high: 0.8, probability: 0.675 });
    expect(probabilityForHedge('Probably')?.term).toBe('likely');
    expect(probabilityForHedge('  very   likely ')?.probability).toBe(0.875);
    expect(probabilityForHedge('almost certainly')?.probability).toBe(0.97);
    expect(probabilityForHedge('remote')?.probability).toBe(0.03);
    expect(probabilityForHedge('roughly even odds')?.probability).toBe(0.5);
  });

  it('returns undefined for words the scale does not list', () => {
    expect(probabilityForHedge('might')).toBeUndefined();
    expect(probabilityForHedge('')).toBeUndefined();
  });

  it('covers 0..1 with contiguous, ordered bands', () => {
    for (let i = 1; i < ICD203_SCALE.length; i++) expect(ICD203_SCALE[i]!.low).toBe(ICD203_SCALE[i - 1]!.high);
    expect(bandForProbability(0).term).toBe('almost no chance');
    expect(bandForProbability(0.55).term).toBe('likely');
    expect(bandForProbability(0.5499).term).toBe('roughly even chance');
    expect(bandForProbability(1).term).toBe('almost certain');
  });
});
