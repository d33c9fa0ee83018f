import { describe, expect, it } from 'vitest';
import { combineNegated, negateClaim, negateStatement } from './negation.ts';

describe('negateStatement', () => {
  it('turns "will" into "will not" and back, "won\'t" and "will never" into "will"', () => {
    expect(negateStatement('China will sanction Russia')).toBe('China will not sanction Russia');
    expect(negateStatement('China will not sanction Russia')).toBe('China will sanction Russia');
    expect(negateStatement("China won't sanction Russia")).toBe('China will sanction Russia');
    expect(negateStatement('China will never sanction Russia')).toBe('China will sanction Russia');
  });

  it('turns every clause\'s "will", and only a lower-case one', () => {
    expect(negateStatement('China will refuse to follow the sanctions and will help Russia around them')).toBe(
      'China will not refuse to follow the sanctions and will not help Russia around them',
    );
    expect(negateStatement("China won't put the route at risk, and will keep using it")).toBe(
      'China will put the route at risk, and will not keep using it',
    );
    expect(negateStatement('The Will for Peace drill will become a yearly exercise')).toBe(
      'The Will for Peace drill will not become a yearly exercise',
    );
    expect(negateStatement('The Will for Peace drill becomes yearly')).toBeNull();
  });

  it('leaves a statement without "will", or one that opens with "no", alone', () => {
    expect(negateStatement('Trade to exceed $250B by 2025')).toBeNull();
    expect(negateStatement('No Chinese bank will process the payments')).toBeNull();
  });
});

describe('negateClaim', () => {
  it('swaps each signpost direction and keeps the rest of the record', () => {
    const claim = {
      statement: 'China will sanction Russia',
      keywords: ['sanctions'],
      signposts: [
        { text: 'China freezes Russian assets', direction: 'holds' as const },
        { text: 'China expands trade with Russia', direction: 'fails' as const },
      ],
    };
    expect(negateClaim(claim)).toEqual({
      statement: 'China will not sanction Russia',
      keywords: ['sanctions'],
      signposts: [
        { text: 'China freezes Russian assets', direction: 'fails' },
        { text: 'China expands trade with Russia', direction: 'holds' },
      ],
    });
    expect(negateClaim({ statement: 'No bank will pay' })).toBeNull();
  });
});

describe('combineNegated', () => {
  it("reads the negated forecast's agree as disagree, by the geometric mean, normalised", () => {
    const c = combineNegated([0.6, 0.2, 0.2], [0.3, 0.5, 0.2]);
    const raw = [Math.sqrt(0.6 * 0.5), Math.sqrt(0.2 * 0.3), 0.2];
    const sum = raw.reduce((a, b) => a + b, 0);
    c.forEach((x, i) => expect(x).toBeCloseTo(raw[i]! / sum, 12));
  });

  it('cancels a lean that both readings share: a model leaning to disagree whatever the polarity reads even', () => {
    const c = combineNegated([0.2, 0.6, 0.2], [0.2, 0.6, 0.2]);
    expect(c[0]).toBeCloseTo(c[1]!, 12);
  });

  it('is the mirror image when the two readings change places', () => {
    const a = combineNegated([0.7, 0.1, 0.2], [0.25, 0.4, 0.35]);
    const b = combineNegated([0.25, 0.4, 0.35], [0.7, 0.1, 0.2]);
    expect(a[0]).toBeCloseTo(b[1]!, 12);
    expect(a[1]).toBeCloseTo(b[0]!, 12);
    expect(a[2]).toBeCloseTo(b[2]!, 12);
  });
});
