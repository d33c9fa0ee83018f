import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { Db } from '@signpost/db';
import { listFeedHealth, listPredictions, pingDb } from '@signpost/db';
import type { Logger } from '@signpost/log';
import { Layout, stylesheet } from './views/layout.tsx';

export interface AppDeps {
  db: Db;
  logger: Logger;
  /** Admin token; without it the dashboard is read-only. */
  adminToken?: string;
  publicUrl?: string;
}

function html(body: string) {
  return `<!DOCTYPE html>${body}`;
}

/** Builds the dashboard. Tested with `app.request()`; only index.ts (or `start`) listens on a port. */
export function createApp(deps: AppDeps) {
  const app = new Hono();

  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
      },
      xFrameOptions: 'DENY',
      referrerPolicy: 'no-referrer',
    }),
  );

  app.get('/healthz', async (c) => {
    try {
      const ok = await pingDb(deps.db);
      return c.json({ ok, database: ok ? 'up' : 'down' }, ok ? 200 : 503);
    } catch (error) {
      deps.logger.warn({ err: error }, 'healthz: database did not answer');
      return c.json({ ok: false, database: 'down' }, 503);
    }
  });

  app.get('/assets/style.css', (c) => {
    c.header('cache-control', 'public, max-age=3600');
    return c.body(stylesheet, 200, { 'content-type': 'text/css; charset=utf-8' });
  });

  app.get('/', async (c) => {
    const predictions = await listPredictions(deps.db);
    return c.html(
      html(
        (
          <Layout title="Forecasts">
            <h1>Forecasts</h1>
            {predictions.length === 0 ? (
              <p class="empty">No forecasts yet. Add one to data/predictions.yaml and run <code>signpost check</code>.</p>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th scope="col">Forecast</th>
                    <th scope="col">Status</th>
                  </tr>
                </thead>
                <tbody>
                  {predictions.map((p) => (
                    <tr>
                      <td>
                        <a href={`/predictions/${encodeURIComponent(p.id)}`}>{p.statement}</a>
                      </td>
                      <td class="muted">no evidence yet</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </Layout>
        ).toString(),
      ),
    );
  });

  app.get('/feeds', async (c) => {
    const feeds = await listFeedHealth(deps.db);
    return c.html(
      html(
        (
          <Layout title="Feeds">
            <h1>Feed health</h1>
            {feeds.length === 0 ? (
              <p class="empty">No feeds yet. List them in data/feeds.yaml.</p>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th scope="col">Feed</th>
                    <th scope="col">Status</th>
                    <th scope="col">Last fetch</th>
                    <th scope="col">Errors</th>
                    <th scope="col">Next check</th>
                    <th scope="col">Articles</th>
                  </tr>
                </thead>
                <tbody>
                  {feeds.map((f) => (
                    <tr>
                      <td>
                        {f.title ?? f.url}
                        <div class="muted">{f.url}</div>
                      </td>
                      <td>{f.active ? f.status : 'removed'}</td>
                      <td>{f.lastFetchedAt?.toISOString() ?? 'never'}</td>
                      <td>
                        {f.errorCount}
                        {f.lastError ? <div class="muted">{f.lastError}</div> : null}
                      </td>
                      <td>{f.nextCheckAt.toISOString()}</td>
                      <td>{f.articles}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </Layout>
        ).toString(),
      ),
    );
  });

  app.get('/api/feeds', async (c) => {
    const feeds = await listFeedHealth(deps.db);
    return c.json(
      feeds.map((f) => ({
        id: f.id,
        url: f.url,
        title: f.title,
        status: f.active ? f.status : 'removed',
        lastFetchedAt: f.lastFetchedAt,
        lastError: f.lastError,
        errorCount: f.errorCount,
        nextCheckAt: f.nextCheckAt,
        articles: f.articles,
      })),
    );
  });

  app.notFound((c) =>
    c.html(
      html(
        (
          <Layout title="Not found">
            <h1>Not found</h1>
            <p>There is nothing at this address. <a href="/">Back to the forecasts</a>.</p>
          </Layout>
        ).toString(),
      ),
      404,
    ),
  );

  app.onError((error, c) => {
    deps.logger.error({ err: error, path: c.req.path }, 'dashboard: request failed');
    if (c.req.path.startsWith('/api/') || c.req.path === '/healthz') return c.json({ error: 'internal error' }, 500);
    return c.html(
      html(
        (
          <Layout title="Something went wrong">
            <h1>Something went wrong</h1>
            <p>The error was logged. Try again in a moment.</p>
          </Layout>
        ).toString(),
      ),
      500,
    );
  });

  return app;
}

export type DashboardApp = ReturnType<typeof createApp>;
