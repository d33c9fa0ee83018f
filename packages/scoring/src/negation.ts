/**
 * A forecast turned into its opposite at its "will"s: "X will Y" ↔ "X will not Y" ("won't", "will never"
 * become "will"), with each signpost's direction swapped. Training sees every related pair again against
 * its forecast negated, with the opposite stance (negation augmentation, docs/scoring.md "How it works");
 * the scorer can read a pair both ways and combine the two (`negationSymmetry`).
 */
import type { ScorableClaim } from './types.ts';

/** Each modal "will" of a statement (captured, to split on), negated or not: "won't", "will not", "will never" before a plain "will". */
const MODAL_WILL_SPLIT = /\b(won['’]t|will (?:not|never)|will)\b/;

/**
 * A word that opens a clause which only says why, who or which ("..., because fear of sanctions will keep
 * banks cautious"; "importers, who will..."): its "will" is not the forecast's and does not turn.
 */
const SUBORDINATE = /\b(?:because|since|as|who|which|that|while|whereas)\b/;
/** A word or mark that opens a clause of the forecast's own ("... and will help Russia around them"). */
const COORDINATE = /(?:\b(?:and|or|but|then|yet)\b|[,;:])/;

/**
 * One modal "will" negated, with the words after it: "won't", "will not", "will never" become "will";
 * "will no longer" becomes "will still"; a "no" that the verb governs goes ("will import no LNG" → "will
 * import LNG", "will build no more than three fabs" → "will build more than three fabs"); else "will" becomes
 * "will not".
 */
function negateWill(will: string, rest: string): [string, string] {
  if (will !== 'will') return ['will', rest];
  if (/^ no longer\b/.test(rest)) return ['will', rest.replace(/^ no longer\b/, ' still')];
  // A "no" within the verb's next three words, with no mark between (not "no-confidence").
  const governed = /^((?: [^\s,;:]+){0,3}?) no\b(?!-)/;
  if (governed.test(rest)) return ['will', rest.replace(governed, '$1')];
  return ['will not', rest];
}

/** Where the last match of `re` in `text` starts, or -1. */
function lastIndex(text: string, re: RegExp): number {
  let at = -1;
  for (const m of text.matchAll(new RegExp(re.source, 'g'))) at = m.index;
  return at;
}

/**
 * The statement negated at its "will"s, or null where it has none or opens with "no", "neither"...
 * Every "will" of the forecast's own clauses turns, not only the first: "China will refuse to follow the
 * sanctions and will help Russia around them" negated at its first alone would deny one half and affirm the
 * other, and evidence on the second half would read the same way against the forecast and against its
 * opposite. A "will" in a clause that only gives a reason or names something ("..., because fear of
 * sanctions will keep banks cautious"; "importers, who will...") stays. Only a lower-case "will" is a modal
 * ("the Will for Peace drill" is a name).
 */
export function negateStatement(s: string): string | null {
  // "No bank will pay" is read once: "Some bank will pay" as its opposite made the models worse
  // (docs/scoring.md, "2.26.2").
  if (/^(?:no|neither|none|nobody|nothing)\b/i.test(s)) return null;
  // Text, will, text, will, ..., text.
  const parts = s.split(MODAL_WILL_SPLIT);
  if (parts.length < 3) return null;
  for (let i = 1; i < parts.length; i += 2) {
    const before = parts[i - 1]!;
    // A later "will" turns only in a clause of the forecast's own: one that a coordinating word or mark
    // opens after any subordinating word since the previous "will".
    if (i > 1 && lastIndex(before, SUBORDINATE) > lastIndex(before, COORDINATE)) continue;
    [parts[i], parts[i + 1]] = negateWill(parts[i]!, parts[i + 1]!);
  }
  return parts.join('');
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
