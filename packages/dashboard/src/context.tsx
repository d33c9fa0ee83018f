import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { Context } from 'hono';
import { accepts } from 'hono/accepts';
import type { Child } from 'hono/jsx';
import type { Db } from '@signpost/db';
import type { Logger } from '@signpost/log';
import type { AdminAuth, AdminSession } from './auth.ts';
import type { LedgerCache } from './cache.ts';
import type { AuthLimits } from './limits.ts';
import { loadForecastViews } from './forecasts.ts';
import { Layout } from './views/layout.tsx';
import { refreshStandings } from '@signpost/ledger';
import { SECURITY_HEADERS, etagMatches } from './security-headers.ts';

export type DashboardEnv = { Variables: { admin: AdminSession | null } };
export type DashboardContextC = Context<DashboardEnv>;

/**
 * Judgments whose confidence lies in [min, max) go to the review queue: below `min` the scorer
 * hardly commits to the stance (and they weigh little in the ledger), at `max` and above it is
 * usually right. Confidence is relevance × P(stance | related) (docs/scoring.md).
 */
export const REVIEW_BAND = { min: 0.35, max: 0.6 } as const;

/** What every route sees: dependencies plus the shared cache and auth. */
export interface DashboardContext {
  db: Db;
  logger: Logger;
  scorer: string;
  now: () => Date;
  cache: LedgerCache;
  /** How long a page not covered by the cache's version (feed health) may be kept, in ms (AppDeps.cacheTtlMs). */
  pageTtlMs: number;
  auth: AdminAuth;
  /** Failed-login and bearer limits, per client address (limits.ts). */
  limits: AuthLimits<DashboardEnv>;
  trustProxy: boolean;
  publicUrl?: string;
  triggerRun?: () => Promise<string>;
  reviewBand: { min: number; max: number };
}

/** A full HTML page (hono/jsx emits no doctype of its own). */
export function renderPage(
  c: DashboardContextC,
  ctx: DashboardContext,
  title: string,
  body: Child,
  options: { status?: 200 | 400 | 401 | 403 | 404 | 429 | 500; feedUrl?: string } = {},
) {
  return c.html(
    pageHtml({ title, body, admin: !!c.get('admin'), adminEnabled: ctx.auth.enabled, feedUrl: options.feedUrl }),
    options.status ?? 200,
  );
}

export function pageHtml(p: { title: string; body: Child; admin: boolean; adminEnabled: boolean; feedUrl?: string }): string {
  return `<!DOCTYPE html>${(
    <Layout title={p.title} admin={p.admin} adminEnabled={p.adminEnabled} feedUrl={p.feedUrl}>
      {p.body}
    </Layout>
  ).toString()}`;
}

/** The site's own origin as the outside sees it (publicUrl when set). */
export function siteOrigin(c: Context, publicUrl?: string): string {
  if (publicUrl) return publicUrl.replace(/\/+$/, '');
  return new URL(c.req.url).origin;
}

/** Every forecast's view (stored standings), cached under the standings version. */
export function cachedForecastViews(ctx: DashboardContext) {
  return ctx.cache.get('views', () => loadForecastViews(ctx.db, { now: ctx.now() }));
}

/**
 * Recomputes and stores the standings of the forecasts an analyst's edit touched (an override or a
 * resolution), then drops cached pages so the edit shows at once.
 */
export async function refreshForecastStandings(ctx: DashboardContext, predictionIds: string[]): Promise<void> {
  await refreshStandings(ctx.db, { scorer: ctx.scorer, now: ctx.now(), predictionIds });
  ctx.cache.bump();
}

/**
 * A cached response body: UTF-8 bytes (pages hold non-Latin text and typographic signs, and
 * encoding a two-byte string on every request costs more than the route itself), its ETag, hashed
 * once, and its gzip form, made once on first demand.
 */
export interface CachedBody {
  raw: Uint8Array;
  gzip?: Uint8Array;
  etag: string;
  /** The response headers of each way it has been sent (content type, gzip or not, cache-control), made once. */
  headers?: Map<string, Record<string, string>>;
}

export function encodeBody(text: string): CachedBody {
  const raw = Buffer.from(text, 'utf8');
  return { raw, etag: `"${createHash('sha1').update(raw).digest('base64url').slice(0, 22)}"` };
}

const CONTENT_TYPES = {
  html: 'text/html; charset=UTF-8',
  json: 'application/json; charset=utf-8',
  css: 'text/css; charset=utf-8',
} as const;

/** Responses `sendBytes` built whole: the app's generic middleware (app.tsx) leaves them as they are. */
const builtWhole = new WeakSet<Response>();

export function isBuiltWhole(res: Response): boolean {
  return builtWhole.has(res);
}

/**
 * Sends a cached body as one finished response: gzipped when the client accepts it (gzipped once
 * and kept: gzipping the same bytes on every request cost 3 to 10 times the cached answer, issue
 * #16), a 304 when If-None-Match names its tag, and the security headers, all in one plain header
 * object. This is the path of every cached page view, so it does no per-request work that a
 * generic middleware would repeat: no hashing, no header set one at a time (which the Node
 * adapter then copies and validates again). The gzipped form's tag is weak, as hono's `compress`
 * would make it: the bytes differ.
 */
export function sendBytes(
  c: Context,
  body: CachedBody,
  type: keyof typeof CONTENT_TYPES,
  options: { cacheControl?: string } = {},
): Response {
  // Most requests either ask for gzip or send no Accept-Encoding at all (as the bench does): parse it only when it names gzip.
  const gzip =
    body.raw.length >= 1024 &&
    !!c.req.header('accept-encoding')?.includes('gzip') &&
    accepts(c, { header: 'Accept-Encoding', supports: ['gzip'], default: 'identity' }) === 'gzip';
  const variant = `${type}:${gzip}:${options.cacheControl ?? ''}`;
  body.headers ??= new Map();
  let headers = body.headers.get(variant);
  if (!headers) {
    headers = {
      ...SECURITY_HEADERS,
      'content-type': CONTENT_TYPES[type],
      vary: 'Accept-Encoding',
      etag: gzip ? `W/${body.etag}` : body.etag,
      ...(options.cacheControl ? { 'cache-control': options.cacheControl } : undefined),
      ...(gzip ? { 'content-encoding': 'gzip' } : undefined),
    };
    body.headers.set(variant, headers);
  }
  let res: Response;
  if (etagMatches(headers.etag!, c.req.header('if-none-match'))) {
    // As hono's etag middleware answers: the validators and caching headers of the 200, no body.
    const cacheControl = headers['cache-control'];
    res = new Response(null, {
      status: 304,
      headers: { etag: headers.etag!, vary: 'Accept-Encoding', ...(cacheControl ? { 'cache-control': cacheControl } : undefined) },
    });
  } else {
    if (gzip) body.gzip ??= gzipSync(body.raw, { level: 6 });
    // The header object is shared by every response of this variant: nothing downstream changes it
    // in place (the Node adapter copies it, and a later c.header() copies it into a Headers first).
    res = new Response((gzip ? body.gzip : body.raw) as Uint8Array<ArrayBuffer>, { status: 200, headers });
  }
  builtWhole.add(res);
  return res;
}
