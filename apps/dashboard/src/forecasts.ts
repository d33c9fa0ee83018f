import { setImmediate } from 'node:timers/promises';
import {
  listArticlesByIds,
  listLedger,
  listPredictions,
  listResolutionOverrides,
  type Db,
  type EvidenceArticle,
  type LedgerEntry,
} from '@signpost/db';
import { computeStanding, type Standing } from '@signpost/ledger';
import type { Prediction } from '@signpost/predictions';

export type ResolutionStatus = 'open' | 'true' | 'false' | 'ambiguous';

export interface ForecastResolution {
  status: ResolutionStatus;
  date?: string;
  note?: string;
  /** `record`: from predictions.yaml; `dashboard`: set by an analyst here. */
  setBy: 'record' | 'dashboard';
}

/** The parts of a stored record the dashboard shows; a record from an older config may lack some. */
export type ForecastRecord = Partial<Prediction> & { id: string };

export interface LastEvidence {
  articleId: number;
  stance: LedgerEntry['stance'];
  title: string;
  url: string | null;
  publishedAt: Date;
}

export interface ForecastView {
  id: string;
  statement: string;
  state: string;
  record: ForecastRecord;
  resolution: ForecastResolution;
  standing: Standing;
  /** Change of the balance over the last `MOVEMENT_WEEKS` weeks (signed). */
  movement: number;
  lastEvidence: LastEvidence | null;
  updatedAt: Date;
}

/** "Recent movement" is the change of the balance over this many weeks. */
export const MOVEMENT_WEEKS = 4;

const STATUSES = new Set<ResolutionStatus>(['open', 'true', 'false', 'ambiguous']);

/** The resolution in force: the analyst's from the dashboard, else the record's. */
export function resolutionOf(record: ForecastRecord, override?: { status: string; date: string | null; note: string | null }): ForecastResolution {
  if (override && STATUSES.has(override.status as ResolutionStatus)) {
    return { status: override.status as ResolutionStatus, date: override.date ?? undefined, note: override.note ?? undefined, setBy: 'dashboard' };
  }
  const r = record.resolution;
  const status = r && STATUSES.has(r.status as ResolutionStatus) ? (r.status as ResolutionStatus) : 'open';
  return { status, date: r?.date, note: r?.note, setBy: 'record' };
}

/** Signed change of the balance across the last `weeks` weeks of a series. */
export function movementOf(series: Standing['series'], weeks = MOVEMENT_WEEKS): number {
  if (series.length === 0) return 0;
  const last = series[series.length - 1]!;
  const before = series[Math.max(0, series.length - 1 - weeks)]!;
  return Math.round((last.balance - (series.length > weeks ? before.balance : 0)) * 1000) / 1000;
}

export function standingOf(entries: LedgerEntry[], resolution: ForecastResolution, now: Date): Standing {
  return computeStanding(entries, { now, resolution: resolution.status === 'open' ? null : resolution.status });
}

const STANCE_CODES: Record<string, number> = { agree: 1, disagree: 2, discuss: 3, unrelated: 4 };

/**
 * A cheap fingerprint of one forecast's evidence: equal fingerprints give equal standings, so only
 * forecasts whose evidence changed are recomputed (computeStanding grows faster than linearly).
 */
export function fingerprintEvidence(entries: readonly LedgerEntry[]): string {
  let h = 0x811c9dc5;
  const mix = (x: number) => {
    h ^= x;
    h = Math.imul(h, 0x01000193) >>> 0;
  };
  for (const e of entries) {
    mix(e.articleId);
    mix(STANCE_CODES[e.stance] ?? 9);
    mix(Math.round(e.confidence * 1e6));
    mix(e.publishedAt.getTime() / 1000);
    mix(e.signposts?.length ?? 0);
    for (const sp of e.signposts ?? []) mix(sp.index * 31 + (STANCE_CODES[sp.stance] ?? 9));
  }
  return `${entries.length}:${h.toString(36)}`;
}

