import { isoWeek, isoWeekStart, isoWeeksBetween } from './iso-week.ts';
import { statusOfResolution, type Momentum, type RecordStatus, type SidedStance, type Stance, type Status } from '@signpost/vocabulary';

/** One judged (forecast, article) pair as the standing needs it. */
export interface Evidence {
  articleId: number;
  stance: Stance;
  /** 0..1: how sure the scorer (or 1 for an analyst's override) is of the stance. */
  confidence: number;
  publishedAt: Date;
  /** Normalised title: near-duplicate coverage of one story shares it. */
  titleKey: string;
  signposts?: { index: number; stance: string }[] | null;
}

/**
 * The documented rules of the two measures (docs/standings.md).
 *
 * - The *record*: every piece of evidence published since the forecast was, weighed by its
 *   confidence, never decayed; coverage of one story (same normalised title and side within
 *   `sameStoryDays`) counts once, at its strongest. How the forecast has held up so far.
 * - The *momentum*: the same evidence with its weight halved every `halfLifeDays` of age. What the
 *   news says now.
 *
 * Both balances are (for − against) / (for + against + prior), in −1..1; the prior keeps one
 * article from swinging a forecast to an extreme. Evidence published before the forecast is
 * background: listed, never counted.
 */
export const STANDING_RULES = {
  halfLifeDays: 60,
  sameStoryDays: 7,
  prior: 1,
  /** balance >= this: holding */
  holdingAt: 0.25,
  /** balance <= −this: under pressure; between the two: contested */
  underPressureAt: 0.25,
  /** Less weight than this on both sides together: no evidence yet (record) or no recent news (momentum). */
  minimumWeight: 0.5,
} as const;

export interface WeekPoint {
  week: string;
  /** Articles published that week that count (after publication), by stance. */
  agree: number;
  disagree: number;
  discuss: number;
  /** The record's balance at the end of that week (cumulative since publication). */
  balance: number;
  /** The record's weights at the end of that week. */
  for: number;
  against: number;
}

export interface Weight {
  agree: number;
  disagree: number;
}

export interface Standing {
  /** The status shown first: the resolution when resolved, else the record's. */
  status: Status;
  /** The record's balance (kept under this name for the API). */
  balance: number;
  /** Counted articles (published since the forecast), by stance. */
  counts: { agree: number; disagree: number; discuss: number };
  record: { status: RecordStatus; balance: number; weight: Weight; stories: { agree: number; disagree: number } };
  momentum: { status: Momentum; balance: number; weight: Weight };
  /** Evidence published before the forecast: listed apart, not counted. */
  background: { agree: number; disagree: number; discuss: number };
  /** From the forecast's publication (or its first evidence) to `now`, one point per ISO week. */
  series: WeekPoint[];
  /** Per signpost (by index in the forecast's list): seen (agree), contradicted (disagree), mentioned (discuss). */
  signposts: { index: number; seen: number; contradicted: number; mentioned: number }[];
}

const DAY = 86400000;

type Sided = Evidence & { stance: SidedStance };

function sided(entries: readonly Evidence[]): Sided[] {
  return entries
    .filter((e): e is Sided => e.stance === 'agree' || e.stance === 'disagree')
    .sort((a, b) => a.publishedAt.getTime() - b.publishedAt.getTime() || a.articleId - b.articleId);
}

/**
 * De-duplicated weights, swept forward in time: `weightsAt(t)` must be called with non-decreasing
 * times. Reports of one story (same title key and side within `sameStoryDays` of its first report)
 * count once, at their strongest. With `decay`, weight halves every half-life: since every piece
 * decays at the same rate, a story's strongest report stays the strongest, so each story keeps one
 * score (log2 of its weight at time 0) and a sweep over the weeks costs O(n log n + weeks).
 */
