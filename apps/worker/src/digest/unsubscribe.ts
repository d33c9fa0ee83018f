import { getOrCreateSecret, recordUnsubscribe, type Db } from '@signpost/db';
import { UNSUBSCRIBE_SECRET_KEY, verifyUnsubscribeToken } from '@signpost/digest';

/**
 * Verifies an unsubscribe token against this installation's secret and records the unsubscribe:
 * the address, or null when the token is not valid. The dashboard's `POST /unsubscribe` calls this
 * through its `unsubscribe` dependency.
 */
export async function unsubscribeByToken(db: Db, token: string, now = new Date()): Promise<string | null> {
  const email = verifyUnsubscribeToken(await getOrCreateSecret(db, UNSUBSCRIBE_SECRET_KEY), token);
  if (email) await recordUnsubscribe(db, email, now);
  return email;
}
