import { inArray, sql } from 'drizzle-orm';
import { queryRows, type Db } from '../create-db.ts';
import { standings } from '../schema.ts';

/** One forecast's stored standing (the JSON parts are @signpost/ledger's `Standing`, see schema.ts). */
export interface StandingRow {
  predictionId: string;
  scorer: string;
  status: string;
  record: Record<string, unknown>;
  momentum: Record<string, unknown>;
  series: Record<string, unknown>[];
  signposts: Record<string, unknown>[];
  lastEvidence: Record<string, unknown> | null;
  asOf: Date;
}

/**
 * Writes (replaces) the standings of the given forecasts, in one statement. `updated_at` is the
 * database's wall clock, not the caller's `asOf`: it is what moves the version pages are cached under,
 * and a caller with a fixed clock (tests, a backfill dated in the past) must still move it.
 */
export async function writeStandings(db: Db, rows: readonly StandingRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insert(standings)
    .values(rows.map((r) => ({ ...r, updatedAt: sql`clock_timestamp()` })))
    .onConflictDoUpdate({
      target: standings.predictionId,
      set: {
        scorer: sql`excluded.scorer`,
        status: sql`excluded.status`,
        record: sql`excluded.record`,
        momentum: sql`excluded.momentum`,
        series: sql`excluded.series`,
        signposts: sql`excluded.signposts`,
        lastEvidence: sql`excluded.last_evidence`,
        asOf: sql`excluded.as_of`,
        updatedAt: sql`clock_timestamp()`,
      },
    });
}

/** Every stored standing, by forecast id. */
export async function listStandings(db: Db): Promise<Map<string, StandingRow>> {
  const rows = await db.select().from(standings);
  return new Map(
    rows.map((r) => [
      r.predictionId,
      {
        predictionId: r.predictionId,
        scorer: r.scorer,
        status: r.status,
        record: r.record,
        momentum: r.momentum,
        series: r.series,
        signposts: r.signposts,
        lastEvidence: r.lastEvidence ?? null,
        asOf: new Date(r.asOf),
      },
    ]),
  );
}

/**
 * A cheap fingerprint of what the dashboard's pages are rendered from: the stored standings (which
 * move whenever judgments, overrides or resolutions do, since the worker and the dashboard rewrite
 * them then), the forecasts' own records and whose judgment counts (the `judge` setting, which the
 * evidence lists follow). Equal fingerprints mean equal pages.
 */
export async function readStandingsVersion(db: Db): Promise<string> {
  const [row] = await queryRows<{ v: string }>(
    db,
    sql`select concat_ws('|',
      (select count(*) || ':' || coalesce(extract(epoch from max(updated_at))::text, '') from standings),
      (select count(*) || ':' || coalesce(extract(epoch from max(updated_at))::text, '') from predictions),
      (select count(*) || ':' || coalesce(extract(epoch from max(created_at))::text, '') from overrides),
      (select coalesce(max(id), 0) from judgments),
      (select coalesce(max(value), 'builtin') from settings where key = 'judge')
    ) as v`,
  );
  return row?.v ?? '';
}

/**
 * For every forecast, a fingerprint of what its standing is computed from: its record and claim, its
 * judgments (any scorer's, since older versions' count where the current one has not reached), the
 * current scorer's watermark where it decides between them, analysts' verdicts and resolution, and
 * whose judgment counts. Equal fingerprints mean an equal ledger (only the clock can still move the
 * standing). One pass over each table, grouped by forecast.
 */
export async function readEvidenceKeys(db: Db, scorer: string): Promise<Map<string, string>> {
  const rows = await queryRows<{ id: string; key: string }>(
    db,
    sql`with j as (
        select j.prediction_id, count(*) as n, max(j.id) as last,
          max(j.article_id) filter (where not (j.scorer = ${scorer} and j.claim_hash = p.claim_hash)) as other_through
        from judgments j join predictions p on p.id = j.prediction_id
        group by j.prediction_id),
      o as (
        select prediction_id, count(*) as n, max(id) as last, max(created_at) as at from overrides group by prediction_id)
      select p.id, concat_ws('|', ${scorer}::text, p.record_hash, p.claim_hash, p.state,
          coalesce(j.n, 0), coalesce(j.last, 0),
          coalesce(least(sp.through_article_id, j.other_through), 0),
          coalesce(o.n, 0), coalesce(o.last, 0), coalesce(extract(epoch from o.at)::text, ''),
          coalesce(r.status || ':' || coalesce(r.date, '') || ':' || extract(epoch from r.updated_at)::text, ''),
          (select coalesce(max(value), 'builtin') from settings where key = 'judge')) as key
      from predictions p
      left join j on j.prediction_id = p.id
      left join o on o.prediction_id = p.id
      left join resolution_overrides r on r.prediction_id = p.id
      left join scoring_progress sp on sp.prediction_id = p.id and sp.scorer = ${scorer} and sp.claim_hash = p.claim_hash`,
  );
  return new Map(rows.map((r) => [r.id, r.key]));
}

/** The evidence key each stored standing was computed from (see readEvidenceKeys), by forecast id. */
export async function readStoredEvidenceKeys(db: Db): Promise<Map<string, string>> {
  const rows = await queryRows<{ id: string; key: string | null }>(
    db,
    sql`select prediction_id as id, record->>'evidenceKey' as key from ${standings}`,
  );
  return new Map(rows.flatMap((r) => (r.key ? [[r.id, r.key] as const] : [])));
}

/**
 * Moves the "as of" of stored standings whose evidence has not changed (refreshStandings keeps them):
 * they hold as of this cycle. Moves the version pages are cached under too, as a rewrite would.
 */
export async function touchStandings(db: Db, predictionIds: readonly string[], asOf: Date): Promise<void> {
  if (predictionIds.length === 0) return;
  await db
    .update(standings)
    .set({ asOf, updatedAt: sql`clock_timestamp()` })
    .where(inArray(standings.predictionId, [...predictionIds]));
}
