import { sql } from 'drizzle-orm';
import { queryRows, type Db } from '../create-db.ts';

/** Answers whether the database responds; used by `GET /healthz`. */
export async function pingDb(db: Db): Promise<boolean> {
  const [row] = await queryRows<{ ok: number }>(db, sql`select 1 as ok`);
  return row?.ok === 1;
}
