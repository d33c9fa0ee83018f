import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The name of the admin session cookie. */
export const SESSION_COOKIE = 'signpost_session';
/** How long a login lasts. */
export const SESSION_TTL_MS = 12 * 3600 * 1000;

export interface AdminSession {
  /** The token forms must echo in `_csrf`; bound to this session. */
  csrf: string;
  expiresAt: Date;
}

/** Where logins are recorded, so that a logout ends the session for good (packages/db, admin_sessions). */
export interface SessionStore {
  create(id: string, expiresAt: Date, now: Date): Promise<void>;
  isLive(id: string, now: Date): Promise<boolean>;
  revoke(id: string, now: Date): Promise<void>;
}

export interface AdminAuth {
  /** False when no SIGNPOST_ADMIN_TOKEN is set: the dashboard is read-only. */
  enabled: boolean;
  /** Compares a presented token with the admin token in constant time. */
  checkToken(token: string | undefined | null): boolean;
  /** Checks an `Authorization: Bearer …` header. */
  checkBearer(header: string | undefined | null): boolean;
  /** A new signed session cookie value. */
  createSession(now: Date): Promise<{ value: string; session: AdminSession }>;
  /** The session a cookie value stands for, or null when it is missing, forged, expired or logged out. */
  readSession(value: string | undefined | null, now: Date): Promise<AdminSession | null>;
  /** Logs a session out on the server: its cookie is no session any more, even if kept and sent again. */
  revokeSession(value: string | undefined | null, now: Date): Promise<void>;
  /** Constant-time check of a form's `_csrf` field against the session. */
  checkCsrf(session: AdminSession | null, presented: unknown): boolean;
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** The stored id of a session: a hash of its nonce, so the table holds nothing a cookie could be made from. */
function sessionId(nonce: string): string {
  return sha256(`session:${nonce}`).toString('hex');
}

function sameText(a: string, b: string): boolean {
  // Hashing first gives equal lengths, so timingSafeEqual never throws and leaks no length.
  return timingSafeEqual(sha256(a), sha256(b));
}

/**
 * Admin sessions: the cookie is `<expiry>.<nonce>.<HMAC>`, signed with a key derived from the
 * installation's session secret (kept in the database) and the admin token, so changing the token
 * ends every session. Each login is also recorded in `sessions` by the hash of its nonce, so that a
 * logout ends it on the server (a stolen or kept cookie stops working). The CSRF token is a second
 * HMAC of the nonce: forms carry it, and a cross-site page can neither read nor forge it.
 */
export function createAdminAuth(options: { adminToken?: string; getSecret: () => Promise<string>; sessions: SessionStore }): AdminAuth {
  const token = options.adminToken;
  let keyPromise: Promise<Buffer> | undefined;
  const key = () =>
    (keyPromise ??= options
      .getSecret()
      .then((secret) =>
        createHmac('sha256', secret)
          .update(`session:${sha256(token ?? '').toString('hex')}`)
          .digest(),
      )
      .catch((error: unknown) => {
        keyPromise = undefined;
        throw error;
      }));
  const sign = async (data: string) =>
    createHmac('sha256', await key())
      .update(data)
      .digest('base64url');
  /** The nonce and expiry of a cookie this installation signed and that has not expired, or null. */
  const verify = async (value: string | undefined | null, now: Date) => {
    if (!token || !value) return null;
    const m = /^(\d{1,12})\.([A-Za-z0-9_-]{10,64})\.([A-Za-z0-9_-]{20,100})$/.exec(value);
    if (!m) return null;
    const [, expiry, nonce, mac] = m;
    if (!sameText(mac!, await sign(`${expiry}.${nonce}`))) return null;
    const expiresAt = new Date(Number(expiry) * 1000);
    return expiresAt.getTime() > now.getTime() ? { nonce: nonce!, expiresAt } : null;
  };

  return {
    enabled: !!token,
    checkToken: (presented) => !!token && typeof presented === 'string' && presented.length > 0 && sameText(presented, token),
    checkBearer(header) {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
      return !!token && !!m && sameText(m[1]!, token);
    },
    async createSession(now) {
      if (!token) throw new Error('auth: no admin token is set; the dashboard is read-only');
      const expires = Math.floor((now.getTime() + SESSION_TTL_MS) / 1000);
      const expiresAt = new Date(expires * 1000);
      const nonce = randomBytes(18).toString('base64url');
      const payload = `${expires}.${nonce}`;
      await options.sessions.create(sessionId(nonce), expiresAt, now);
      return { value: `${payload}.${await sign(payload)}`, session: { csrf: await sign(`csrf.${nonce}`), expiresAt } };
    },
    async readSession(value, now) {
      const signed = await verify(value, now);
      if (!signed || !(await options.sessions.isLive(sessionId(signed.nonce), now))) return null;
      return { csrf: await sign(`csrf.${signed.nonce}`), expiresAt: signed.expiresAt };
    },
    async revokeSession(value, now) {
      const signed = await verify(value, now);
      if (signed) await options.sessions.revoke(sessionId(signed.nonce), now);
    },
    checkCsrf: (session, presented) => !!session && typeof presented === 'string' && sameText(presented, session.csrf),
  };
}
