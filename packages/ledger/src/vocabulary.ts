/**
 * The one vocabulary of stances, statuses and signpost outcomes. The dashboard, the digest, the API
 * and the Atom feed all take their words from here, so a forecast reads the same everywhere
 * (issue #15: the digest said "no evidence yet" where the dashboard said "No recent evidence").
 */

/** An article's stance toward a forecast (or a signpost), as the scorer and analysts record it. */
export const STANCES = ['agree', 'disagree', 'discuss', 'unrelated'] as const;
export type Stance = (typeof STANCES)[number];

/** The stances that take a side, and the one that is on topic without taking one. */
export const RELEVANT_STANCES = ['agree', 'disagree', 'discuss'] as const;
export type RelevantStance = (typeof RELEVANT_STANCES)[number];

export function isStance(x: unknown): x is Stance {
  return typeof x === 'string' && (STANCES as readonly string[]).includes(x);
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

/** Short label of a stance for badges and filters. */
export function stanceLabel(stance: string): string {
  return isStance(stance) ? STANCE_VERBS[stance] : stance;
}

/**
 * A forecast's status. For an open forecast it is its *record* (all evidence since publication, not
 * decayed, docs/standings.md); a resolved forecast shows its resolution instead.
 */
export const STATUSES = ['holding', 'contested', 'under-pressure', 'no-evidence', 'resolved-true', 'resolved-false', 'ambiguous'] as const;
export type Status = (typeof STATUSES)[number];

/** What the record alone says (an open forecast's status). */
export type RecordStatus = 'holding' | 'contested' | 'under-pressure' | 'no-evidence';

const STATUS_LABELS: Record<Status, string> = {
  holding: 'Holding up',
  contested: 'Contested',
  'under-pressure': 'Under pressure',
  'no-evidence': 'No evidence yet',
  'resolved-true': 'Resolved: came true',
  'resolved-false': 'Resolved: did not happen',
  ambiguous: 'Resolved: ambiguous',
};

/** One sentence per status saying what it means (tooltips, docs, the digest's explanations). */
export const STATUS_MEANINGS: Record<Status, string> = {
  holding: 'the evidence since publication mostly supports it',
  contested: 'the evidence since publication is divided',
  'under-pressure': 'the evidence since publication mostly undermines it',
  'no-evidence': 'too little evidence since publication to say',
  'resolved-true': 'it came true',
  'resolved-false': 'it did not come true',
  ambiguous: 'it was resolved as ambiguous',
};

export function isStatus(x: unknown): x is Status {
  return typeof x === 'string' && (STATUSES as readonly string[]).includes(x);
}

/** The status as shown on a badge ("Holding up"). */
export function statusLabel(status: Status | string): string {
  return isStatus(status) ? STATUS_LABELS[status] : status;
}

/** The status inside a sentence ("now holding up"). */
export function statusWord(status: Status | string): string {
  return isStatus(status) ? STATUS_LABELS[status].charAt(0).toLowerCase() + STATUS_LABELS[status].slice(1) : status;
}

export function isResolved(status: Status): boolean {
  return status === 'resolved-true' || status === 'resolved-false' || status === 'ambiguous';
}

/** Momentum: what the recent (decayed) evidence says, shown beside the record's status. */
export const MOMENTA = ['supports', 'mixed', 'undermines', 'quiet'] as const;
export type Momentum = (typeof MOMENTA)[number];

const MOMENTUM_LABELS: Record<Momentum, string> = {
  supports: 'recent news supports it',
  mixed: 'recent news is mixed',
  undermines: 'recent news undermines it',
  quiet: 'no recent news',
};

export function momentumLabel(momentum: Momentum | string): string {
  return (MOMENTUM_LABELS as Record<string, string>)[momentum] ?? momentum;
}

/** A signpost's direction: `holds` means seeing it supports the forecast, `fails` undermines it. */
export type SignpostDirection = 'holds' | 'fails';

/**
 * What a signpost's tally means for the forecast, in words. The article's stance toward the
 * signpost is recorded as agree (seen), disagree (contradicted) or discuss (mentioned); whether that
 * helps the forecast depends on the signpost's direction.
 */
export function signpostMeaning(direction: SignpostDirection | string, counts: { seen: number; contradicted: number }): string {
  const fails = direction === 'fails';
  const { seen, contradicted } = counts;
  if (seen === 0 && contradicted === 0) return 'Not reported yet.';
  const parts: string[] = [];
  if (seen > 0) parts.push(`seen in ${articles(seen)}, which ${fails ? 'counts against' : 'counts for'} the forecast`);
  if (contradicted > 0) parts.push(`contradicted in ${articles(contradicted)}, which ${fails ? 'counts for' : 'counts against'} the forecast`);
  const text = parts.join('; ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

/** What seeing a signpost does to the forecast ("seeing it supports the forecast"). */
export function signpostDirectionWords(direction: SignpostDirection | string): string {
  return direction === 'fails' ? 'seeing it undermines the forecast' : 'seeing it supports the forecast';
}

function articles(n: number): string {
  return `${n} article${n === 1 ? '' : 's'}`;
}
