import { and, eq, gt, isNull, lt } from 'drizzle-orm';
import type { Db } from '../create-db.ts';
import { adminSessions } from '../schema.ts';

/** Records a new admin login (by the hash of its nonce) and clears logins that ended over a day ago. */
export async function createAdminSession(db: Db, id: string, expiresAt: Date, now = new Date()): Promise<void> {
  await db.delete(adminSessions).where(lt(adminSessions.expiresAt, new Date(now.getTime() - 86_400_000)));
  await db.insert(adminSessions).values({ id, createdAt: now, expiresAt });
}

/** True while the login exists, has not expired and was not logged out. */
export async function isAdminSessionLive(db: Db, id: string, now = new Date()): Promise<boolean> {
  const [row] = await db
    .select({ id: adminSessions.id })
    .from(adminSessions)
    .where(and(eq(adminSessions.id, id), isNull(adminSessions.revokedAt), gt(adminSessions.expiresAt, now)));
  return !!row;
}

/** Ends a login for good (logout): its cookie is no session from now on, wherever it is presented. */
export async function revokeAdminSession(db: Db, id: string, now = new Date()): Promise<void> {
  await db
    .update(adminSessions)
    .set({ revokedAt: now })
    .where(and(eq(adminSessions.id, id), isNull(adminSessions.revokedAt)));
}
