/**
 * What a digest says, as data: pure functions of the ledger, the forecasts and the feeds for one
 * window of time. Rendering (render-digest.ts) and sending (send-digests.ts) build on this.
 */
import {
  computeStanding,
  isoWeek,
  isoWeekStart,
  publicationStart,
  recordAtWeek,
  statusOf,
  type Evidence,
  type WeekPoint,
} from '@signpost/ledger';
import { resolutionOf, type RelatedStance, type Status } from '@signpost/vocabulary';

const DAY = 86_400_000;

/** The forecast fields a digest shows (a subset of `Prediction`, as stored in predictions.record). */
export interface DigestForecastRecord {
  id: string;
  statement: string;
  quote?: string;
  authors?: string[];
  outlet?: string;
  published?: string;
  deadline?: string;
  horizon?: string;
  tags?: string[];
  resolution?: { status: string; date?: string; note?: string };
}

export interface DigestLedgerEntry extends Evidence {
  predictionId: string;
  overridden?: boolean;
  evidence: { text: string; stance: string }[];
}

export interface DigestArticle {
  id: number;
  title: string;
  url: string | null;
  publishedAt: Date;
  feeds: string[];
}

export interface DigestRevision {
  predictionId: string;
  /** added | changed | retired | restored */
  change: string;
  changedAt: Date;
  changedFields: string[];
  record: Record<string, unknown>;
}

export interface DigestFeed {
  id: number;
  url: string;
  title: string | null;
  active: boolean;
  status: string;
  lastError: string | null;
  lastErrorKind: string | null;
  errorCount: number;
  lastSuccessAt: Date | null;
}

/** Everything buildDigest reads; `loadDigestInput` gathers it from the database. */
export interface DigestInput {
  /** The ISO week the digest is for (YYYY-Www); the window may reach further back to catch up. */
  week: string;
  window: { start: Date; end: Date };
  forecasts: DigestForecastRecord[];
  ledger: DigestLedgerEntry[];
  /** At least the articles published in the window that the ledger names. */
  articles: DigestArticle[];
  revisions: DigestRevision[];
  feeds: DigestFeed[];
  /**
   * Each forecast's stored weekly record series (the worker's standings, docs/standings.md). When a
   * forecast has none, its record is computed from `ledger` by the same rules.
   */
  standings?: Map<string, WeekPoint[]>;
}

/** Another forecast of this digest that the same article is evidence for. */
export interface SharedWith {
  id: string;
  statement: string;
  stance: RelatedStance;
}

export interface DigestEvidence {
  articleId: number;
  title: string;
  url: string | null;
  publishedAt: Date;
  feeds: string[];
  confidence: number;
  /** The sentence that carries the stance, verbatim from the article (may be empty). */
  quote: string;
  /** An analyst's verdict rather than the scorer's. */
  overridden: boolean;
  /** The other forecasts of this digest the same article is evidence for (empty when none). */
  alsoFor: SharedWith[];
}

export interface DigestForecast {
  id: string;
  statement: string;
  authors: string[];
  outlet: string | null;
  tags: string[];
  deadline: string | null;
  /** The record (all evidence since publication, undecayed) at the window's start and end, and the status shown first. */
  before: { status: Status; balance: number };
  after: { status: Status; balance: number; counts: { agree: number; disagree: number; discuss: number } };
  /** New this window: added to the config. */
  isNew: boolean;
  /** The deadline fell inside the window. */
  fellDue: boolean;
  /** Resolved inside the window (by its date or by an edit of the config). */
  resolved: { status: string; date: string | null; note: string | null } | null;
  supporting: DigestEvidence[];
  undermining: DigestEvidence[];
  /** On-topic articles in the window that took no side. */
  discussing: number;
  /** Their titles, so that the week's story is named and not only counted. */
  discussed: DigestEvidence[];
}

export interface DigestFeedProblem {
  id: number;
  title: string;
  url: string;
  error: string;
  kind: string | null;
  errorCount: number;
  lastSuccessAt: Date | null;
  /** The feed worked at some point inside the window (it broke this week). */
  brokeInWindow: boolean;
}

export interface Digest {
  week: string;
  window: { start: Date; end: Date };
  /** Whole weeks the window spans (more than 1 when catching up on missed digests). */
  weeks: number;
  forecasts: DigestForecast[];
  feedProblems: DigestFeedProblem[];
}

/** A balance change smaller than this is noise, not a mover. */
export const MOVER_THRESHOLD = 0.05;

/** The ISO week's window: Monday 00:00 UTC to the next Monday 00:00 UTC (end excluded). */
export function weekWindow(week: string): { start: Date; end: Date } {
  const start = isoWeekStart(week);
  return { start, end: new Date(start.getTime() + 7 * DAY) };
}

/** The last ISO week that has ended by `now` (UTC). */
export function lastCompleteWeek(now: Date): string {
  return isoWeek(new Date(isoWeekStart(isoWeek(now)).getTime() - 7 * DAY));
}

const dayStart = (iso: string) => new Date(`${iso}T00:00:00Z`);
const inWindow = (t: Date, w: { start: Date; end: Date }) => t.getTime() >= w.start.getTime() && t.getTime() < w.end.getTime();

