import { Hono } from 'hono';
import { FEED_HEALTH_RULES, listFeedHealth } from '@signpost/db';
import type { AdminSession } from '../auth.ts';
import { encodeBody, pageHtml, renderPage, sendBytes, type CachedBody, type DashboardContext, type DashboardEnv } from '../context.tsx';
import { ColumnHeads, CsrfField, ExternalLink, formatDateTime, num } from '../views/components.tsx';

const DAY = 86_400_000;

/** How a feed stands, in words: paused and by whom, or failing for how long (and probed daily after a month). */
export function feedState(
  f: { active: boolean; status: string; pausedAt: Date | null; pausedBy: string | null; lastSuccessAt: Date | null; createdAt: Date },
  now: Date,
): string | null {
  if (!f.active) return null;
  if (f.pausedAt && f.pausedBy === 'admin') return `Paused by an admin on ${formatDateTime(f.pausedAt)}: not fetched until resumed.`;
  if (f.pausedAt)
    return `Paused on ${formatDateTime(f.pausedAt)} after answering "not found" or "gone" ${FEED_HEALTH_RULES.pauseGoneAfter} times in a row; probed once a day and resumed when it answers.`;
  if (f.status !== 'error') return null;
  const days = Math.floor((now.getTime() - (f.lastSuccessAt ?? f.createdAt).getTime()) / DAY);
  const since = f.lastSuccessAt ? `last worked ${formatDateTime(f.lastSuccessAt)}` : 'has never worked';
  return days >= FEED_HEALTH_RULES.probeDailyAfterDays ? `Failing for ${days} days (${since}); probed once a day.` : `Failing; ${since}.`;
}

export function createFeedsRoutes(ctx: DashboardContext) {
  const app = new Hono<DashboardEnv>();
  /**
   * The page as visitors who are not logged in see it, kept for ctx.pageTtlMs. Feed health changes with
   * every fetch, which the cache's version does not follow, so this page was rendered for every request:
   * a count over article_sources and a row per feed, on the thread that runs PGlite. In bench/load's
   * stall view that query was the largest one in the dashboard's stalls during a cycle (a fifth of the
   * requests; 210 feeds). An admin's page (pause and resume buttons, shown at once) is not kept.
   */
  let kept: { at: number; page: Promise<CachedBody> } | null = null;
  app.get('/feeds', async (c) => {
    const admin = c.get('admin');
    if (admin) return renderPage(c, ctx, 'Feeds', await renderFeeds(admin));
    const at = Date.now();
    if (!kept || at - kept.at >= ctx.pageTtlMs) {
      const page = renderFeeds(null).then((body) =>
        encodeBody(pageHtml({ title: 'Feeds', body, admin: false, adminEnabled: ctx.auth.enabled })),
      );
      const mine = { at, page };
      kept = mine;
      page.catch(() => {
        if (kept === mine) kept = null;
      });
    }
    return sendBytes(c, await kept.page, 'html');
  });

  async function renderFeeds(admin: AdminSession | null) {
    const feeds = await listFeedHealth(ctx.db);
    const failing = feeds.filter((f) => f.active && f.status === 'error').length;
    const paused = feeds.filter((f) => f.active && f.pausedAt).length;
    const now = ctx.now();
    return (
      <>
        <h1>Feed health</h1>
        {feeds.length === 0 ? (
          <p class="empty">No feeds yet. List them in data/feeds.yaml.</p>
        ) : (
          <>
            <p class="muted">
              {feeds.filter((f) => f.active).length} feeds, {failing} failing, {paused} paused, {feeds.reduce((t, f) => t + f.articles, 0)}{' '}
              articles collected.
            </p>
            <table class="stack">
              <ColumnHeads
                columns={[
                  'Feed',
                  'Status',
                  'Last fetch',
                  'Last success',
                  'Last error, warnings',
                  num('Errors'),
                  'Next check',
                  num('Articles'),
                  admin ? 'Admin' : null,
                ]}
              />
              <tbody>
                {feeds.map((f) => {
                  const status = !f.active ? 'removed' : f.pausedAt ? 'paused' : f.status;
                  const state = feedState(f, now);
                  return (
                    <tr>
                      <td>
                        {f.title ?? f.url}
                        <div class="muted small">
                          <ExternalLink href={f.url}>{f.url}</ExternalLink> · <a href={`/api/articles?feed=${f.id}`}>articles (JSON)</a>
                        </div>
                      </td>
                      <td>
                        <span
                          class={`badge status-${status === 'ok' ? 'holding' : status === 'error' ? 'under-pressure' : status === 'paused' ? 'contested' : 'no-evidence'}`}
                        >
                          {status}
                        </span>
                        {state ? <div class="small">{state}</div> : null}
                      </td>
                      <td>{formatDateTime(f.lastFetchedAt)}</td>
                      <td>{formatDateTime(f.lastSuccessAt)}</td>
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
                      {admin ? (
                        <td>
                          {f.active ? (
                            <form
                              class="inline"
                              method="post"
                              action={`/feeds/${f.id}/${f.pausedAt ? 'resume' : 'pause'}`}
                              aria-label={`${f.pausedAt ? 'Resume' : 'Pause'} ${f.title ?? f.url}`}
                            >
                              <CsrfField token={admin.csrf} />
                              <button type="submit" class={f.pausedAt ? '' : 'secondary'}>
                                {f.pausedAt ? 'Resume' : 'Pause'}
                              </button>
                            </form>
                          ) : null}
                        </td>
                      ) : null}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </>
        )}
      </>
    );
  }
  return app;
}
