import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { compress } from 'hono/compress';
import { getCookie } from 'hono/cookie';
import { etag } from 'hono/etag';
import type { Db } from '@signpost/db';
import { createAdminSession, getOrCreateSecret, isAdminSessionLive, pingDb, readStandingsVersion, revokeAdminSession } from '@signpost/db';
import type { Logger } from '@signpost/log';
import { SCORER_ID } from '@signpost/scoring';
import { SESSION_COOKIE, createAdminAuth } from './auth.ts';
import { createLedgerCache } from './cache.ts';
import { BodyError } from './input.ts';
import { FAILED_AUTH_WINDOW_MS, createAuthLimits } from './limits.ts';
import { REVIEW_BAND, encodeBody, isBuiltWhole, renderPage, sendBytes, type DashboardContext, type DashboardEnv } from './context.tsx';
import { setSecurityHeaders } from './security-headers.ts';
import { createAdminRoutes } from './routes/admin.tsx';
import { createDigestPreviewRoutes, type DigestPreviewDeps } from './routes/digest-preview.tsx';
import { createApiRoutes } from './routes/api.ts';
import { createAtomRoutes } from './routes/atom.ts';
import { createFeedsRoutes } from './routes/feeds.tsx';
import { createOverviewRoutes } from './routes/overview.tsx';
import { createPredictionRoutes } from './routes/prediction.tsx';
import { createTrackRecordRoutes } from './routes/track-record.tsx';
import { createUnsubscribeRoutes } from './routes/unsubscribe.ts';
import { stylesheet } from './views/layout.tsx';

export interface AppDeps {
  db: Db;
  logger: Logger;
  /** Admin token; without it the dashboard is read-only. */
  adminToken?: string;
  publicUrl?: string;
  /** The current scorer version ("<name>@<version>"); the ledger prefers its judgments. Default: SCORER_ID. */
  scorer?: string;
  /** The clock (standings decay with time). Default: the system clock. */
  now?: () => Date;
  /**
   * Starts a cycle now (the admin "run now" button and `POST /api/admin/run`); resolves once it has
   * started, with a short description such as a run id. Without it the button is disabled.
   */
  triggerRun?: () => Promise<string>;
  /** How stale cached pages may be after the worker writes judgments, in ms. Default 1000. */
  cacheTtlMs?: number;
  /**
   * After the worker writes new judgments or standings, for how long a cached page of the previous
   * version may still be served while it is rendered again in the background, one page at a time
   * (cache.ts), in ms. Default 10,000; 0 renders every page again on its next request.
   */
  cacheStaleMs?: number;
  /** Confidence band of the review queue. Default REVIEW_BAND. */
  reviewBand?: { min: number; max: number };
  /** The admin digest preview (`/admin/digest`): subscribers and the rendered digest, from the worker. Without it the page says so (404). */
  digestPreview?: DigestPreviewDeps;
  /**
   * Records the unsubscribe a signed token asks for (`POST /unsubscribe`): the address, or null when
   * the token is not valid. The worker hands it in (apps/worker/src/digest/unsubscribe.ts).
   */
  unsubscribe?: (token: string) => Promise<string | null>;
  /**
   * Behind a reverse proxy (SIGNPOST_TRUST_PROXY): the client's address, which failed logins are
   * counted by, is the last X-Forwarded-For entry rather than the socket's peer.
   */
  trustProxy?: boolean;
}

/** Largest request body the dashboard reads (forms and admin API calls are a few hundred bytes). */
export const MAX_BODY_BYTES = 64 * 1024;

