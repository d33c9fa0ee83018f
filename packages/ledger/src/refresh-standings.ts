import {
  listArticlesByIds,
  listForecasts,
  listLedger,
  listResolutionOverrides,
  writeStandings,
  type Db,
  type StandingRow,
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

/**
 * Recomputes and stores the standings of the given forecasts (default: every forecast, retired ones
 * too, since they keep their page). The worker calls this after it stores judgments or applies a
 * config change; the dashboard after an analyst's override or resolution. Readers never compute.
 */
export async function refreshStandings(db: Db, options: { scorer: string; now: Date; predictionIds?: readonly string[] }): Promise<number> {
  const wanted = options.predictionIds ? new Set(options.predictionIds) : null;
  const [predictions, overrides] = await Promise.all([listForecasts(db, { includeRetired: true }), listResolutionOverrides(db)]);
  const chosen = predictions.filter((p) => !wanted || wanted.has(p.id));
  const computed: { id: string; standing: Standing; last: { articleId: number; stance: string } | null }[] = [];
  for (const p of chosen) {
    const entries = await listLedger(db, { scorer: options.scorer, predictionId: p.id });
    const { record } = p;
    const resolution = resolutionOf(p.record, overrides.get(p.id));
    const standing = computeStanding(entries, {
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
    computed.push({ id: p.id, standing, last });
  }
  const articles = await listArticlesByIds(
    db,
    computed.flatMap((c) => (c.last ? [c.last.articleId] : [])),
  );
  const rows = computed.map(({ id, standing, last }): StandingRow => {
    const article = last ? articles.get(last.articleId) : undefined;
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
      predictionId: id,
      scorer: options.scorer,
      status: standing.status,
      record: { ...standing.record, counts: standing.counts, background: standing.background },
      momentum: standing.momentum,
      series: standing.series as unknown as Record<string, unknown>[],
      signposts: standing.signposts as unknown as Record<string, unknown>[],
      lastEvidence: lastEvidence as unknown as Record<string, unknown> | null,
      asOf: options.now,
    };
  });
  await writeStandings(db, rows);
  return rows.length;
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
