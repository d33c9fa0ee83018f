import { sql } from 'drizzle-orm';
import type { Db } from '../create-db.ts';

/** Answers whether the database responds; used by `GET /healthz`. */
export async function pingDb(db: Db): Promise<boolean> {
  const result = await db.execute<{ ok: number }>(sql`select 1 as ok`);
  return result.rows[0]?.ok === 1;
}
