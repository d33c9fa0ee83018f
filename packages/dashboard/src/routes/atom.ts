import { Hono } from 'hono';
import { html } from 'hono/html';
import { getForecast } from '@signpost/db';
import { STANCE_VERBS, stanceLabel } from '@signpost/vocabulary';
import { siteOrigin, type DashboardContext, type DashboardEnv } from '../context.tsx';
import { loadEvidence, safeHttpUrl, type EvidenceItem } from '../forecasts.ts';
import { isForecastId } from '../input.ts';

/** Drops the characters XML 1.0 forbids anywhere in a document (an article title may hold them). */
function dropNonXmlCharacters(text: string): string {
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '');
}

/**
 * An Atom 1.0 document of a forecast's newest evidence, newest found first. An entry's `updated` is
 * when the evidence was found (its judgment stored), not when the article was published: evidence a
 * backfill finds in old articles is new to the reader and must look new to a feed reader.
 */
export function renderEvidenceAtom(p: { origin: string; id: string; statement: string; items: EvidenceItem[]; updated: Date }): string {
  const page = `${p.origin}/predictions/${encodeURIComponent(p.id)}`;
  // hono's `html` escapes every interpolated value (&, <, >, " and ' are the same in XML).
  const entries = p.items.map((i) => {
    const link = safeHttpUrl(i.article.url) ?? `${page}#evidence-${i.articleId}`;
    const sentences = i.evidence.map((e) => `[${stanceLabel(e.stance)}] ${e.text}`).join('\n');
    const feeds = i.article.feeds.map((f) => f.title ?? f.url).join(', ');
    return html`  <entry>
    <id>${`${page}#evidence-${i.articleId}`}</id>
    <title>${`[${stanceLabel(i.stance)}] ${i.article.title || '(untitled)'}`}</title>
    <link rel="alternate" href="${link}"/>
    <updated>${i.foundAt.toISOString()}</updated>
    <published>${i.publishedAt.toISOString()}</published>
    <summary type="text">${`${STANCE_VERBS[i.stance]} the forecast (confidence ${Math.round(i.confidence * 100)} %; article published ${i.publishedAt.toISOString().slice(0, 10)}, found ${i.foundAt.toISOString().slice(0, 10)})${feeds ? `, from ${feeds}` : ''}\n${sentences}`}</summary>
  </entry>
`;
  });
  const xml = html`<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>${page}</id>
  <title>${`Signpost evidence: ${p.statement}`}</title>
  <link rel="self" type="application/atom+xml" href="${`${page}/feed.atom`}"/>
  <link rel="alternate" type="text/html" href="${page}"/>
  <updated>${p.updated.toISOString()}</updated>
  <generator>Signpost</generator>
${entries}</feed>
`;
  return dropNonXmlCharacters(String(xml));
}

export function createAtomRoutes(ctx: DashboardContext) {
  const app = new Hono<DashboardEnv>();
  app.get('/predictions/:id/feed.atom', async (c) => {
    const id = c.req.param('id');
    const prediction = isForecastId(id) ? await getForecast(ctx.db, id) : null;
    if (!prediction) return c.notFound();
    const published = prediction.record.published;
    const { items } = await ctx.cache.get(`evidence:${id}`, () =>
      loadEvidence(ctx.db, { scorer: ctx.scorer, predictionId: id, published }),
    );
    const newest = [...items].sort((a, b) => b.foundAt.getTime() - a.foundAt.getTime() || b.articleId - a.articleId).slice(0, 50);
    const xml = renderEvidenceAtom({
      origin: siteOrigin(c, ctx.publicUrl),
      id,
      statement: prediction.statement,
      items: newest,
      updated: newest[0]?.foundAt ?? prediction.updatedAt,
    });
    return c.body(xml, 200, { 'content-type': 'application/atom+xml; charset=utf-8' });
  });
  return app;
}
