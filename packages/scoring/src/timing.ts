/**
 * When a forecast falls due against when an article was published. An analyst reads "the talks stalled"
 * as settling nothing about "a contract will be signed before the end of 2026" when the article is from
 * 2022, and as undermining it when it is from January 2027; the words are the same, only the time left
 * differs. Both are fractional years (2025.25 is the start of April 2025).
 */
import { MONTH_NAMES } from './nlp.ts';

const YEAR = /\b(19[5-9]\d|20\d\d)\b/g;
/** A year that starts a span rather than ends one: "its first visit since 2014", "up from 2022". */
const NOT_A_DEADLINE = /\b(?:since|from)\s+(?:(?:early|mid|late|the end of|the start of)\s+)?$/i;
const MONTH_BEFORE = new RegExp(`\\b(${MONTH_NAMES.join('|')})\\s+(?:\\d{1,2},?\\s+)?$`, 'i');
/**
 * Where in its year the period before a year ends: "before 2026" and "by the start of 2025" end as the
 * year begins, "early 2025" a quarter in, "the first half of 2026" and "mid-2025" halfway; otherwise
 * (a bare year, "the end of", "the second half of", "late") with the year.
 */
const ENDS_AT: readonly [RegExp, number][] = [
  [/\b(?:before|(?:the )?(?:start|beginning) of)\s+$/i, 0],
  [/\bearly\s+$/i, 0.25],
  [/\b(?:first half of|the middle of|mid-?)\s*$/i, 0.5],
];

/**
 * The end of the period a forecast's statement names last: "before the end of March 2025" 2025.25,
 * "in 2024" or "by 2024" 2025, "before 2026" 2026, "in the first half of 2026" or "by mid-2026" 2026.5;
 * undefined without a year. Years that start a span ("since 2014") are not deadlines.
 */
export function claimDeadline(statement: string): number | undefined {
  let deadline: number | undefined;
  for (const m of statement.matchAll(YEAR)) {
    const before = statement.slice(Math.max(0, (m.index ?? 0) - 40), m.index);
    if (NOT_A_DEADLINE.test(before)) continue;
    const year = Number(m[1]);
    const month = MONTH_BEFORE.exec(before)?.[1]?.toLowerCase();
    const end = month
      ? year + (MONTH_NAMES.indexOf(month as (typeof MONTH_NAMES)[number]) + 1) / 12
      : year + (ENDS_AT.find(([re]) => re.test(before))?.[1] ?? 1);
    deadline = Math.max(deadline ?? 0, end);
  }
  return deadline;
}

/**
 * An ISO date ("2024-03-15", or a timestamp that starts with one) as a fractional year: an article's
 * publication, a forecast record's deadline (2025-12-31 is 2025.999, where "by 2025" reads 2026). Undefined otherwise.
 */
export function dateYear(date: string | null | undefined): number | undefined {
  const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?/.exec(date ?? '');
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3] ?? 1)];
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  return year + (month - 1) / 12 + (day - 1) / 365;
}

/** The feature the models see: years from publication to the forecast's deadline, within [-2, 5]; -9 where either is unknown. */
export const TIME_FEATURES = ['f_time_left'] as const;

/** `f_time_left` where the deadline or the publication date is unknown. */
export const UNKNOWN_TIME_LEFT = -9;

export function timeLeft(deadline: number | undefined, published: number | undefined): number {
  if (deadline === undefined || published === undefined) return UNKNOWN_TIME_LEFT;
  return Math.max(-2, Math.min(5, deadline - published));
}
