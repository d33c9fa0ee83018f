import { describe, expect, it } from 'vitest';
import { capMatches } from './cap.ts';
import type { Judgment } from './types.ts';

function judgment(stance: Judgment['stance'], relevance: number): Judgment {
  return {
    stance,
    relevance,
    confidence: relevance * 0.8,
    evidence: stance === 'unrelated' ? [] : [{ text: 'x', stance }],
    scorer: 't@1.0.0',
  };
}

describe('capMatches', () => {
  it('keeps the most relevant related judgments and demotes the rest, in the original order', () => {
    const batch = [
      judgment('agree', 0.5),
      judgment('unrelated', 0.1),
      judgment('discuss', 0.9),
      judgment('disagree', 0.7),
      judgment('agree', 0.6),
    ];
    const out = capMatches(batch, { maxRelated: 2, maxShare: 1 });
    expect(out.map((j) => j.stance)).toEqual(['unrelated', 'unrelated', 'discuss', 'disagree', 'unrelated']);
    expect(out[0]?.capped).toBe(true);
    expect(out[0]?.evidence).toEqual([]);
    expect(out[0]?.confidence).toBe(0.5);
    expect(out[1]?.capped).toBeUndefined();
    expect(out[2]).toBe(batch[2]);
    expect(batch[0]?.stance).toBe('agree');
  });

  it('limits a broad forecast to a share of the batch but never below minKept', () => {
    const batch = Array.from({ length: 40 }, (_, i) => judgment('discuss', 0.3 + i / 100));
    expect(capMatches(batch).filter((j) => j.stance !== 'unrelated')).toHaveLength(10);
    expect(capMatches(batch.slice(0, 8)).filter((j) => j.stance !== 'unrelated')).toHaveLength(5);
    const kept = capMatches(batch)
      .filter((j) => j.stance !== 'unrelated')
      .map((j) => j.relevance);
    expect(Math.min(...kept)).toBeCloseTo(0.6, 10);
  });
});
