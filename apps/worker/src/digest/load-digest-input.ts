import {
  listDigestArticles,
  listFeedHealth,
  listForecasts,
  listLedger,
  listPredictionRevisions,
  listResolutionOverrides,
  listStandings,
  type Db,
} from '@signpost/db';
import { standingFromRow, type WeekPoint } from '@signpost/ledger';
import { resolutionOf } from '@signpost/vocabulary';
import type { DigestInput } from '@signpost/digest';

/**
 * Reads what `buildDigest` needs for a window from the database: the active forecasts, their stored
 * standings (the record week by week, as the worker last wrote it), the evidence ledger, forecast
 * revisions, feed health, and the articles of the window that the ledger names.
 */
export async function loadDigestInput(
  db: Db,
  options: { week: string; window: { start: Date; end: Date }; scorer: string },
): Promise<DigestInput> {
  const predictions = await listForecasts(db);
  const ledger = await listLedger(db, { scorer: options.scorer });
  const active = new Set(predictions.map((p) => p.id));
  const inWindow = ledger.filter(
    (e) =>
      active.has(e.predictionId) &&
      e.publishedAt.getTime() >= options.window.start.getTime() &&
      e.publishedAt.getTime() < options.window.end.getTime(),
  );
  const [revisions, feeds, articles, resolutions, standings] = await Promise.all([
    listPredictionRevisions(db, [...active]),
    listFeedHealth(db),
    listDigestArticles(db, [...new Set(inWindow.map((e) => e.articleId))]),
    listResolutionOverrides(db),
    listStandings(db),
  ]);
  // The one resolution rule (an analyst's resolution wins over the record's); setting it is a
  // change of resolution at that moment, like an edit of the config.
  const resolutionInForce = (id: string, record?: unknown) => {
    const { setBy: _, ...resolution } = resolutionOf(record as Record<string, unknown> | undefined, resolutions.get(id));
    return resolution;
  };
  return {
    week: options.week,
    window: options.window,
    forecasts: predictions.map((p) => {
      const record = { ...p.record, id: p.id, statement: p.statement };
      return { ...record, resolution: resolutionInForce(p.id, record) };
    }),
    ledger: ledger.filter((e) => active.has(e.predictionId)),
    articles,
    revisions: [
      ...revisions.map((r) => ({
        predictionId: r.predictionId,
        change: r.change,
        changedAt: r.changedAt,
        changedFields: r.changedFields,
        record: r.record,
      })),
      ...[...resolutions.values()]
        .filter((r) => active.has(r.predictionId))
        .map((r) => ({
          predictionId: r.predictionId,
          change: 'resolved',
          changedAt: r.updatedAt,
          changedFields: ['resolution'],
          record: { resolution: resolutionInForce(r.predictionId) },
        })),
    ],
    feeds: feeds.map((f) => ({ ...f, lastSuccessAt: f.lastSuccessAt ?? null })),
    standings: new Map<string, WeekPoint[]>(
      [...standings.values()].filter((r) => active.has(r.predictionId)).map((r) => [r.predictionId, standingFromRow(r).series]),
    ),
  };
}
