import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { Db } from '@signpost/db';
import type { Logger } from '@signpost/log';
import type { AdminAuth, AdminSession } from './auth.ts';
import type { LedgerCache } from './cache.ts';
import { loadForecastViews } from './forecasts.ts';
import { Layout } from './views/layout.tsx';

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
  auth: AdminAuth;
  publicUrl?: string;
  triggerRun?: () => Promise<string>;
  reviewBand: { min: number; max: number };
}

/** A full HTML page (hono/jsx emits no doctype of its own). */
export function renderPage(c: DashboardContextC, ctx: DashboardContext, title: string, body: Child, options: { status?: 200 | 400 | 403 | 404 | 500; feedUrl?: string } = {}) {
  return c.html(pageHtml({ title, body, admin: !!c.get('admin'), adminEnabled: ctx.auth.enabled, feedUrl: options.feedUrl }), options.status ?? 200);
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

/** Every forecast's view, cached under the ledger version (and the hour, since evidence decays with time). */
export function cachedForecastViews(ctx: DashboardContext) {
  const now = ctx.now();
  const hour = Math.floor(now.getTime() / 3_600_000);
  return ctx.cache.get(`views:${hour}`, () => loadForecastViews(ctx.db, { scorer: ctx.scorer, now }));
}
