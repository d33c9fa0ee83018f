/** A signpost's direction: `holds` means seeing it supports the forecast, `fails` undermines it. */
export const SIGNPOST_DIRECTIONS = ['holds', 'fails'] as const;
export type SignpostDirection = (typeof SIGNPOST_DIRECTIONS)[number];

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
  if (contradicted > 0)
    parts.push(`contradicted in ${articles(contradicted)}, which ${fails ? 'counts for' : 'counts against'} the forecast`);
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
