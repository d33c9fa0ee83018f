/**
 * Unsubscribe links carry a signed token: the address and an HMAC of it under a secret the caller
 * passes in (the worker keeps it in the database under UNSUBSCRIBE_SECRET_KEY), so a link works for
 * exactly one address and cannot be forged or altered. Tokens do not expire: an unsubscribe link in
 * an old digest must keep working. Pure: recording the unsubscribe is the worker's
 * (apps/worker/src/digest/unsubscribe.ts).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The settings key of the secret that signs unsubscribe tokens (`getOrCreateSecret` in @signpost/db). */
export const UNSUBSCRIBE_SECRET_KEY = 'digest.unsubscribe-secret';

/** One spelling per address (as @signpost/db's digest ledger stores it): trimmed, lower case. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

function mac(secret: string, email: string): Buffer {
  return createHmac('sha256', secret)
    .update(`signpost-unsubscribe\n${normaliseEmail(email)}`)
    .digest();
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
