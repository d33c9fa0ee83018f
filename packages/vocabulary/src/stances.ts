/** An article's stance toward a forecast (or a signpost), as the scorer and analysts record it (FNC-1's four labels). */
export const STANCES = ['agree', 'disagree', 'discuss', 'unrelated'] as const;
export type Stance = (typeof STANCES)[number];

/** The related stances: the two that take a side, and the one that is on topic without taking one. */
export const RELATED_STANCES = ['agree', 'disagree', 'discuss'] as const;
export type RelatedStance = (typeof RELATED_STANCES)[number];

/** The stances that take a side; only these move a forecast's record. */
export const SIDED_STANCES = ['agree', 'disagree'] as const;
export type SidedStance = (typeof SIDED_STANCES)[number];

export function isStance(x: unknown): x is Stance {
  return typeof x === 'string' && (STANCES as readonly string[]).includes(x);
}

export function isRelatedStance(x: unknown): x is RelatedStance {
  return typeof x === 'string' && (RELATED_STANCES as readonly string[]).includes(x);
}

/** What an article does to the forecast, as a verb ("this article supports the forecast"). */
export const STANCE_VERBS: Record<Stance, string> = {
  agree: 'supports',
  disagree: 'undermines',
  discuss: 'discusses',
  unrelated: 'is unrelated to',
};

/** The same as an adjective for articles ("3 supporting articles"). */
export const STANCE_ADJECTIVES: Record<Stance, string> = {
  agree: 'supporting',
  disagree: 'undermining',
  discuss: 'discussing',
  unrelated: 'unrelated',
};

/** Short label of a stance for badges and filters; an unknown word is shown as it is. */
export function stanceLabel(stance: string): string {
  return isStance(stance) ? STANCE_VERBS[stance] : stance;
}
