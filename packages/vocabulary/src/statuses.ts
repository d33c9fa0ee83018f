/**
 * A forecast's status. For an open forecast it is its *record* (all evidence since publication, not
 * decayed, docs/standings.md); a resolved forecast shows its resolution instead (resolution.ts).
 */
export const RECORD_STATUSES = ['holding', 'contested', 'under-pressure', 'no-evidence'] as const;
/** What the record alone says (an open forecast's status). */
export type RecordStatus = (typeof RECORD_STATUSES)[number];

/** The statuses of a resolved forecast. */
export const RESOLVED_STATUSES = ['resolved-true', 'resolved-false', 'ambiguous'] as const;
export type ResolvedStatus = (typeof RESOLVED_STATUSES)[number];

export const STATUSES = [...RECORD_STATUSES, ...RESOLVED_STATUSES] as const;
export type Status = (typeof STATUSES)[number];

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

/** The status as shown on a badge ("Holding up"); an unknown word is shown as it is. */
export function statusLabel(status: Status | string): string {
  return isStatus(status) ? STATUS_LABELS[status] : status;
}

/** The status inside a sentence ("now holding up"). */
export function statusWord(status: Status | string): string {
  return isStatus(status) ? STATUS_LABELS[status].charAt(0).toLowerCase() + STATUS_LABELS[status].slice(1) : status;
}

export function isResolved(status: Status): status is ResolvedStatus {
  return (RESOLVED_STATUSES as readonly string[]).includes(status);
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

/** The momentum in words ("recent news is mixed"); an unknown word is shown as it is. */
export function momentumLabel(momentum: Momentum | string): string {
  return (MOMENTUM_LABELS as Record<string, string>)[momentum] ?? momentum;
}
