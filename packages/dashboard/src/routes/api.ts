import { Hono } from 'hono';
import { getPrediction, listArticles, listFeedHealth } from '@signpost/db';
import { RELATED_STANCES, isRelatedStance, momentumLabel, stanceLabel, statusLabel } from '@signpost/vocabulary';
import { cachedForecastViews, encodeBody, sendBytes, type DashboardContext, type DashboardEnv } from '../context.tsx';
import { loadEvidence, safeHttpUrl } from '../forecasts.ts';
import { MAX_INT4, controlCharacter, isForecastId } from '../input.ts';


class ApiInputError extends Error {
  override name = 'ApiInputError';
}

function readLimit(value: string | undefined, fallback: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new ApiInputError(`api: limit must be a positive whole number (got "${value.slice(0, 40)}")`);
  return Math.min(Number(value), max);
}

/** Read-only JSON API (docs/contracts.md, "HTTP"). */
export function createApiRoutes(ctx: DashboardContext) {
  const app = new Hono<DashboardEnv>();

  app.onError((error, c) => {
    if (error instanceof ApiInputError) return c.json({ error: error.message }, 400);
    throw error;
  });

  app.get('/api/predictions', async (c) => {
    const body = await ctx.cache.get('api:predictions', async () =>
      encodeBody(JSON.stringify(
        (await cachedForecastViews(ctx)).map((v) => ({
          id: v.id,
          statement: v.statement,
          // The vocabulary's status (docs/standings.md) and its label as the dashboard shows it.
          status: v.standing.status,
          statusLabel: statusLabel(v.standing.status),
          // `balance` is the record's: all evidence since publication, undecayed.
          balance: v.standing.balance,
          record: v.standing.record,
          momentum: { ...v.standing.momentum, label: momentumLabel(v.standing.momentum.status) },
          counts: v.standing.counts,
          background: v.standing.background,
          resolution: v.resolution,
          asOf: v.standing.asOf,
          // The contract's fields per week (the record's weights stay in `record`): the series runs over
          // the forecast's whole life, and every byte here is sent on every request.
          series: v.standing.series.map((p) => ({ week: p.week, agree: p.agree, disagree: p.disagree, discuss: p.discuss, balance: p.balance })),
        })),
      )),
    );
    return sendBytes(c, body, 'json');
  });

  app.get('/api/predictions/:id/evidence', async (c) => {
    const id = c.req.param('id');
    const limit = readLimit(c.req.query('limit'), 50, 500);
    const stance = c.req.query('stance');
    if (stance !== undefined && !isRelatedStance(stance)) throw new ApiInputError(`api: stance must be one of ${RELATED_STANCES.join(', ')} (got "${stance.slice(0, 40)}")`);
    if (!isForecastId(id)) return c.json({ error: `api: no forecast with id "${id.slice(0, 100)}"` }, 404);
    const body = await ctx.cache.get(`api:evidence:${id}\u0000${stance ?? ''}\u0000${limit}`, async () => {
      const prediction = await getPrediction(ctx.db, id);
      if (!prediction) return null;
      const published = (prediction.record as { published?: string }).published;
      const { items } = await ctx.cache.get(`evidence:${id}`, () => loadEvidence(ctx.db, { scorer: ctx.scorer, predictionId: id, published }));
      return encodeBody(JSON.stringify(
        items
          .filter((i) => !stance || i.stance === stance)
          .slice(0, limit)
          .map((i) => ({
            articleId: i.articleId,
            url: safeHttpUrl(i.article.url),
            title: i.article.title,
            published: i.publishedAt.toISOString(),
            feed: i.article.feeds[0] ? (i.article.feeds[0].title ?? i.article.feeds[0].url) : null,
            stance: i.stance,
            stanceLabel: stanceLabel(i.stance),
            confidence: i.confidence,
            evidence: i.evidence,
          })),
      ));
    });
    if (body === null) return c.json({ error: `api: no forecast with id "${id.slice(0, 100)}"` }, 404);
    return sendBytes(c, body, 'json');
  });

  app.get('/api/articles', async (c) => {
    const feedParam = c.req.query('feed');
    if (feedParam !== undefined && !(/^\d{1,10}$/.test(feedParam) && Number(feedParam) <= MAX_INT4)) {
      throw new ApiInputError(`api: feed must be a feed id (a whole number up to ${MAX_INT4}; got "${feedParam.slice(0, 40)}")`);
    }
    const q = c.req.query('q');
    if (q !== undefined && q.length > 200) throw new ApiInputError('api: q must be at most 200 characters');
    const bad = q === undefined ? null : controlCharacter(q);
    if (bad) throw new ApiInputError(`api: q must not contain control characters (found ${bad})`);
    const rows = await listArticles(ctx.db, { feedId: feedParam === undefined ? undefined : Number(feedParam), q: q || undefined, limit: readLimit(c.req.query('limit'), 50, 500) });
    return c.json(rows.map((r) => ({ id: Number(r.id), url: r.url, title: r.title, published: r.published, feeds: r.feeds, language: r.language })));
  });

  app.get('/api/feeds', async (c) => {
    const feeds = await listFeedHealth(ctx.db);
    return c.json(
      feeds.map((f) => ({
        id: f.id,
        url: f.url,
        title: f.title,
        status: f.active ? f.status : 'removed',
        lastFetchedAt: f.lastFetchedAt,
        lastSuccessAt: f.lastSuccessAt,
        pausedAt: f.pausedAt,
        pausedBy: f.pausedBy,
        lastError: f.lastError,
        errorCount: f.errorCount,
        warnings: f.warnings,
        nextCheckAt: f.nextCheckAt,
        articles: f.articles,
      })),
    );
  });

  return app;
}
