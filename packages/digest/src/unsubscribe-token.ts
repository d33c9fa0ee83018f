/**
 * Unsubscribe links carry a signed token: the address and an HMAC of it under a secret kept in
 * the database (`getOrCreateSecret`), so a link works for exactly one address and cannot be forged
 * or altered. Tokens do not expire: an unsubscribe link in an old digest must keep working.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { getOrCreateSecret, normaliseEmail, recordUnsubscribe, type Db } from '@signpost/db';

/** The settings key of the secret that signs unsubscribe tokens. */
export const UNSUBSCRIBE_SECRET_KEY = 'digest.unsubscribe-secret';

function mac(secret: string, email: string): Buffer {
  return createHmac('sha256', secret).update(`signpost-unsubscribe\n${normaliseEmail(email)}`).digest();
}

/** `<base64url address>.<base64url HMAC-SHA256>` */
export function signUnsubscribeToken(secret: string, email: string): string {
  return `${Buffer.from(normaliseEmail(email)).toString('base64url')}.${mac(secret, email).toString('base64url')}`;
}

/** The address the token was made for, or null when it is malformed or its signature does not match. */
export function verifyUnsubscribeToken(secret: string, token: string): string | null {
  const m = /^([A-Za-z0-9_-]{1,700})\.([A-Za-z0-9_-]{43})$/.exec(token.trim());
  if (!m) return null;
  const email = Buffer.from(m[1]!, 'base64url').toString('utf8');
  if (!email.includes('@')) return null;
  const given = Buffer.from(m[2]!, 'base64url');
  const expected = mac(secret, email);
  return given.length === expected.length && timingSafeEqual(given, expected) ? normaliseEmail(email) : null;
}

/** The link a recipient follows to stop the digest (the dashboard's `/unsubscribe` route). */
export function unsubscribeUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/unsubscribe?token=${encodeURIComponent(token)}`;
}

/** Verifies a token against this installation's secret and records the unsubscribe; the address, or null. */
export async function unsubscribeByToken(db: Db, token: string, now = new Date()): Promise<string | null> {
  const email = verifyUnsubscribeToken(await getOrCreateSecret(db, UNSUBSCRIBE_SECRET_KEY), token);
  if (email) await recordUnsubscribe(db, email, now);
  return email;
}
