import { isoWeek, isoWeekStart, isoWeeksBetween } from './iso-week.ts';

export type Stance = 'agree' | 'disagree' | 'discuss' | 'unrelated';

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

export type Status = 'holding' | 'contested' | 'under-pressure' | 'no-evidence' | 'resolved-true' | 'resolved-false' | 'ambiguous';

/**
 * The documented rules of the standing. Each piece of evidence weighs its confidence, halved every
 * `halfLifeDays` of age; coverage of one story (same normalised title within `sameStoryDays`)
 * counts once, at its strongest. The balance is (agree − disagree) / (agree + disagree + prior),
 * in −1..1; the prior keeps one article from swinging a forecast to an extreme.
 */
export const STANDING_RULES = {
  halfLifeDays: 60,
  sameStoryDays: 7,
  prior: 1,
  /** balance >= this: holding */
  holdingAt: 0.25,
  /** balance <= −this: under pressure; between the two: contested */
  underPressureAt: 0.25,
  /** Less decayed weight than this on either side: no evidence yet. */
  minimumWeight: 0.5,
} as const;

export interface WeekPoint {
  week: string;
  agree: number;
  disagree: number;
  discuss: number;
  /** The balance as it stood at the end of that week. */
  balance: number;
}

export interface Standing {
  status: Status;
  balance: number;
  counts: { agree: number; disagree: number; discuss: number };
  /** Decayed, de-duplicated weight on each side now. */
  weight: { agree: number; disagree: number };
  series: WeekPoint[];
  /** Per signpost (by index in the forecast's list): how many articles matched it, by stance. */
  signposts: { index: number; agree: number; disagree: number; discuss: number }[];
}

const DAY = 86400000;

/**
 * Decayed, de-duplicated weights, swept forward in time: `weightsAt(t)` must be called with
 * non-decreasing times. Reports of one story (same title key and side within `sameStoryDays` of
 * its first report) count once, at their strongest. Because every piece of evidence decays at the
 * same rate, a story's strongest report stays the strongest as time passes, so each story keeps a
 * single score (log2 of its weight at time 0) and a sweep over the weeks costs O(n log n + weeks).
 */
function createWeightSweep(entries: Evidence[]) {
  const sorted = entries
    .filter((e): e is Evidence & { stance: 'agree' | 'disagree' } => e.stance === 'agree' || e.stance === 'disagree')
    .sort((a, b) => a.publishedAt.getTime() - b.publishedAt.getTime());
  const halfLifeMs = STANDING_RULES.halfLifeDays * DAY;
  const origin = sorted[0]?.publishedAt.getTime() ?? 0;
  // Open story per (title key, side): the only one a new report can join.
  const open = new Map<string, { first: number; score: number }>();
  const sums = { agree: 0, disagree: 0 }; // Σ 2^score over stories, per side
  let next = 0;
  return function weightsAt(at: Date): { agree: number; disagree: number } {
    const t = at.getTime();
    for (; next < sorted.length && sorted[next]!.publishedAt.getTime() <= t; next++) {
      const e = sorted[next]!;
      const time = e.publishedAt.getTime();
      const confidence = Math.max(0, Math.min(1, e.confidence));
      if (confidence === 0) continue;
      const score = Math.log2(confidence) + (time - origin) / halfLifeMs;
      const key = `${e.stance}\u0000${e.titleKey}`;
      const story = e.titleKey ? open.get(key) : undefined;
      if (story && time - story.first <= STANDING_RULES.sameStoryDays * DAY) {
        if (score > story.score) {
          sums[e.stance] += 2 ** score - 2 ** story.score;
          story.score = score;
        }
      } else {
        if (e.titleKey) open.set(key, { first: time, score });
        sums[e.stance] += 2 ** score;
      }
    }
    const factor = 2 ** -((t - origin) / halfLifeMs);
    return { agree: Math.max(0, sums.agree * factor), disagree: Math.max(0, sums.disagree * factor) };
  };
}

/** Decayed weights as of `at`, each story counted once per side. */
export function weighEvidence(entries: Evidence[], at: Date): { agree: number; disagree: number } {
  return createWeightSweep(entries)(at);
}

export function balanceOf(weight: { agree: number; disagree: number }): number {
  return (weight.agree - weight.disagree) / (weight.agree + weight.disagree + STANDING_RULES.prior);
}

export function statusOf(weight: { agree: number; disagree: number }, resolution?: string | null): Status {
  if (resolution === 'true') return 'resolved-true';
  if (resolution === 'false') return 'resolved-false';
  if (resolution === 'ambiguous') return 'ambiguous';
  if (weight.agree + weight.disagree < STANDING_RULES.minimumWeight) return 'no-evidence';
  const balance = balanceOf(weight);
  if (balance >= STANDING_RULES.holdingAt) return 'holding';
  if (balance <= -STANDING_RULES.underPressureAt) return 'under-pressure';
  return 'contested';
}

/**
 * How a forecast stands on its evidence: status, balance, counts, the weekly series from its first
 * evidence (or `since`) to `now`, and the per-signpost breakdown. Pure; pass `now`.
 */
export function computeStanding(entries: Evidence[], options: { now: Date; resolution?: string | null; since?: Date }): Standing {
  const relevant = entries.filter((e) => e.stance !== 'unrelated');
  const counts = { agree: 0, disagree: 0, discuss: 0 };
  for (const e of relevant) counts[e.stance as keyof typeof counts]++;
  const weight = weighEvidence(relevant, options.now);

  const first = options.since ?? (relevant.length ? new Date(Math.min(...relevant.map((e) => e.publishedAt.getTime()))) : options.now);
  const weeks = isoWeeksBetween(first, options.now);
  const byWeek = new Map<string, { agree: number; disagree: number; discuss: number }>();
  for (const e of relevant) {
    const w = isoWeek(e.publishedAt);
    const c = byWeek.get(w) ?? { agree: 0, disagree: 0, discuss: 0 };
    c[e.stance as keyof typeof c]++;
    byWeek.set(w, c);
  }
  const sweep = createWeightSweep(relevant);
  const series = weeks.map((week) => {
    const end = new Date(Math.min(isoWeekStart(week).getTime() + 7 * DAY - 1, options.now.getTime()));
    return { week, ...(byWeek.get(week) ?? { agree: 0, disagree: 0, discuss: 0 }), balance: round(balanceOf(sweep(end))) };
  });

  const signposts = new Map<number, { index: number; agree: number; disagree: number; discuss: number }>();
  for (const e of relevant) {
    for (const s of e.signposts ?? []) {
      if (s.stance !== 'agree' && s.stance !== 'disagree' && s.stance !== 'discuss') continue;
      const c = signposts.get(s.index) ?? { index: s.index, agree: 0, disagree: 0, discuss: 0 };
      c[s.stance]++;
      signposts.set(s.index, c);
    }
  }

  return {
    status: statusOf(weight, options.resolution),
    balance: round(balanceOf(weight)),
    counts,
    weight: { agree: round(weight.agree), disagree: round(weight.disagree) },
    series,
    signposts: [...signposts.values()].sort((a, b) => a.index - b.index),
  };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
