import { asc, eq, inArray, and } from 'drizzle-orm';
import type { Db } from '../create-db.ts';
import { predictionRevisions, predictions } from '../schema.ts';
import { parseStoredPrediction, type StoredPrediction } from '@signpost/predictions';
import { hashRecord } from '../stable-hash.ts';

export interface PredictionInput {
  id: string;
  statement: string;
  /** The whole config record, stored as JSON. */
  record: Record<string, unknown>;
}

export interface SyncPredictionsResult {
  added: string[];
  changed: string[];
  retired: string[];
  restored: string[];
  unchanged: number;
}

/**
 * Brings the predictions table in line with the config: adds new forecasts, records a new revision
 * for edited ones (the id, and so the evidence, stays), retires forecasts removed from config
 * (their evidence is kept) and restores ones that come back. One transaction: all or nothing.
 */
export async function syncPredictions(db: Db, inputs: PredictionInput[], now = new Date()): Promise<SyncPredictionsResult> {
  const result: SyncPredictionsResult = { added: [], changed: [], retired: [], restored: [], unchanged: 0 };
  await db.transaction(async (tx) => {
    const existing = new Map((await tx.select().from(predictions)).map((p) => [p.id, p]));
    const seen = new Set<string>();
    for (const input of inputs) {
      seen.add(input.id);
      const recordHash = hashRecord({ statement: input.statement, record: input.record });
      const claimHash = claimHashOf(input);
      const current = existing.get(input.id);
      if (!current) {
        await tx.insert(predictions).values({
          id: input.id,
          statement: input.statement,
          record: input.record,
          recordHash,
          claimHash,
          createdAt: now,
          updatedAt: now,
        });
        await tx.insert(predictionRevisions).values({
          predictionId: input.id,
          revision: 1,
          change: 'added',
          statement: input.statement,
          record: input.record,
          changedFields: [],
          changedAt: now,
        });
        result.added.push(input.id);
        continue;
      }
      const wasRetired = current.state !== 'active';
      if (current.recordHash === recordHash && !wasRetired) {
        result.unchanged++;
        continue;
      }
      const edited = current.recordHash !== recordHash;
      const revision = current.revision + 1;
      // An analysts' adjustment was learned for the claim as it was: it survives an edit that leaves
      // the claim alone (a new note, a resolution) and is dropped with a reworded claim.
      const sameClaim = baseClaimHash(current.claimHash) === claimHash;
      await tx
        .update(predictions)
        .set({
          statement: input.statement,
          record: input.record,
          recordHash,
          claimHash: sameClaim ? current.claimHash : claimHash,
          ...(sameClaim ? {} : { adjustment: null }),
          revision,
          state: 'active',
          retiredAt: null,
          updatedAt: now,
        })
        .where(eq(predictions.id, input.id));
      await tx.insert(predictionRevisions).values({
        predictionId: input.id,
        revision,
        change: edited ? 'changed' : 'restored',
        statement: input.statement,
        record: input.record,
        changedFields: changedFields(current.record, input.record),
        changedAt: now,
      });
      if (wasRetired) result.restored.push(input.id);
      else result.changed.push(input.id);
    }
    const toRetire = [...existing.values()].filter((p) => p.state === 'active' && !seen.has(p.id));
    for (const p of toRetire) {
      const revision = p.revision + 1;
      await tx.update(predictions).set({ state: 'retired', retiredAt: now, revision, updatedAt: now }).where(eq(predictions.id, p.id));
      await tx.insert(predictionRevisions).values({
        predictionId: p.id,
        revision,
        change: 'retired',
        statement: p.statement,
        record: p.record,
        changedFields: [],
        changedAt: now,
      });
      result.retired.push(p.id);
    }
  });
  return result;
}

/** A stored claim hash without its adjustment part (`<claim>+<adjustment>`). */
export function baseClaimHash(claimHash: string): string {
  return claimHash.split('+')[0] ?? claimHash;
}

/**
 * Stores (or, with null, removes) a forecast's adjustment learned from reviews, and moves its claim
 * hash, so that the archive is re-scored against the forecast with the adjustment on the next cycle.
 */
export async function setPredictionAdjustment(
  db: Db,
  predictionId: string,
  adjustment: { relatedOffset: number; stanceBias: [number, number, number]; reviewed: number } | null,
): Promise<boolean> {
  const [current] = await db.select({ claimHash: predictions.claimHash }).from(predictions).where(eq(predictions.id, predictionId));
  if (!current) return false;
  const base = baseClaimHash(current.claimHash);
  const claimHash = adjustment ? `${base}+${hashRecord(adjustment).slice(0, 8)}` : base;
  await db.update(predictions).set({ adjustment, claimHash }).where(eq(predictions.id, predictionId));
  return claimHash !== current.claimHash;
}

/** What the scorer reads of a forecast; judgments are tied to it. */
export function claimHashOf(input: PredictionInput): string {
  const r = input.record;
  return hashRecord({ statement: input.statement, keywords: r.keywords ?? null, signposts: r.signposts ?? null }).slice(0, 16);
}

function changedFields(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => hashRecord(before[k] ?? null) !== hashRecord(after[k] ?? null)).sort();
}

export async function listPredictions(db: Db, options: { includeRetired?: boolean } = {}) {
  const query = db.select().from(predictions).orderBy(asc(predictions.id));
  return options.includeRetired ? query : query.where(eq(predictions.state, 'active'));
}

/**
 * The active forecasts (with `includeRetired`, all), each record read back as a typed forecast
 * (`parseStoredPrediction`: zod, not a cast). A record that does not fit throws, naming the
 * forecast and the field.
 */
export async function listForecasts(db: Db, options: { includeRetired?: boolean } = {}): Promise<StoredForecastRow[]> {
  // The columns hold the id and the statement in force; the record's copies may be missing (a test's partial record).
  return (await listPredictions(db, options)).map((row) => ({
    ...row,
    record: parseStoredPrediction({ ...row.record, id: row.id, statement: row.statement }),
  }));
}

/** One forecast (active or retired) with its record read back typed, or null. */
export async function getForecast(db: Db, id: string): Promise<StoredForecastRow | null> {
  const row = await getPrediction(db, id);
  return row && { ...row, record: parseStoredPrediction({ ...row.record, id: row.id, statement: row.statement }) };
}

export type StoredForecastRow = Omit<typeof predictions.$inferSelect, 'record'> & { record: StoredPrediction };

export async function getPrediction(db: Db, id: string) {
  const rows = await db.select().from(predictions).where(eq(predictions.id, id)).limit(1);
  return rows[0] ?? null;
}

/** Every revision of the given forecasts, oldest first. */
export async function listPredictionRevisions(db: Db, ids: string[]) {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(predictionRevisions)
    .where(and(inArray(predictionRevisions.predictionId, ids)))
    .orderBy(asc(predictionRevisions.predictionId), asc(predictionRevisions.revision));
}