/** Builds the dashboard. Tested with `app.request()`; only index.ts (or `start`) listens on a port. */
export function createApp(deps: AppDeps) {
  const app = new Hono<DashboardEnv>();
  const ctx: DashboardContext = {
    db: deps.db,
    logger: deps.logger,
    scorer: deps.scorer ?? SCORER_ID,
    now: deps.now ?? (() => new Date()),
    cache: createLedgerCache({
      readVersion: () => readStandingsVersion(deps.db),
      ttlMs: deps.cacheTtlMs ?? 1000,
      staleMs: deps.cacheStaleMs ?? 10_000,
    }),
    pageTtlMs: deps.cacheTtlMs ?? 1000,
    auth: createAdminAuth({
      adminToken: deps.adminToken,
      getSecret: () => getOrCreateSecret(deps.db, 'session'),
      sessions: {
        create: (id, expiresAt, now) => createAdminSession(deps.db, id, expiresAt, now),
        isLive: (id, now) => isAdminSessionLive(deps.db, id, now),
        revoke: (id, now) => revokeAdminSession(deps.db, id, now),
      },
    }),
    limits: createAuthLimits<DashboardEnv>({
      trustProxy: deps.trustProxy ?? false,
      refuse: (c) => {
        const message = `Too many failed attempts from your address; try again in ${Math.round(FAILED_AUTH_WINDOW_MS / 60_000)} minutes at the latest.`;
        if (c.req.path.startsWith('/api/') || c.req.header('authorization')) return c.json({ error: `auth: ${message}` }, 429);
        return renderPage(
          c,
          ctx,
          'Too many attempts',
          <>
            <h1>Too many attempts</h1>
            <p class="error" role="alert">
              {message}
            </p>
          </>,
          { status: 429 },
        );
      },
    }),
    trustProxy: deps.trustProxy ?? false,
    publicUrl: deps.publicUrl,
    triggerRun: deps.triggerRun,
    reviewBand: deps.reviewBand ?? REVIEW_BAND,
  };

  // gzip for clients that accept it, ETags and 304s for GET, and the security headers: cached pages
  // are sent whole by sendBytes (context.tsx), with all three made once; every other response gets
  // them here, after its handler, from hono's compress and etag and SECURITY_HEADERS.
  const gzipResponse = compress();
  const tagResponse = etag();
  const finished = async () => {};
  app.use('*', async (c, next) => {
    await next();
    if (isBuiltWhole(c.res)) return;
    setSecurityHeaders(c.res);
    // Both act after `next`; here their `next` is the handler that has already run.
    await tagResponse(c, finished);
    await gzipResponse(c, finished);
  });

  // Every form and admin API body is small; a larger one is refused before it is read. GET and HEAD
  // skip the check: looking for their (absent) body makes the Node adapter build a full Request per
  // page view, a third of the cost of serving a cached page.
  const limitBody = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) =>
      c.req.path.startsWith('/api/')
        ? c.json({ error: `request body over ${MAX_BODY_BYTES} bytes` }, 413)
        : c.text(`Request body over ${MAX_BODY_BYTES} bytes`, 413),
  });
  app.use('*', (c, next) => (c.req.method === 'GET' || c.req.method === 'HEAD' ? next() : limitBody(c, next)));

  app.use('*', async (c, next) => {
    const cookie = ctx.auth.enabled ? getCookie(c, SESSION_COOKIE) : undefined;
    c.set('admin', cookie ? await ctx.auth.readSession(cookie, ctx.now()) : null);
    await next();
    // Pages shown to a logged-in admin carry a CSRF token: keep them out of shared caches.
    if (c.get('admin')) c.header('cache-control', 'private, no-store');
  });

  app.get('/healthz', async (c) => {
    try {
      const ok = await pingDb(deps.db);
      return c.json({ ok, database: ok ? 'up' : 'down' }, ok ? 200 : 503);
    } catch (error) {
      deps.logger.warn({ err: error }, 'healthz: database did not answer');
      return c.json({ ok: false, database: 'down' }, 503);
    }
  });

  // Encoded, tagged (and gzipped on first demand) once: hashing the stylesheet for its ETag on every
  // request, as the etag middleware does for a body without one, cost about 0.3 ms.
  const stylesheetBody = encodeBody(stylesheet);
  app.get('/assets/style.css', (c) => sendBytes(c, stylesheetBody, 'css', { cacheControl: 'public, max-age=3600' }));

  app.route('/', createOverviewRoutes(ctx));
  app.route('/', createPredictionRoutes(ctx));
  app.route('/', createAtomRoutes(ctx));
  app.route('/', createTrackRecordRoutes(ctx));
  app.route('/', createFeedsRoutes(ctx));
  app.route('/', createApiRoutes(ctx));
  app.route('/', createAdminRoutes(ctx));
  app.route('/', createUnsubscribeRoutes(ctx, deps.unsubscribe));
  app.route('/', createDigestPreviewRoutes(ctx, deps.digestPreview));

  app.notFound((c) => {
    if (c.req.path.startsWith('/api/')) return c.json({ error: 'not found' }, 404);
    return renderPage(
      c,
      ctx,
      'Not found',
      <>
        <h1>Not found</h1>
        <p>
          There is nothing at this address. <a href="/">Back to the forecasts</a>.
        </p>
      </>,
      { status: 404 },
    );
  });

  app.onError((error, c) => {
    if (error instanceof BodyError) {
      return c.req.path.startsWith('/api/')
        ? c.json({ error: error.message }, 400)
        : renderPage(
            c,
            ctx,
            'Cannot read that',
            <>
              <h1>Cannot read that</h1>
              <p class="error">{error.message}</p>
            </>,
            { status: 400 },
          );
    }
    deps.logger.error({ err: error, path: c.req.path }, 'dashboard: request failed');
    if (c.req.path.startsWith('/api/') || c.req.path === '/healthz') return c.json({ error: 'internal error' }, 500);
    return renderPage(
      c,
      ctx,
      'Something went wrong',
      <>
        <h1>Something went wrong</h1>
        <p>The error was logged. Try again in a moment.</p>
      </>,
      { status: 500 },
    );
  });

  return app;
}

export type DashboardApp = ReturnType<typeof createApp>;
