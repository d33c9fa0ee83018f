import { Hono } from 'hono';
import { listFeedHealth } from '@signpost/db';
import { renderPage, type DashboardContext, type DashboardEnv } from '../context.tsx';
import { ExternalLink, formatDateTime } from '../views/components.tsx';

export function createFeedsRoutes(ctx: DashboardContext) {
  const app = new Hono<DashboardEnv>();
  app.get('/feeds', async (c) => {
    const feeds = await listFeedHealth(ctx.db);
    const failing = feeds.filter((f) => f.active && f.status === 'error').length;
    return renderPage(
      c,
      ctx,
      'Feeds',
      <>
        <h1>Feed health</h1>
        {feeds.length === 0 ? (
          <p class="empty">No feeds yet. List them in data/feeds.yaml.</p>
        ) : (
          <>
            <p class="muted">
              {feeds.filter((f) => f.active).length} feeds, {failing} failing, {feeds.reduce((t, f) => t + f.articles, 0)} articles collected.
            </p>
            <table class="stack">
              <thead>
                <tr>
                  <th scope="col">Feed</th>
                  <th scope="col">Status</th>
                  <th scope="col">Last fetch</th>
                  <th scope="col">Last error, warnings</th>
                  <th scope="col" class="num">Errors</th>
                  <th scope="col">Next check</th>
                  <th scope="col" class="num">Articles</th>
                </tr>
              </thead>
              <tbody>
                {feeds.map((f) => {
                  const status = f.active ? f.status : 'removed';
                  return (
                    <tr>
                      <td>
                        {f.title ?? f.url}
                        <div class="muted small">
                          <ExternalLink href={f.url}>{f.url}</ExternalLink> · <a href={`/api/articles?feed=${f.id}`}>articles (JSON)</a>
                        </div>
                      </td>
                      <td>
                        <span class={`badge status-${status === 'ok' ? 'holding' : status === 'error' ? 'under-pressure' : 'no-evidence'}`}>{status}</span>
                      </td>
                      <td>{formatDateTime(f.lastFetchedAt)}</td>
                      <td class="small">
                        {f.lastError ? `${f.lastErrorKind ? `${f.lastErrorKind}: ` : ''}${f.lastError}` : '—'}
                        {f.warnings.length ? (
                          <ul class="warnings muted">
                            {f.warnings.map((w) => (
                              <li>warning: {w}</li>
                            ))}
                          </ul>
                        ) : null}
                      </td>
                      <td class="num">{f.errorCount}</td>
                      <td>{f.active ? formatDateTime(f.nextCheckAt) : '—'}</td>
                      <td class="num">{f.articles}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </>
        )}
      </>,
    );
  });
  return app;
}
