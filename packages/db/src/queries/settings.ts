import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../create-db.ts';
import { settings } from '../schema.ts';

/**
 * A random secret kept in the database under `key`, created on first use; every process sharing the
 * database gets the same one (the insert races are settled by the primary key).
 */
export async function getOrCreateSecret(db: Db, key: string): Promise<string> {
  await db.insert(settings).values({ key, value: randomBytes(32).toString('base64url') }).onConflictDoNothing();
  const [row] = await db.select({ value: settings.value }).from(settings).where(eq(settings.key, key));
  return row!.value;
}
