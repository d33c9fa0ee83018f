import dns from 'node:dns';
import { Agent, fetch, type Response } from 'undici';
import { FeedFetchError, isFeedFetchError } from './errors.ts';
import { parseRetryAfter } from './http-headers.ts';
import { assertUrlAllowed, createGuardedLookup, isAllowListed, type ResolveHost } from './ssrf.ts';

export const DEFAULT_TIMEOUT_MS = 20_000;
export const DEFAULT_MAX_BYTES = 15 * 1024 * 1024;
export const DEFAULT_MAX_REDIRECTS = 5;
/** Names the software and what it does; pass `userAgent` to add a contact URL (e.g. SIGNPOST_PUBLIC_URL). */
export const DEFAULT_USER_AGENT = 'Signpost/0.1 (RSS/Atom feed reader that checks published forecasts against the news)';

export interface SafeFetchOptions {
  /** Total time for all hops, headers and body (default 20 s). */
  timeoutMs?: number;
  /** Cap on the decompressed body (default 15 MiB). */
  maxBytes?: number;
  /** Redirect hops allowed (default 5). */
  maxRedirects?: number;
  /** Allow loopback/private targets (SIGNPOST_ALLOW_PRIVATE_NETWORKS=1). Default false. */
  allowPrivateNetworks?: boolean;
  /**
   * `host:port` origins that may be private or loopback although allowPrivateNetworks is off
   * (SIGNPOST_ALLOW_PRIVATE_HOSTS). Only the listed origin is exempt: every redirect hop elsewhere
   * is checked again.
   */
  allowPrivateHosts?: readonly string[];
  userAgent?: string;
  /** Extra request headers (conditional GET validators, Accept). */
  headers?: Record<string, string>;
  /** Clock for Retry-After; defaults to the current time. */
  now?: Date;
  /** Test seam: DNS resolution used by the SSRF guard (default dns.lookup all=true). */
  resolveHost?: ResolveHost;
  /** Test seam: which addresses are blocked (default `isBlockedAddress`). */
  isBlockedAddress?: (ip: string) => boolean;
}

export interface RedirectHop {
  from: string;
  to: string;
  status: number;
}

export interface SafeResponse {
  /** URL of the last hop. */
  url: string;
  status: number;
  headers: Headers;
  /** Decompressed body; empty for 304. */
  body: Buffer;
  redirects: RedirectHop[];
}

const agents = new Map<string, Agent>();

/**
 * The connection pool for one hop. `open` pools resolve names with plain dns.lookup (private
 * networks allowed, or an allow-listed origin); guarded pools refuse private answers at connect time.
 * Test seams get throw-away pools, closed by the caller through `temporary`.
 */
function agentFor(opts: SafeFetchOptions, open: boolean, temporary: Map<string, Agent>): Agent {
  const custom = opts.resolveHost !== undefined || opts.isBlockedAddress !== undefined;
  const make = () =>
    new Agent({
      keepAliveTimeout: 4_000,
      connect: {
        lookup: open && !custom ? dns.lookup : (createGuardedLookup({ ...opts, allowPrivateNetworks: open }) as never),
      },
    });
  const key = open ? 'allow' : 'guarded';
  const pool = custom ? temporary : agents;
  let agent = pool.get(key);
  if (!agent) {
    agent = make();
    pool.set(key, agent);
  }
  return agent;
}

/** Closes the pooled connections (for a clean exit of one-shot commands and tests). */
export async function closeFeedConnections(): Promise<void> {
  const all = [...agents.values()];
  agents.clear();
  await Promise.all(all.map((a) => a.close()));
}

/**
 * GET with the protections every outside fetch needs: total timeout, streamed size cap, manual
 * redirects (counted, loop-checked, and each hop re-checked by the SSRF guard), gzip/deflate/br.
 * Resolves with 2xx and 304 responses; throws FeedFetchError for everything else.
 */
