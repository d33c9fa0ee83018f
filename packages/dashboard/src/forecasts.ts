import {
  listArticlesByIds,
  listLedger,
  listForecasts,
  listResolutionOverrides,
  listStandings,
  type Db,
  type EvidenceArticle,
  type LedgerEntry,
} from '@signpost/db';
import { computeStanding, publicationStart, standingFromRow, statusOf, type LastEvidence, type Standing } from '@signpost/ledger';
import { resolutionOf, type ForecastResolution } from '@signpost/vocabulary';
import type { Prediction } from '@signpost/predictions';

export type { ForecastResolution };

/** The parts of a stored record the dashboard shows; a record from an older config may lack some. */
export type ForecastRecord = Partial<Prediction> & { id: string };

/** A forecast's stored standing (written by the worker, docs/standings.md), with when it was computed. */
export type StoredStanding = Standing & { asOf: Date | null };

export interface ForecastView {
  id: string;
  statement: string;
  state: string;
  record: ForecastRecord;
  resolution: ForecastResolution;
  standing: StoredStanding;
  /** Change of the record's balance over the last `MOVEMENT_WEEKS` weeks (signed). */
  movement: number;
  lastEvidence: (Omit<LastEvidence, 'publishedAt'> & { publishedAt: Date }) | null;
  updatedAt: Date;
}

/** "Recent movement" is the change of the record's balance over this many weeks. */
export const MOVEMENT_WEEKS = 4;

/** Signed change of the balance across the last `weeks` weeks of a series. */
export function movementOf(series: readonly { balance: number }[], weeks = MOVEMENT_WEEKS): number {
  if (series.length === 0) return 0;
  const last = series[series.length - 1]!;
  const before = series[Math.max(0, series.length - 1 - weeks)]!;
  return Math.round((last.balance - (series.length > weeks ? before.balance : 0)) * 1000) / 1000;
}

/**
 * Every forecast with its stored standing. Nothing is computed from the ledger here: the worker
 * writes the standings after each cycle's judgments, and the dashboard after an analyst's edit.
 * A forecast the worker has not reached yet (just added) shows an empty standing.
 */
export async function loadForecastViews(db: Db, options: { now: Date; includeRetired?: boolean }): Promise<ForecastView[]> {
  const [predictions, resolutions, standings] = await Promise.all([
    listForecasts(db, { includeRetired: options.includeRetired }),
    listResolutionOverrides(db),
    listStandings(db),
  ]);
  return predictions.map((p) => {
    const record: ForecastRecord = { ...p.record, id: p.id };
    const resolution = resolutionOf(record, resolutions.get(p.id));
    const row = standings.get(p.id);
    const stored = row ? standingFromRow(row) : null;
    const resolved = resolution.status === 'open' ? null : resolution.status;
    // The resolution in force decides the status shown first even when it changed after the standing
    // was stored (an edit of predictions.yaml between two cycles): no recomputation, one lookup.
    const standing: StoredStanding = stored
      ? { ...stored, status: statusOf(stored.record.weight, resolved) }
      : { ...computeStanding([], { now: options.now, published: record.published, resolution: resolved }), asOf: null };
    const last = stored?.lastEvidence ?? null;
    return {
      id: p.id,
      statement: p.statement,
      state: p.state,
      record,
      resolution,
      standing,
      movement: movementOf(standing.series),
      lastEvidence: last ? { ...last, publishedAt: new Date(last.publishedAt) } : null,
      updatedAt: p.updatedAt,
    };
  });
}

export interface EvidenceItem extends LedgerEntry {
  article: EvidenceArticle;
}

/**
 * One forecast's evidence, newest first, with each article's title, link and feeds. `items` are the
 * articles that count (published since the forecast); `background` those published before it.
 */
export async function loadEvidence(
  db: Db,
  options: { scorer: string; predictionId: string; published?: string | null; stance?: string; limit?: number },
): Promise<{ entries: LedgerEntry[]; items: EvidenceItem[]; background: EvidenceItem[] }> {
  const entries = await listLedger(db, { scorer: options.scorer, predictionId: options.predictionId });
  const since = publicationStart(options.published);
  const relevant = entries.filter((e) => e.stance !== 'unrelated');
  const chosen = relevant
    .filter((e) => !options.stance || e.stance === options.stance)
    .sort((a, b) => b.publishedAt.getTime() - a.publishedAt.getTime() || b.articleId - a.articleId)
    .slice(0, options.limit ?? relevant.length);
  const articles = await listArticlesByIds(
    db,
    chosen.map((e) => e.articleId),
  );
  const all = chosen.flatMap((e) => {
    const article = articles.get(e.articleId);
    return article ? [{ ...e, article }] : [];
  });
  const isBackground = (i: EvidenceItem) => !!since && i.publishedAt.getTime() < since.getTime();
  return { entries, items: all.filter((i) => !isBackground(i)), background: all.filter(isBackground) };
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