function createWeightSweep(entries: readonly Evidence[], decay: boolean) {
  const sorted = sided(entries);
  const halfLifeMs = STANDING_RULES.halfLifeDays * DAY;
  const origin = sorted[0]?.publishedAt.getTime() ?? 0;
  const open = new Map<string, { first: number; score: number }>();
  const sums = { agree: 0, disagree: 0 };
  const stories = { agree: 0, disagree: 0 };
  const value = (score: number) => (decay ? 2 ** score : score);
  let next = 0;
  return function weightsAt(at: Date): { weight: Weight; stories: Weight } {
    const t = at.getTime();
    for (; next < sorted.length && sorted[next]!.publishedAt.getTime() <= t; next++) {
      const e = sorted[next]!;
      const time = e.publishedAt.getTime();
      const confidence = Math.max(0, Math.min(1, e.confidence));
      if (confidence === 0) continue;
      const score = decay ? Math.log2(confidence) + (time - origin) / halfLifeMs : confidence;
      const key = `${e.stance}\u0000${e.titleKey}`;
      const story = e.titleKey ? open.get(key) : undefined;
      if (story && time - story.first <= STANDING_RULES.sameStoryDays * DAY) {
        if (score > story.score) {
          sums[e.stance] += value(score) - value(story.score);
          story.score = score;
        }
      } else {
        if (e.titleKey) open.set(key, { first: time, score });
        sums[e.stance] += value(score);
        stories[e.stance]++;
      }
    }
    const factor = decay ? 2 ** -((t - origin) / halfLifeMs) : 1;
    return { weight: { agree: Math.max(0, sums.agree * factor), disagree: Math.max(0, sums.disagree * factor) }, stories: { ...stories } };
  };
}

/** Decayed weights as of `at` (the momentum's), each story counted once per side. */
export function weighEvidence(entries: readonly Evidence[], at: Date): Weight {
  return createWeightSweep(entries, true)(at).weight;
}

/** Undecayed weights as of `at` (the record's), each story counted once per side. */
export function weighRecord(entries: readonly Evidence[], at: Date): Weight {
  return createWeightSweep(entries, false)(at).weight;
}

export function balanceOf(weight: Weight): number {
  return (weight.agree - weight.disagree) / (weight.agree + weight.disagree + STANDING_RULES.prior);
}

/** The record's status from its weights. */
export function recordStatusOf(weight: Weight): RecordStatus {
  if (weight.agree + weight.disagree < STANDING_RULES.minimumWeight) return 'no-evidence';
  const balance = balanceOf(weight);
  if (balance >= STANDING_RULES.holdingAt) return 'holding';
  if (balance <= -STANDING_RULES.underPressureAt) return 'under-pressure';
  return 'contested';
}

/** The momentum's word from its (decayed) weights. */
export function momentumOf(weight: Weight): Momentum {
  const status = recordStatusOf(weight);
  return status === 'no-evidence' ? 'quiet' : status === 'holding' ? 'supports' : status === 'under-pressure' ? 'undermines' : 'mixed';
}

/** The status shown first: the resolution when there is one, else the record's status. */
export function statusOf(weight: Weight, resolution?: string | null): Status {
  return statusOfResolution(resolution, recordStatusOf(weight));
}

