import {
  listArticlesByIds,
  listLedger,
  listForecasts,
  listResolutionOverrides,
  nextTurn,
  readEvidenceKeys,
  readStoredEvidenceKeys,
  touchStandings,
  writeStandings,
  type Db,
  type StandingRow,
  type StoredForecastRow,
} from '@signpost/db';
import { resolutionOf } from '@signpost/vocabulary';
import { computeStanding, publicationStart, type Standing } from './standing.ts';

/** The newest counted article of a forecast, as the overview shows it. */
export interface LastEvidence {
  articleId: number;
  stance: string;
  title: string;
  url: string | null;
  publishedAt: string;
}

export interface RefreshStandingsOptions {
  scorer: string;
  now: Date;
  /** Only these forecasts, recomputed whether or not their evidence changed (after an analyst's edit). */
  predictionIds?: readonly string[];
  /**
   * Awaited between two forecasts (default: one turn of the event loop). On PGlite the dashboard
   * shares the thread: computing and writing thirty standings in one stretch kept it from answering
   * for a few hundred ms at the end of every cycle (bench/load).
   */
  pause?: () => Promise<void>;
}

/**
 * Recomputes and stores the standings of the forecasts whose evidence changed since their standing
 * was stored (every forecast, retired ones too, since they keep their page), one forecast at a time.
 * A standing whose evidence is the same (readEvidenceKeys: judgments, verdicts, resolution, record,
 * whose judgment counts) is kept, with its "as of" moved to `now`, unless it was computed on an
 * earlier day (UTC): the momentum decays and the weekly series moves on with the clock, by about one
 * per cent a day. The worker calls this
 * after it stores judgments or applies a config change; the dashboard after an analyst's override or
 * resolution, for the forecasts it touched. Readers never compute. Returns the standings written.
 */
export async function refreshStandings(db: Db, options: RefreshStandingsOptions): Promise<number> {
  const wanted = options.predictionIds ? new Set(options.predictionIds) : null;
  const pause = options.pause ?? nextTurn;
  const [predictions, overrides, keys, stored] = await Promise.all([
    listForecasts(db, { includeRetired: true }),
    listResolutionOverrides(db),
    readEvidenceKeys(db, options.scorer),
    readStoredEvidenceKeys(db),
  ]);
  const day = options.now.toISOString().slice(0, 10);
  let written = 0;
  const unchanged: string[] = [];
  for (const p of predictions) {
    if (wanted && !wanted.has(p.id)) continue;
    const evidenceKey = `${keys.get(p.id) ?? ''}|${day}`;
    if (!wanted && stored.get(p.id) === evidenceKey) {
      unchanged.push(p.id);
      continue;
    }
    if (written > 0) await pause();
    await writeStandings(db, [await computeStandingRow(db, p, { ...options, overrides, evidenceKey })]);
    written++;
  }
  // The rest hold as of now: nothing they are computed from has changed (only the clock, this day).
  await touchStandings(db, unchanged, options.now);
  return written;
}

/** One forecast's standing from its ledger, with its newest counted article, as stored. */
async function computeStandingRow(
  db: Db,
  p: StoredForecastRow,
  options: RefreshStandingsOptions & { overrides: Awaited<ReturnType<typeof listResolutionOverrides>>; evidenceKey: string },
): Promise<StandingRow> {
  const entries = await listLedger(db, { scorer: options.scorer, predictionId: p.id });
  const { record } = p;
  const resolution = resolutionOf(p.record, options.overrides.get(p.id));
  const standing: Standing = computeStanding(entries, {
    now: options.now,
    published: record.published,
    resolution: resolution.status === 'open' ? null : resolution.status,
  });
  const since = publicationStart(record.published);
  let last: { articleId: number; stance: string } | null = null;
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i]!;
    if (e.stance === 'unrelated' || e.publishedAt > options.now) continue;
    if (since && e.publishedAt < since) break;
    last = { articleId: e.articleId, stance: e.stance };
    break;
  }
  const article = last ? (await listArticlesByIds(db, [last.articleId])).get(last.articleId) : undefined;
  const lastEvidence: LastEvidence | null =
    last && article
      ? {
          articleId: last.articleId,
          stance: last.stance,
          title: article.title,
          url: article.url,
          publishedAt: article.publishedAt.toISOString(),
        }
      : null;
  return {
    predictionId: p.id,
    scorer: options.scorer,
    status: standing.status,
    // evidenceKey: what this standing was computed from, so that an unchanged one is not recomputed.
    record: { ...standing.record, counts: standing.counts, background: standing.background, evidenceKey: options.evidenceKey },
    momentum: standing.momentum,
    series: standing.series as unknown as Record<string, unknown>[],
    signposts: standing.signposts as unknown as Record<string, unknown>[],
    lastEvidence: lastEvidence as unknown as Record<string, unknown> | null,
    asOf: options.now,
  };
}

/** A stored standing read back into the ledger's shape. */
export function standingFromRow(row: StandingRow): Standing & { asOf: Date; lastEvidence: LastEvidence | null } {
  const record = row.record as unknown as Standing['record'] & { counts: Standing['counts']; background: Standing['background'] };
  return {
    status: row.status as Standing['status'],
    balance: record.balance,
    counts: record.counts,
    record: { status: record.status, balance: record.balance, weight: record.weight, stories: record.stories },
    momentum: row.momentum as unknown as Standing['momentum'],
    background: record.background,
    series: row.series as unknown as Standing['series'],
    signposts: row.signposts as unknown as Standing['signposts'],
    asOf: row.asOf,
    lastEvidence: row.lastEvidence as unknown as LastEvidence | null,
  };
}
