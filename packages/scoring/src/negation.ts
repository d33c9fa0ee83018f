/**
 * A forecast turned into its opposite at its "will"s: "X will Y" ↔ "X will not Y" ("won't", "will never"
 * become "will"), with each signpost's direction swapped. Training sees every related pair again against
 * its forecast negated, with the opposite stance (negation augmentation, docs/scoring.md "How it works");
 * the scorer can read a pair both ways and combine the two (`negationSymmetry`).
 */
import type { ScorableClaim } from './types.ts';

/** Each modal "will" of a statement, negated or not: "won't", "will not", "will never" before a plain "will". */
const MODAL_WILL = /\b(?:won['’]t|will (?:not|never)|will)\b/g;

/**
 * The statement negated at every "will", or null where it has none or opens with "no", "neither"...
 * Every clause's "will" turns, not only the first: "China will refuse to follow the sanctions and will help
 * Russia around them" negated at its first alone would deny one half and affirm the other, and evidence on
 * the second half would read the same way against the forecast and against its opposite. Only a lower-case
 * "will" is a modal ("the Will for Peace drill" is a name).
 */
export function negateStatement(s: string): string | null {
  if (/^(?:no|neither|none|nobody|nothing)\b/i.test(s)) return null;
  const negated = s.replace(MODAL_WILL, (will) => (will === 'will' ? 'will not' : 'will'));
  // Every match changes the text, so an unchanged statement had no "will".
  return negated === s ? null : negated;
}

/** The claim negated (statement and signposts), or null where its statement cannot be. */
export function negateClaim<C extends Pick<ScorableClaim, 'statement' | 'signposts'>>(claim: C): C | null {
  const statement = negateStatement(claim.statement);
  if (statement === null) return null;
  return {
    ...claim,
    statement,
    ...(claim.signposts
      ? {
          signposts: claim.signposts.map((sp) => ({
            ...sp,
            direction: sp.direction === 'holds' ? ('fails' as const) : ('holds' as const),
          })),
        }
      : {}),
  };
}

/**
 * Two stance readings of one pair combined: `p` against the forecast and `q` against it negated, whose
 * agree and disagree change places. The geometric mean of each stance's two probabilities, normalised.
 */
export function combineNegated(p: readonly number[], q: readonly number[]): number[] {
  const g = [Math.sqrt((p[0] ?? 0) * (q[1] ?? 0)), Math.sqrt((p[1] ?? 0) * (q[0] ?? 0)), Math.sqrt((p[2] ?? 0) * (q[2] ?? 0))];
  const sum = g[0]! + g[1]! + g[2]!;
  return sum > 0 ? g.map((x) => x / sum) : [...p];
}
