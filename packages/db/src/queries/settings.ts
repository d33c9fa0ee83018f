import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../create-db.ts';
import { settings } from '../schema.ts';

/**
 * A random secret kept in the database under `key`, created on first use; every process sharing the
 * database gets the same one (the insert races are settled by the primary key).
 */
export async function getOrCreateSecret(db: Db, key: string): Promise<string> {
  await db
    .insert(settings)
    .values({ key, value: randomBytes(32).toString('base64url') })
    .onConflictDoNothing();
  const [row] = await db.select({ value: settings.value }).from(settings).where(eq(settings.key, key));
  return row!.value;
}

/** The settings key naming the scorer whose judgments count where they exist (SIGNPOST_JUDGE=llm). */
export const JUDGE_SETTING = 'judge';

/**
 * Records whose judgment counts: a model's scorer id (`llm:<model>@<prompt version>`), or null for
 * the built-in scorer. Written by the worker each cycle from SIGNPOST_JUDGE, read by the ledger in
 * every process sharing the database (dashboards, digest), so they all count the same judgments.
 */
export async function setPreferredScorer(db: Db, scorer: string | null, now = new Date()): Promise<void> {
  if (!scorer) {
    await db.delete(settings).where(eq(settings.key, JUDGE_SETTING));
    return;
  }
  await db
    .insert(settings)
    .values({ key: JUDGE_SETTING, value: scorer, updatedAt: now })
    .onConflictDoUpdate({ target: settings.key, set: { value: scorer, updatedAt: now }, setWhere: sql`${settings.value} <> ${scorer}` });
}

/** The scorer whose judgments count where they exist, or null (the built-in scorer's). */
export async function readPreferredScorer(db: Db): Promise<string | null> {
  const [row] = await db.select({ value: settings.value }).from(settings).where(eq(settings.key, JUDGE_SETTING));
  return row?.value ?? null;
}