export async function fetchSafely(url: string, opts: SafeFetchOptions = {}): Promise<SafeResponse> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxRedirects = opts.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const policy = {
    allowPrivateNetworks: opts.allowPrivateNetworks === true,
    allowPrivateHosts: opts.allowPrivateHosts,
    isBlockedAddress: opts.isBlockedAddress,
  };
  const signal = AbortSignal.timeout(timeoutMs);
  const temporary = new Map<string, Agent>();
  const redirects: RedirectHop[] = [];
  const seen = new Set<string>();
  let current: URL;
  try {
    current = new URL(url);
  } catch {
    throw new FeedFetchError('network', `invalid URL "${url}"`, { url });
  }
  try {
    for (;;) {
      assertUrlAllowed(current, policy);
      seen.add(current.href);
      // Chosen per hop: an allow-listed origin may redirect, but its target is guarded again.
      const agent = agentFor(opts, policy.allowPrivateNetworks || isAllowListed(current, policy), temporary);
      const res = await request(current, agent, signal, opts, timeoutMs);
      if (res.status >= 300 && res.status < 400 && res.status !== 304) {
        await discard(res);
        const location = res.headers.get('location');
        if (!location) {
          throw new FeedFetchError('redirect', `${current.href} answered ${res.status} without a Location header`, {
            url: current.href,
            status: res.status,
          });
        }
        let next: URL;
        try {
          next = new URL(location, current);
        } catch {
          throw new FeedFetchError('redirect', `${current.href} redirects to an invalid URL "${location}"`, {
            url: current.href,
            status: res.status,
          });
        }
        next.hash = '';
        redirects.push({ from: current.href, to: next.href, status: res.status });
        if (seen.has(next.href)) {
          throw new FeedFetchError('redirect', `redirect loop: ${redirects.map((r) => r.from).join(' -> ')} -> ${next.href}`, {
            url: current.href,
            status: res.status,
          });
        }
        if (redirects.length > maxRedirects) {
          throw new FeedFetchError('redirect', `too many redirects (more than ${maxRedirects}) starting at ${url}`, {
            url: current.href,
            status: res.status,
          });
        }
        current = next;
        continue;
      }
      if (res.status === 304) {
        await discard(res);
        return { url: current.href, status: 304, headers: res.headers as unknown as Headers, body: Buffer.alloc(0), redirects };
      }
      if (res.status < 200 || res.status >= 300) {
        await discard(res);
        throw httpError(current.href, res, opts.now ?? new Date());
      }
      const body = await readCapped(res, current.href, maxBytes);
      return { url: current.href, status: res.status, headers: res.headers as unknown as Headers, body, redirects };
    }
  } catch (err) {
    throw classify(err, current.href, signal, timeoutMs);
  } finally {
    for (const agent of temporary.values()) void agent.close();
  }
}

async function request(url: URL, agent: Agent, signal: AbortSignal, opts: SafeFetchOptions, timeoutMs: number): Promise<Response> {
  try {
    return await fetch(url, {
      method: 'GET',
      redirect: 'manual',
      dispatcher: agent,
      signal,
      headers: {
        'user-agent': opts.userAgent ?? DEFAULT_USER_AGENT,
        'accept-encoding': 'gzip, deflate, br',
        ...opts.headers,
      },
    });
  } catch (err) {
    throw classify(err, url.href, signal, timeoutMs);
  }
}

async function discard(res: Response): Promise<void> {
  try {
    await res.body?.cancel();
  } catch {
    // the connection is dropped either way
  }
}

async function readCapped(res: Response, url: string, maxBytes: number): Promise<Buffer> {
  const length = Number(res.headers.get('content-length') ?? NaN);
  if (Number.isFinite(length) && length > maxBytes) {
    await discard(res);
    throw new FeedFetchError('too_large', `${url} is ${length} bytes, over the ${maxBytes}-byte limit`, { url });
  }
  if (!res.body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of res.body) {
    total += chunk.byteLength;
    if (total > maxBytes) {
      throw new FeedFetchError('too_large', `${url} sent more than the ${maxBytes}-byte limit`, { url });
    }
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks, total);
}

function httpError(url: string, res: Response, now: Date): FeedFetchError {
  const retryAfter = parseRetryAfter(res.headers.get('retry-after'), now);
  const status = res.status;
  const kind = status === 429 ? 'http_429' : status >= 500 ? 'http_5xx' : 'http_4xx';
  const text = res.statusText ? ` ${res.statusText}` : '';
  const wait = retryAfter ? ` (retry after ${retryAfter.toISOString()})` : '';
  return new FeedFetchError(kind, `${url} answered HTTP ${status}${text}${wait}`, { url, status, retryAfter });
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NODATA', 'EAI_NONAME', 'ENODATA']);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/** Turns whatever fetch threw into a FeedFetchError (walking the `cause` chain undici builds). */
function classify(err: unknown, url: string, signal: AbortSignal, timeoutMs: number): FeedFetchError {
  for (let e: unknown = err, depth = 0; e && depth < 6; e = (e as { cause?: unknown }).cause, depth++) {
    if (isFeedFetchError(e)) {
      if (e.url) return e;
      return new FeedFetchError(e.kind, `${e.message.replace(/^feeds: /, '')} (fetching ${url})`, {
        url,
        status: e.status,
        retryAfter: e.retryAfter,
        cause: e.cause,
      });
    }
  }
  if (signal.aborted) {
    return new FeedFetchError('timeout', `${url} did not finish within ${timeoutMs} ms`, { url, cause: err });
  }
  for (let e: unknown = err, depth = 0; e && depth < 6; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') {
      if (DNS_CODES.has(code)) {
        return new FeedFetchError('dns', `cannot resolve the host of ${url} (${code})`, { url, cause: err });
      }
      if (TIMEOUT_CODES.has(code)) {
        return new FeedFetchError('timeout', `${url} timed out (${code})`, { url, cause: err });
      }
      if (code.startsWith('E') || code.startsWith('UND_ERR') || code.startsWith('ERR_')) {
        const msg = (e as Error).message || code;
        return new FeedFetchError('network', `${url}: ${msg}${msg.includes(code) ? '' : ` (${code})`}`, { url, cause: err });
      }
    }
  }
  const msg = err instanceof Error ? err.message : String(err);
  return new FeedFetchError('network', `${url}: ${msg}`, { url, cause: err });
}
