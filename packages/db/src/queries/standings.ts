import { sql } from 'drizzle-orm';
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
