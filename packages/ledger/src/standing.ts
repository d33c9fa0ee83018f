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

function decay(ageMs: number): number {
  return ageMs <= 0 ? 1 : 0.5 ** (ageMs / DAY / STANDING_RULES.halfLifeDays);
}

/** Decayed weights as of `at`, each story counted once per side. */
export function weighEvidence(entries: Evidence[], at: Date): { agree: number; disagree: number } {
  const stories: { key: string; stance: 'agree' | 'disagree'; time: number; weight: number }[] = [];
  const sorted = entries
    .filter((e): e is Evidence & { stance: 'agree' | 'disagree' } => (e.stance === 'agree' || e.stance === 'disagree') && e.publishedAt.getTime() <= at.getTime())
    .sort((a, b) => a.publishedAt.getTime() - b.publishedAt.getTime());
  for (const e of sorted) {
    const weight = Math.max(0, Math.min(1, e.confidence)) * decay(at.getTime() - e.publishedAt.getTime());
    const time = e.publishedAt.getTime();
    const twin = e.titleKey
      ? stories.find((s) => s.key === e.titleKey && s.stance === e.stance && time - s.time <= STANDING_RULES.sameStoryDays * DAY)
      : undefined;
    if (twin) twin.weight = Math.max(twin.weight, weight);
    else stories.push({ key: e.titleKey, stance: e.stance, time, weight });
  }
  const sum = (stance: 'agree' | 'disagree') => stories.filter((s) => s.stance === stance).reduce((t, s) => t + s.weight, 0);
  return { agree: sum('agree'), disagree: sum('disagree') };
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
  const series = weeks.map((week) => {
    const end = new Date(Math.min(isoWeekStart(week).getTime() + 7 * DAY - 1, options.now.getTime()));
    return { week, ...(byWeek.get(week) ?? { agree: 0, disagree: 0, discuss: 0 }), balance: round(balanceOf(weighEvidence(relevant, end))) };
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
