/**
 * Forecasts are often negated ("China will not sanction Russia"); the FNC-1 headlines the
 * stance model learned from almost never are. A negated main-clause future claim is scored in
 * its affirmative form ("China will sanction Russia") and the agree/disagree verdict flipped,
 * so an article reporting sanctions counts against the forecast instead of matching it.
 */

const FUTURE_NEGATION = /\b(will|shall|would)\s+(?:not|never)\b|\b(won['’]t)\b|\b(wouldn['’]t)\b/gi;
/** Words that open a subordinate clause or reported speech before the negation. */
const SUBORDINATE = /\b(?:so|that|because|as|if|when|while|unless|until|saying|says|said|after|before|who|which|whether)\b|[,;:]/i;

/** The affirmative form of a claim whose main clause is a negated future, else null. */
export function affirmFutureNegation(statement: string): string | null {
  const matches = [...statement.matchAll(FUTURE_NEGATION)];
  if (matches.length !== 1) return null;
  const m = matches[0] as RegExpMatchArray;
  const before = statement.slice(0, m.index ?? 0);
  if (SUBORDINATE.test(before) || before.trim().split(/\s+/).length > 8) return null;
  const after = statement.slice((m.index ?? 0) + m[0].length);
  // "will not ... either/anymore" style double negatives are left alone.
  if (/^\s*(?:no|not|never|none)\b/i.test(after)) return null;
  const modal = m[1] ?? (m[2] ? 'will' : 'would');
  return `${before}${modal}${after}`;
}