/** The resolution that applied at `at`: a resolution counts from its date on. */
function resolutionAt(resolution: DigestForecastRecord['resolution'], at: Date): string | null {
  if (!resolution || resolution.status === 'open') return null;
  if (resolution.date && dayStart(resolution.date).getTime() >= at.getTime()) return null;
  return resolution.status;
}

/**
 * Builds the digest for a window: per forecast, the standing at the window's start and end, whether
 * it is new, fell due or resolved, and the articles of the window that support or undermine it;
 * plus the feeds that are failing. Pure: every fact comes from `input`.
 */
export function buildDigest(input: DigestInput): Digest {
  const { window } = input;
  const articles = new Map(input.articles.map((a) => [a.id, a]));
  const byForecast = new Map<string, DigestLedgerEntry[]>();
  for (const e of input.ledger) {
    const list = byForecast.get(e.predictionId) ?? [];
    list.push(e);
    byForecast.set(e.predictionId, list);
  }
  const revisionsOf = new Map<string, DigestRevision[]>();
  for (const r of input.revisions) {
    const list = revisionsOf.get(r.predictionId) ?? [];
    list.push(r);
    revisionsOf.set(r.predictionId, list);
  }

  const forecasts = input.forecasts.map((f): DigestForecast => {
    const entries = byForecast.get(f.id) ?? [];
    const revisions = (revisionsOf.get(f.id) ?? []).sort((a, b) => a.changedAt.getTime() - b.changedAt.getTime());
    const resolution = resolutionOf(f);
    const isNew = revisions.some((r) => r.change === 'added' && inWindow(r.changedAt, window));

    // A resolution written into the config during the window counts as news even when its date is older.
    const resolvedByEdit = revisions.some((r, i) => {
      if (!inWindow(r.changedAt, window) || !r.changedFields.includes('resolution')) return false;
      const previous = revisions[i - 1];
      return resolutionOf(previous?.record)?.status === 'open' && resolutionOf(r.record)?.status !== 'open';
    });
    const resolvedByDate = resolution?.status !== 'open' && !!resolution?.date && inWindow(dayStart(resolution.date), window);
    const resolved =
      resolution && resolution.status !== 'open' && (resolvedByDate || resolvedByEdit)
        ? { status: resolution.status, date: resolution.date ?? null, note: resolution.note ?? null }
        : null;

    const beforeResolution = resolved ? null : resolutionAt(resolution, window.start);
    const afterResolution = resolution?.status === 'open' ? null : resolution?.status;
    // The record at the end of the week before the window and at the end of the window's last week:
    // from the stored series when there is one, else computed from the ledger by the same rules.
    const since = publicationStart(f.published);
    const series =
      input.standings?.get(f.id) ?? computeStanding(entries, { now: new Date(window.end.getTime() - 1), published: f.published }).series;
    const recordBefore = recordAtWeek(series, isoWeek(new Date(window.start.getTime() - 1)));
    const recordAfter = recordAtWeek(series, isoWeek(new Date(window.end.getTime() - 1)));
    const before = {
      status: statusOf({ agree: recordBefore.for, disagree: recordBefore.against }, beforeResolution),
      balance: recordBefore.balance,
    };
    const after = {
      status: statusOf({ agree: recordAfter.for, disagree: recordAfter.against }, afterResolution),
      balance: recordAfter.balance,
    };

    // Only evidence published since the forecast counts; older articles are background, not news about it.
    const fresh = entries.filter((e) => inWindow(e.publishedAt, window) && (!since || e.publishedAt.getTime() >= since.getTime()));
    const counts = { agree: 0, disagree: 0, discuss: 0 };
    for (const e of entries) {
      if (
        e.stance === 'unrelated' ||
        e.publishedAt.getTime() >= window.end.getTime() ||
        (since && e.publishedAt.getTime() < since.getTime())
      )
        continue;
      counts[e.stance]++;
    }
    const evidence = (stance: RelatedStance) =>
      fresh
        .filter((e) => e.stance === stance)
        .map((e): DigestEvidence => {
          const article = articles.get(e.articleId);
          const sentence = e.evidence.find((s) => s.stance === stance) ?? e.evidence[0];
          return {
            articleId: e.articleId,
            title: article?.title || '(untitled article)',
            url: article?.url ?? null,
            publishedAt: article?.publishedAt ?? e.publishedAt,
            feeds: article?.feeds ?? [],
            confidence: e.confidence,
            quote: sentence?.text.trim() ?? '',
            overridden: e.overridden ?? false,
            alsoFor: [],
          };
        })
        .sort((a, b) => b.confidence - a.confidence || b.publishedAt.getTime() - a.publishedAt.getTime() || a.articleId - b.articleId);

    return {
      id: f.id,
      statement: f.statement,
      authors: f.authors ?? [],
      outlet: f.outlet ?? null,
      tags: f.tags ?? [],
      deadline: f.deadline ?? null,
      before,
      after: { ...after, counts },
      isNew,
      fellDue: !!f.deadline && inWindow(dayStart(f.deadline), window),
      resolved,
      supporting: evidence('agree'),
      undermining: evidence('disagree'),
      discussing: fresh.filter((e) => e.stance === 'discuss').length,
      discussed: evidence('discuss'),
    };
  });
  markSharedArticles(forecasts);

  const feedProblems = input.feeds
    .filter((f) => f.active && f.status === 'error')
    .map((f) => ({
      id: f.id,
      title: f.title || f.url,
      url: f.url,
      error: f.lastError ?? 'unknown error',
      kind: f.lastErrorKind,
      errorCount: f.errorCount,
      lastSuccessAt: f.lastSuccessAt,
      brokeInWindow: f.lastSuccessAt !== null && f.lastSuccessAt.getTime() >= window.start.getTime(),
    }))
    .sort((a, b) => Number(b.brokeInWindow) - Number(a.brokeInWindow) || b.errorCount - a.errorCount || a.title.localeCompare(b.title));

  return {
    week: input.week,
    window,
    weeks: Math.max(1, Math.round((window.end.getTime() - window.start.getTime()) / (7 * DAY))),
    forecasts,
    feedProblems,
  };
}

