import { zValidator } from '@hono/zod-validator';
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { getForecast, listArticles, listFeedHealth } from '@signpost/db';
import { RELATED_STANCES, isRelatedStance, momentumLabel, stanceLabel, statusLabel } from '@signpost/vocabulary';
import { cachedForecastViews, encodeBody, sendBytes, type DashboardContext, type DashboardEnv } from '../context.tsx';
import { loadEvidence, safeHttpUrl } from '../forecasts.ts';
import { MAX_INT4, controlCharacter, isForecastId } from '../input.ts';

/** A query parameter given once (a repeated one arrives as a list and is refused). */
const param = (name: string) => z.string({ error: `${name} must be given once` }).optional();

/** `?limit=`: a positive whole number, at most `max`; absent or empty means `fallback`. */
const limitParam = (fallback: number, max: number) =>
  param('limit')
    .refine((v) => v === undefined || v === '' || (/^\d+$/.test(v) && Number(v) >= 1), {
      error: (issue) => `limit must be a positive whole number (got "${String(issue.input).slice(0, 40)}")`,
    })
    .transform((v) => (v ? Math.min(Number(v), max) : fallback));

const evidenceQuery = z.object({
  limit: limitParam(50, 500),
  stance: param('stance').refine((v) => v === undefined || isRelatedStance(v), {
    error: (issue) => `stance must be one of ${RELATED_STANCES.join(', ')} (got "${String(issue.input).slice(0, 40)}")`,
  }),
});

const articlesQuery = z.object({
  limit: limitParam(50, 500),
  feed: param('feed')
    .refine((v) => v === undefined || (/^\d{1,10}$/.test(v) && Number(v) <= MAX_INT4), {
      error: (issue) => `feed must be a feed id (a whole number up to ${MAX_INT4}; got "${String(issue.input).slice(0, 40)}")`,
    })
    .transform((v) => (v === undefined ? undefined : Number(v))),
  q: param('q')
    .refine((v) => v === undefined || v.length <= 200, { error: 'q must be at most 200 characters' })
    .superRefine((v, ctx) => {
      const bad = v === undefined ? null : controlCharacter(v);
      if (bad) ctx.addIssue({ code: 'custom', message: `q must not contain control characters (found ${bad})` });
    }),
});

/** Checks a route's query with zod; a bad one is a 400 whose error names the parameter and what is wrong. */
function validQuery<S extends z.ZodType>(schema: S) {
  return zValidator('query', schema, (result, c: Context) => {
    if (!result.success) return c.json({ error: `api: ${result.error.issues[0]?.message ?? 'bad query'}` }, 400);
  });
}

/** Read-only JSON API (docs/contracts.md, "HTTP"). */
export function createApiRoutes(ctx: DashboardContext) {
  const app = new Hono<DashboardEnv>();

  app.get('/api/predictions', async (c) => {
    const body = await ctx.cache.get('api:predictions', async () =>
      encodeBody(
        JSON.stringify(
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
            series: v.standing.series.map((p) => ({
              week: p.week,
              agree: p.agree,
              disagree: p.disagree,
              discuss: p.discuss,
              balance: p.balance,
            })),
          })),
        ),
      ),
    );
    return sendBytes(c, body, 'json');
  });

  app.get('/api/predictions/:id/evidence', validQuery(evidenceQuery), async (c) => {
    const id = c.req.param('id');
    const { limit, stance } = c.req.valid('query');
    if (!isForecastId(id)) return c.json({ error: `api: no forecast with id "${id.slice(0, 100)}"` }, 404);
    const body = await ctx.cache.get(`api:evidence:${id}\u0000${stance ?? ''}\u0000${limit}`, async () => {
      const prediction = await getForecast(ctx.db, id);
      if (!prediction) return null;
      const published = prediction.record.published;
      const { items } = await ctx.cache.get(`evidence:${id}`, () =>
        loadEvidence(ctx.db, { scorer: ctx.scorer, predictionId: id, published }),
      );
      return encodeBody(
        JSON.stringify(
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
        ),
      );
    });
    if (body === null) return c.json({ error: `api: no forecast with id "${id.slice(0, 100)}"` }, 404);
    return sendBytes(c, body, 'json');
  });

  app.get('/api/articles', validQuery(articlesQuery), async (c) => {
    const { feed, q, limit } = c.req.valid('query');
    const rows = await listArticles(ctx.db, { feedId: feed, q: q || undefined, limit });
    return c.json(
      rows.map((r) => ({ id: Number(r.id), url: r.url, title: r.title, published: r.published, feeds: r.feeds, language: r.language })),
    );
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
