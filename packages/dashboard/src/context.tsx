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
 * once, and its gzip form, made once on first demand. hono's `etag` middleware answers
 * If-None-Match from the tag; `compress` (app.tsx) gzips every other response.
 */
export interface CachedBody {
  raw: Uint8Array;
  gzip?: Uint8Array;
  etag: string;
}

export function encodeBody(text: string): CachedBody {
  const raw = Buffer.from(text, 'utf8');
  return { raw, etag: `"${createHash('sha1').update(raw).digest('base64url').slice(0, 22)}"` };
}

export function sendBytes(c: Context, body: CachedBody, type: 'html' | 'json') {
  c.header('content-type', type === 'html' ? 'text/html; charset=UTF-8' : 'application/json; charset=utf-8');
  c.header('vary', 'Accept-Encoding');
  // Gzipped once and kept: `compress` would gzip the same bytes on every request, which costs 3 to
  // 10 times the cached answer (the overview, /api/predictions; issue #16). It leaves a response
  // that has a Content-Encoding alone. The tag is weak, as `compress` makes it: the bytes differ.
  if (body.raw.length >= 1024 && accepts(c, { header: 'Accept-Encoding', supports: ['gzip'], default: 'identity' }) === 'gzip') {
    body.gzip ??= gzipSync(body.raw, { level: 6 });
    c.header('content-encoding', 'gzip');
    c.header('etag', `W/${body.etag}`);
    return c.body(body.gzip as Uint8Array<ArrayBuffer>, 200);
  }
  c.header('etag', body.etag);
  return c.body(body.raw as Uint8Array<ArrayBuffer>, 200);
}