/**
 * Notes, on each piece of evidence, the other forecasts the same article bears on: one article
 * must not read as independent evidence under several forecasts (issue #15).
 */
function markSharedArticles(forecasts: DigestForecast[]): void {
  const byArticle = new Map<number, SharedWith[]>();
  for (const f of forecasts) {
    for (const [stance, items] of [
      ['agree', f.supporting],
      ['disagree', f.undermining],
      ['discuss', f.discussed],
    ] as const) {
      for (const e of items) {
        const list = byArticle.get(e.articleId) ?? [];
        list.push({ id: f.id, statement: f.statement, stance });
        byArticle.set(e.articleId, list);
      }
    }
  }
  for (const f of forecasts) {
    for (const e of [...f.supporting, ...f.undermining, ...f.discussed])
      e.alsoFor = (byArticle.get(e.articleId) ?? []).filter((x) => x.id !== f.id);
  }
}

/** The digest narrowed to what a subscriber follows: forecast ids or tags; none given means all. */
export function selectForSubscriber(digest: Digest, follow: readonly string[] | undefined): Digest {
  if (!follow || follow.length === 0) return digest;
  const wanted = new Set(follow);
  const forecasts = digest.forecasts.filter((f) => wanted.has(f.id) || f.tags.some((t) => wanted.has(t)));
  const kept = new Set(forecasts.map((f) => f.id));
  // Shared articles are noted among the forecasts this subscriber sees.
  const narrow = (items: DigestEvidence[]) => items.map((e) => ({ ...e, alsoFor: e.alsoFor.filter((x) => kept.has(x.id)) }));
  return {
    ...digest,
    forecasts: forecasts.map((f) => ({
      ...f,
      supporting: narrow(f.supporting),
      undermining: narrow(f.undermining),
      discussed: narrow(f.discussed),
    })),
  };
}

export interface DigestSummary {
  statusChanges: DigestForecast[];
  /** Biggest moves in balance (status changes excluded), largest first. */
  movers: DigestForecast[];
  newForecasts: DigestForecast[];
  fellDue: DigestForecast[];
  resolved: DigestForecast[];
  /** Forecasts with new articles (supporting, undermining or discussing them), most evidence first. */
  withEvidence: DigestForecast[];
  articles: number;
  /** Nothing in the forecasts changed (feed problems do not count). */
  unchanged: boolean;
}

/** The lead of a digest: what changed, biggest first. */
export function summarizeDigest(digest: Digest, options: { maxMovers?: number } = {}): DigestSummary {
  const fs = digest.forecasts;
  const statusChanges = fs.filter((f) => f.before.status !== f.after.status && !f.isNew);
  const movers = fs
    .filter((f) => !statusChanges.includes(f) && !f.isNew && Math.abs(f.after.balance - f.before.balance) >= MOVER_THRESHOLD)
    .sort((a, b) => Math.abs(b.after.balance - b.before.balance) - Math.abs(a.after.balance - a.before.balance) || a.id.localeCompare(b.id))
    .slice(0, options.maxMovers ?? 5);
  const newForecasts = fs.filter((f) => f.isNew);
  const fellDue = fs.filter((f) => f.fellDue);
  const resolved = fs.filter((f) => f.resolved);
  const withEvidence = fs
    .filter((f) => f.supporting.length + f.undermining.length + f.discussed.length > 0)
    .sort((a, b) => b.supporting.length + b.undermining.length - (a.supporting.length + a.undermining.length) || a.id.localeCompare(b.id));
  const articles = new Set(withEvidence.flatMap((f) => [...f.supporting, ...f.undermining, ...f.discussed].map((e) => e.articleId))).size;
  const unchanged =
    statusChanges.length + movers.length + newForecasts.length + fellDue.length + resolved.length + withEvidence.length === 0;
  return { statusChanges, movers, newForecasts, fellDue, resolved, withEvidence, articles, unchanged };
}
