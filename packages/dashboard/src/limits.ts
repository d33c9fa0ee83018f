/**
 * Who is asking, and how often they may fail to prove they are the admin (issue #14: ten bad logins
 * from anyone locked the real admin out for everyone; bearer tokens could be guessed without limit).
 * Counting is per client address (an IPv6 client by its /64, which one host can fill), in this
 * process's memory: a restart forgets, and separate dashboard processes count apart.
 */
import type { IncomingMessage } from 'node:http';
import type { Context, Env, MiddlewareHandler } from 'hono';
import { MemoryStore, rateLimiter } from 'hono-rate-limiter';
import ipaddr from 'ipaddr.js';

/** Failed logins or bearer tokens from one address before it must wait. */
export const FAILED_AUTH_LIMIT = 10;
export const FAILED_AUTH_WINDOW_MS = 10 * 60_000;
/** Admin API calls (bearer) from one address per minute, failed or not. */
export const BEARER_LIMIT = 60;
export const BEARER_WINDOW_MS = 60_000;

/** The address an admin-auth limit counts by: the IPv4 address, or the /64 of an IPv6 one. */
export function addressKey(address: string): string {
  if (!ipaddr.isValid(address)) return 'unknown';
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  if (parsed.kind() === 'ipv4') return parsed.toString();
  const parts = (parsed as ipaddr.IPv6).parts.slice(0, 4);
  return `${new ipaddr.IPv6([...parts, 0, 0, 0, 0]).toString()}/64`;
}

/**
 * The client's address. Behind a reverse proxy (`trustProxy`, SIGNPOST_TRUST_PROXY=1) the last
 * X-Forwarded-For entry, which the proxy itself appended; otherwise the socket's peer (anything a
 * client writes into X-Forwarded-For is then ignored, or it could pick a fresh address per guess).
 */
export function clientAddress(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req
      .header('x-forwarded-for')
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .at(-1);
    if (forwarded && ipaddr.isValid(forwarded)) return forwarded;
  }
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? 'unknown';
}

export interface AuthLimits<E extends Env> {
  /**
   * Counts answers of 401 (a wrong token, at the login form or as a bearer) per address; past
   * FAILED_AUTH_LIMIT in FAILED_AUTH_WINDOW_MS the address gets 429 until the window ends, whatever
   * it sends. Other addresses, the real admin's among them, are not affected.
   */
  failures: MiddlewareHandler<E>;
  /** At most BEARER_LIMIT admin API calls per address and minute. */
  bearer: MiddlewareHandler<E>;
}

export function createAuthLimits<E extends Env>(options: {
  trustProxy: boolean;
  /** The 429 answer (JSON for the API, a page for forms); Retry-After is set already. */
  refuse(c: Context<E>): Response | Promise<Response>;
}): AuthLimits<E> {
  const keyGenerator = (c: Context<E>) => addressKey(clientAddress(c, options.trustProxy));
  const handler = (c: Context<E>) => options.refuse(c);
  return {
    failures: rateLimiter<E>({
      windowMs: FAILED_AUTH_WINDOW_MS,
      limit: FAILED_AUTH_LIMIT,
      keyGenerator,
      store: new MemoryStore(),
      standardHeaders: 'draft-6',
      skipSuccessfulRequests: true,
      requestWasSuccessful: (c) => c.res.status !== 401,
      handler,
    }),
    bearer: rateLimiter<E>({
      windowMs: BEARER_WINDOW_MS,
      limit: BEARER_LIMIT,
      keyGenerator,
      store: new MemoryStore(),
      standardHeaders: 'draft-6',
      handler,
    }),
  };
}