/** Start of the day of a forecast's `published` (YYYY-MM-DD or a Date); undefined when absent or unreadable. */
export function publicationStart(published: string | Date | null | undefined): Date | undefined {
  if (!published) return undefined;
  const d =
    typeof published === 'string' ? new Date(/^\d{4}-\d{2}-\d{2}$/.test(published) ? `${published}T00:00:00Z` : published) : published;
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** Splits evidence into what counts (published on or after `since`) and background (before it). */
export function splitBackground<T extends Evidence>(entries: readonly T[], since: Date | undefined): { counted: T[]; background: T[] } {
  if (!since) return { counted: [...entries], background: [] };
  const counted: T[] = [];
  const background: T[] = [];
  for (const e of entries) (e.publishedAt.getTime() < since.getTime() ? background : counted).push(e);
  return { counted, background };
}

/**
 * How a forecast stands on its evidence: its record and momentum, status, counts, the weekly series
 * over its whole life (publication, or its first evidence, to `now`), background evidence and the
 * per-signpost tally. Pure; pass `now`.
 */
export function computeStanding(
  entries: readonly Evidence[],
  options: { now: Date; published?: string | Date | null; resolution?: string | null },
): Standing {
  const published = publicationStart(options.published);
  const relevant = entries.filter((e) => e.stance !== 'unrelated' && e.publishedAt.getTime() <= options.now.getTime());
  const { counted, background: before } = splitBackground(relevant, published);

  const counts = { agree: 0, disagree: 0, discuss: 0 };
  for (const e of counted) counts[e.stance as keyof typeof counts]++;
  const background = { agree: 0, disagree: 0, discuss: 0 };
  for (const e of before) background[e.stance as keyof typeof background]++;

  const record = createWeightSweep(counted, false)(options.now);
  const momentumWeight = weighEvidence(counted, options.now);

  const first =
    published ??
    (counted.length ? counted.reduce((m, e) => (e.publishedAt < m ? e.publishedAt : m), counted[0]!.publishedAt) : options.now);
  const weeks = first.getTime() <= options.now.getTime() ? isoWeeksBetween(first, options.now) : [isoWeek(options.now)];
  const byWeek = new Map<string, { agree: number; disagree: number; discuss: number }>();
  for (const e of counted) {
    const w = isoWeek(e.publishedAt);
    const c = byWeek.get(w) ?? { agree: 0, disagree: 0, discuss: 0 };
    c[e.stance as keyof typeof c]++;
    byWeek.set(w, c);
  }
  const sweep = createWeightSweep(counted, false);
  const series = weeks.map((week): WeekPoint => {
    const end = new Date(Math.min(isoWeekStart(week).getTime() + 7 * DAY - 1, options.now.getTime()));
    const { weight } = sweep(end);
    return {
      week,
      ...(byWeek.get(week) ?? { agree: 0, disagree: 0, discuss: 0 }),
      balance: round(balanceOf(weight)),
      for: round(weight.agree),
      against: round(weight.disagree),
    };
  });

  const signposts = new Map<number, Standing['signposts'][number]>();
  for (const e of counted) {
    for (const s of e.signposts ?? []) {
      const c = signposts.get(s.index) ?? { index: s.index, seen: 0, contradicted: 0, mentioned: 0 };
      if (s.stance === 'agree') c.seen++;
      else if (s.stance === 'disagree') c.contradicted++;
      else if (s.stance === 'discuss') c.mentioned++;
      else continue;
      signposts.set(s.index, c);
    }
  }

  const recordBalance = round(balanceOf(record.weight));
  return {
    status: statusOf(record.weight, options.resolution),
    balance: recordBalance,
    counts,
    record: { status: recordStatusOf(record.weight), balance: recordBalance, weight: roundWeight(record.weight), stories: record.stories },
    momentum: { status: momentumOf(momentumWeight), balance: round(balanceOf(momentumWeight)), weight: roundWeight(momentumWeight) },
    background,
    series,
    signposts: [...signposts.values()].sort((a, b) => a.index - b.index),
  };
}

/** The record's status and balance at the end of a week, read from a stored series (none before it starts). */
export function recordAtWeek(
  series: readonly WeekPoint[],
  week: string,
): { status: RecordStatus; balance: number; for: number; against: number } {
  let point: WeekPoint | undefined;
  for (const p of series) {
    if (p.week <= week) point = p;
    else break;
  }
  if (!point) return { status: 'no-evidence', balance: 0, for: 0, against: 0 };
  const weight = { agree: point.for, disagree: point.against };
  return { status: recordStatusOf(weight), balance: point.balance, for: point.for, against: point.against };
}

function roundWeight(w: Weight): Weight {
  return { agree: round(w.agree), disagree: round(w.disagree) };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