/** Standings computed before, by forecast: reused while the fingerprint, resolution and hour match. */
export type StandingMemo = Map<string, { key: string; standing: Standing }>;

/** Every forecast with its standing, movement and latest evidence. */
export async function loadForecastViews(db: Db, options: { scorer: string; now: Date; includeRetired?: boolean; memo?: StandingMemo }): Promise<ForecastView[]> {
  const [predictions, resolutions] = await Promise.all([listPredictions(db, { includeRetired: options.includeRetired }), listResolutionOverrides(db)]);
  // The ledger one forecast at a time, letting other requests in between: on the embedded database a
  // query runs on this thread, and the whole ledger in one query (20,000 judgments) held every other
  // request for 1–2 s; one forecast's share takes 80–250 ms (bench/dashboard).
  const byForecast = new Map<string, LedgerEntry[]>();
  for (const p of predictions) {
    byForecast.set(p.id, await listLedger(db, { scorer: options.scorer, predictionId: p.id }));
    await setImmediate();
  }
  const lastIds = new Map<string, LedgerEntry>();
  for (const [id, entries] of byForecast) {
    // The ledger is ordered by publication: the last relevant entry is the newest.
    for (let i = entries.length - 1; i >= 0; i--) {
      if (entries[i]!.stance !== 'unrelated') {
        lastIds.set(id, entries[i]!);
        break;
      }
    }
  }
  const articles = await listArticlesByIds(db, [...lastIds.values()].map((e) => e.articleId));
  const hour = Math.floor(options.now.getTime() / 3_600_000);
  const views: ForecastView[] = [];
  for (const p of predictions) {
    const record = { ...(p.record as Partial<Prediction>), id: p.id } as ForecastRecord;
    const resolution = resolutionOf(record, resolutions.get(p.id));
    const entries = byForecast.get(p.id) ?? [];
    const key = `${hour}|${resolution.status}|${fingerprintEvidence(entries)}`;
    let standing = options.memo?.get(p.id)?.key === key ? options.memo.get(p.id)!.standing : undefined;
    if (!standing) {
      standing = standingOf(entries, resolution, options.now);
      options.memo?.set(p.id, { key, standing });
      // Let the server answer other requests between two long computations.
      if (entries.length > 200) await setImmediate();
    }
    const last = lastIds.get(p.id);
    const article = last ? articles.get(last.articleId) : undefined;
    views.push({
      id: p.id,
      statement: p.statement,
      state: p.state,
      record,
      resolution,
      standing,
      movement: movementOf(standing.series),
      lastEvidence: last && article ? { articleId: last.articleId, stance: last.stance, title: article.title, url: article.url, publishedAt: article.publishedAt } : null,
      updatedAt: p.updatedAt,
    });
  }
  return views;
}

export interface EvidenceItem extends LedgerEntry {
  article: EvidenceArticle;
}

/** One forecast's evidence, newest first, with each article's title, link and feeds. */
export async function loadEvidence(
  db: Db,
  options: { scorer: string; predictionId: string; stance?: string; limit?: number },
): Promise<{ entries: LedgerEntry[]; items: EvidenceItem[] }> {
  const entries = await listLedger(db, { scorer: options.scorer, predictionId: options.predictionId });
  const relevant = entries.filter((e) => e.stance !== 'unrelated');
  const chosen = relevant
    .filter((e) => !options.stance || e.stance === options.stance)
    .sort((a, b) => b.publishedAt.getTime() - a.publishedAt.getTime() || b.articleId - a.articleId)
    .slice(0, options.limit ?? relevant.length);
  const articles = await listArticlesByIds(db, chosen.map((e) => e.articleId));
  const items = chosen.flatMap((e) => {
    const article = articles.get(e.articleId);
    return article ? [{ ...e, article }] : [];
  });
  return { entries, items };
}

/** Only http(s) links from feeds are ever rendered as links. */
export function safeHttpUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.toString() : null;
  } catch {
    return null;
  }
}
