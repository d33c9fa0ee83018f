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

export interface AdminAuth {
  /** False when no SIGNPOST_ADMIN_TOKEN is set: the dashboard is read-only. */
  enabled: boolean;
  /** Compares a presented token with the admin token in constant time. */
  checkToken(token: string | undefined | null): boolean;
  /** Checks an `Authorization: Bearer …` header. */
  checkBearer(header: string | undefined | null): boolean;
  /** A new signed session cookie value. */
  createSession(now: Date): Promise<{ value: string; session: AdminSession }>;
  /** The session a cookie value stands for, or null when it is missing, forged or expired. */
  readSession(value: string | undefined | null, now: Date): Promise<AdminSession | null>;
  /** Constant-time check of a form's `_csrf` field against the session. */
  checkCsrf(session: AdminSession | null, presented: unknown): boolean;
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function sameText(a: string, b: string): boolean {
  // Hashing first gives equal lengths, so timingSafeEqual never throws and leaks no length.
  return timingSafeEqual(sha256(a), sha256(b));
}

/**
 * Stateless admin sessions: the cookie is `<expiry>.<nonce>.<HMAC>`, signed with a key derived from
 * the installation's session secret (kept in the database) and the admin token, so changing the
 * token ends every session. The CSRF token is a second HMAC of the nonce: forms carry it, and a
 * cross-site page can neither read nor forge it.
 */
export function createAdminAuth(options: { adminToken?: string; getSecret: () => Promise<string> }): AdminAuth {
  const token = options.adminToken;
  let keyPromise: Promise<Buffer> | undefined;
  const key = () =>
    (keyPromise ??= options
      .getSecret()
      .then((secret) => createHmac('sha256', secret).update(`session:${sha256(token ?? '').toString('hex')}`).digest())
      .catch((error: unknown) => {
        keyPromise = undefined;
        throw error;
      }));
  const sign = async (data: string) => createHmac('sha256', await key()).update(data).digest('base64url');

  return {
    enabled: !!token,
    checkToken: (presented) => !!token && typeof presented === 'string' && presented.length > 0 && sameText(presented, token),
    checkBearer(header) {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
      return !!token && !!m && sameText(m[1]!, token);
    },
    async createSession(now) {
      if (!token) throw new Error('auth: no admin token is set; the dashboard is read-only');
      const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
      const nonce = randomBytes(18).toString('base64url');
      const payload = `${Math.floor(expiresAt.getTime() / 1000)}.${nonce}`;
      return { value: `${payload}.${await sign(payload)}`, session: { csrf: await sign(`csrf.${nonce}`), expiresAt } };
    },
    async readSession(value, now) {
      if (!token || !value) return null;
      const m = /^(\d{1,12})\.([A-Za-z0-9_-]{10,64})\.([A-Za-z0-9_-]{20,100})$/.exec(value);
      if (!m) return null;
      const [, expiry, nonce, mac] = m;
      if (!sameText(mac!, await sign(`${expiry}.${nonce}`))) return null;
      const expiresAt = new Date(Number(expiry) * 1000);
      if (expiresAt.getTime() <= now.getTime()) return null;
      return { csrf: await sign(`csrf.${nonce}`), expiresAt };
    },
    checkCsrf: (session, presented) => !!session && typeof presented === 'string' && sameText(presented, session.csrf),
  };
}
