import { describe, expect, it } from 'vitest';
import { storeScoringBatch, listScoringClaims } from '@signpost/db';
import { createTestDb } from '@signpost/db/testing';
import { refreshStandings } from '@signpost/ledger';
import { createLogger } from '@signpost/log';
import { createApp } from '../app.tsx';
import { HOSTILE_TITLE, NOW, SCORER } from '../../test/fixture.ts';
import { useFixtureApp } from '../../test/fixture-app.ts';

const fx = useFixtureApp();

/** The forecasts listed on the overview, in order (each card's heading links to its page). */
const cardIds = (body: string) => [...body.matchAll(/<li class="forecast"><div><h3><a href="\/predictions\/([^"]+)"/g)].map((m) => m[1]);
/** The card of one forecast on the overview. */
const card = (body: string, id: string) => body.slice(body.indexOf(`<a href="/predictions/${id}"`)).split('</li>')[0]!;

const text = async (path: string) => {
  const res = await fx.app.request(path);
  return { status: res.status, body: await res.text(), res };
};

describe('overview', () => {
  it('shows every forecast with status, probability, counts, sparkline and last evidence', async () => {
    const { status, body } = await text('/');
    expect(status).toBe(200);
    expect(body.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(body.match(/<li class="forecast"/g)).toHaveLength(3);
    expect(body).toContain('China will not sanction Russia &lt;b&gt;ever&lt;/b&gt;');
    expect(body).toContain('Andrew Latham · The Hill · 2022-03-24');
    expect(body).toContain('<strong>97 %</strong>');
    expect(body).toContain('<span class="counts"><span>3 supporting</span> <span>1 undermining</span> <span>0 discussing</span></span>');
    // The record's status first, the momentum beside it, and when both were computed.
    expect(body).toContain('class="momentum momentum-');
    expect(body).toContain('As of 2026-03-20 12:00 UTC (the last cycle).');
    expect(body).toContain('class="badge status-holding"');
    expect(body).toContain('class="badge status-resolved-true"');
    expect(body).toContain('class="sparkline"');
    // What the statuses mean is said once, in the legend, not as a tooltip on every card's badge.
    const legend = body.slice(body.indexOf('<details class="legend">'), body.indexOf('</details>'));
    expect(legend).toContain('<dd>the evidence since publication mostly supports it</dd>');
    expect(legend).toContain('<dd>it came true</dd>');
    expect(body.slice(body.indexOf('<ol class="forecasts"'))).not.toContain('title=');
    expect(body).toContain('Иван Петров · 环球时报');
  });

  it('escapes feed content and never links a javascript: URL', async () => {
    const { body } = await text('/');
    expect(body).not.toContain('<script>window.__pwned');
    expect(body).not.toContain('<img src=x');
    expect(body).toContain('&lt;script&gt;window.__pwned = 1&lt;/script&gt;');
    expect(body).not.toMatch(/href="javascript:/i);
    expect(body).toMatch(/<a href="https:\/\/wire\.example\/5" rel="noopener noreferrer">/);
  });

  it('filters by tag, status and author, and keeps the chosen values selected', async () => {
    const byTag = (await text('/?tag=trade')).body;
    expect(byTag.match(/<li class="forecast"/g)).toHaveLength(2);
    expect(byTag).toContain('<option selected="">trade</option>'); // an option's value is its text
    const byStatus = (await text('/?status=holding')).body;
    expect(cardIds(byStatus)).toEqual(['no-sanctions']);
    const byAuthor = (await text(`/?author=${encodeURIComponent('Иван Петров')}`)).body;
    expect(cardIds(byAuthor)).toEqual(['sanctions-bite']);
    expect((await text('/?tag=nothing-has-this')).body).toContain('No forecast matches these filters.');
  });

  it('sorts by recent movement by default, and by balance or id on request', async () => {
    // sanctions-bite moved from nothing to +0.47 within the last 4 weeks; trade-200b never moved.
    expect(cardIds((await text('/')).body)).toEqual(['sanctions-bite', 'no-sanctions', 'trade-200b']);
    expect(cardIds((await text('/?sort=id')).body)).toEqual(['no-sanctions', 'sanctions-bite', 'trade-200b']);
    expect(cardIds((await text('/?sort=balance')).body).at(-1)).toBe('trade-200b');
  });

  it('shows contradicting forecasts side by side', async () => {
    const { body } = await text('/');
    const section = body.slice(body.indexOf('id="contradictions"'));
    expect(section).toContain('class="pair"');
    expect(section).toContain('href="/predictions/no-sanctions"');
    expect(section).toContain('href="/predictions/sanctions-bite"');
  });

  it('reflects new judgments once the worker has stored the standings', async () => {
    const before = (await text('/?sort=id')).body;
    expect(card(before, 'trade-200b')).toContain('<span>0 supporting</span> <span>0 undermining</span> <span>0 discussing</span>');
    const claims = await listScoringClaims(fx.database.db, SCORER, { predictionId: 'trade-200b' });
    await storeScoringBatch(fx.database.db, {
      scorer: SCORER,
      judgments: [
        {
          articleId: fx.ids.b5,
          predictionId: 'trade-200b',
          scorer: SCORER,
          claimHash: claims[0]!.claimHash,
          stance: 'discuss',
          relevance: 0.5,
          confidence: 0.5,
          evidence: [],
        },
      ],
      progress: [],
    });
    // Reading computes nothing: the page changes when the worker stores the standings, as it does after each cycle's judgments.
    expect(card((await text('/?sort=id')).body, 'trade-200b')).toContain(
      '<span>0 supporting</span> <span>0 undermining</span> <span>0 discussing</span>',
    );
    await refreshStandings(fx.database.db, { scorer: SCORER, now: NOW });
    expect(card((await text('/?sort=id')).body, 'trade-200b')).toContain(
      '<span>0 supporting</span> <span>0 undermining</span> <span>1 discussing</span>',
    );
  });
});

describe('cached responses', () => {
  it('serve gzip to clients that accept it, and 304 for a matching ETag', async () => {
    const { gunzipSync } = await import('node:zlib');
    const plain = await fx.app.request('/?sort=newest');
    const plainBody = await plain.text();
    const zipped = await fx.app.request('/?sort=newest', { headers: { 'accept-encoding': 'gzip, br' } });
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    expect(zipped.headers.get('vary')).toBe('Accept-Encoding');
    expect(gunzipSync(Buffer.from(await zipped.arrayBuffer())).toString('utf8')).toBe(plainBody);
    const etag = plain.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect((await fx.app.request('/?sort=newest', { headers: { 'if-none-match': etag } })).status).toBe(304);
    expect((await fx.app.request('/?sort=newest', { headers: { 'if-none-match': '"other"' } })).status).toBe(200);
    // The gzipped form carries the same tag, weak (its bytes differ); sent back, it is a 304 too.
    const weak = zipped.headers.get('etag')!;
    expect(weak).toBe(`W/${etag}`);
    expect((await fx.app.request('/?sort=newest', { headers: { 'if-none-match': weak, 'accept-encoding': 'gzip' } })).status).toBe(304);
    // Pages the cache does not hold are gzipped too (hono's compress).
    const feeds = await fx.app.request('/feeds', { headers: { 'accept-encoding': 'gzip' } });
    expect(feeds.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(Buffer.from(await feeds.arrayBuffer())).toString('utf8')).toContain('</html>');
  });
});

describe('forecast page', () => {
  it('shows the record, the chart, signposts, evidence with highlighted sentences, and history', async () => {
    const { status, body } = await text('/predictions/no-sanctions');
    expect(status).toBe(200);
    expect(body).toContain('So, no, China will not impose sanctions on Moscow.');
    expect(body).toContain('almost certain');
    expect(body).toContain('<figure class="chart">');
    expect(body).toContain('class="bar-agree"');
    expect(body).toContain('<polyline class="record"');
    expect(body).toContain(`href="#evidence-${fx.ids.a1}"`);
    expect(body).toContain('Beijing rejects calls to join sanctions');
    expect(body).toContain('<mark class="stance-disagree">Banks are weighing &lt;curbs&gt; on Russian clients.</mark>');
    expect(body).toContain('Новости 新闻');
    expect(body).toContain('confidence 50 %');
    expect(body).toMatch(/<td>1<\/td><td>\d{4}-\d{2}-\d{2}<\/td><td>added<\/td>/);
    expect(body).toContain('type="application/atom+xml"');
    expect(body).not.toContain('<script>window');
    expect(body).not.toContain('name="_csrf"');
  });

  it('filters the evidence list by stance', async () => {
    const { body } = await text('/predictions/no-sanctions?stance=disagree');
    expect(body.match(/<li id="evidence-/g)).toHaveLength(1);
  });

  it('answers 404 for an unknown forecast', async () => {
    expect((await fx.app.request('/predictions/nope')).status).toBe(404);
  });
});

describe('other pages', () => {
  it('track record shows authors with resolved forecasts, Brier scores and calibration', async () => {
    const { body } = await text('/track-record');
    expect(body).toContain('Иван Петров');
    // sanctions-bite: probability 0.3, resolved true → Brier (0.3 − 1)² = 0.49
    expect(body).toContain('0.490');
    expect(body).toContain('Calibration');
    expect(body).not.toContain('<td>Andrew Latham</td>');
  });

  it('feeds page lists every feed with its health', async () => {
    const { body } = await text('/feeds');
    expect(body).toContain('Новости 新闻');
    expect(body.match(/<tr>/g)!.length).toBeGreaterThanOrEqual(3);
  });

  it('Atom feed lists the evidence, escaped, with safe links', async () => {
    const res = await fx.app.request('/predictions/no-sanctions/feed.atom');
    expect(res.headers.get('content-type')).toContain('application/atom+xml');
    const xml = await res.text();
    expect(xml.match(/<entry>/g)).toHaveLength(4);
    expect(xml).toContain('&lt;script&gt;');
    expect(xml).not.toContain('javascript:window');
    expect(xml).toContain('<link rel="self" type="application/atom+xml" href="http://localhost/predictions/no-sanctions/feed.atom"/>');
    expect((await fx.app.request('/predictions/nope/feed.atom')).status).toBe(404);
    // `updated` is when the evidence was found (its judgment stored, NOW in the fixture), not when the
    // article was published: evidence a backfill finds in an old article must look new to a feed reader.
    const entry = xml.slice(xml.indexOf('<entry>'), xml.indexOf('</entry>'));
    expect(entry).toContain(`<updated>${NOW.toISOString()}</updated>`);
    expect(entry).toMatch(/<published>2026-03-17T/);
    expect(xml).toContain(`<updated>${NOW.toISOString()}</updated>\n  <generator>`);
    expect(xml).toContain('[supports]');
  });

  it('logs a failure and shows a friendly error page', async () => {
    const other = await createTestDb();
    const logged: unknown[] = [];
    const logger = createLogger({ level: 'silent' });
    logger.error = ((...args: unknown[]) => void logged.push(args)) as typeof logger.error;
    const broken = createApp({ db: other.db, logger, scorer: SCORER });
    await other.close();
    const res = await broken.request('/');
    expect(res.status).toBe(500);
    expect(await res.text()).toContain('Something went wrong');
    expect(logged).toHaveLength(1);
    expect((await broken.request('/api/predictions')).status).toBe(500);
  });

  it('the stylesheet is served from the same origin (the CSP allows no inline styles or scripts)', async () => {
    const res = await fx.app.request('/assets/style.css');
    expect(res.headers.get('content-type')).toContain('text/css');
    // Tagged once at start, not hashed per request; a browser revalidating after max-age gets a 304.
    const tag = res.headers.get('etag')!;
    expect(tag).toMatch(/^"[\w-]+"$/);
    expect((await fx.app.request('/assets/style.css', { headers: { 'if-none-match': tag } })).status).toBe(304);
    const csp = (await fx.app.request('/')).headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    // Cached pages are built whole (sendBytes) and every other response gets its headers from the
    // middleware: both carry the same security headers.
    const security = (res: Response) =>
      [...res.headers].filter(([k]) => !['etag', 'content-type', 'vary', 'cache-control', 'content-length'].includes(k));
    const generic = security(await fx.app.request('/feeds'));
    expect(generic.map(([k]) => k)).toContain('x-frame-options');
    expect(security(await fx.app.request('/'))).toEqual(generic);
    expect(security(await fx.app.request('/assets/style.css'))).toEqual(generic);
  });
});

export { HOSTILE_TITLE };

describe('a resolution written into predictions.yaml between two cycles', () => {
  it('shows at once as the status, without recomputing the standing', async () => {
    const { FORECASTS } = await import('../../test/fixture.ts');
    const { syncPredictions } = await import('@signpost/db');
    const changed = FORECASTS.map((f) =>
      f.id === 'trade-200b' ? { ...f, resolution: { status: 'false', date: '2025-01-05', note: 'trade fell short' } } : f,
    );
    await syncPredictions(
      fx.database.db,
      changed.map((f) => ({ id: f.id, statement: f.statement, record: f as unknown as Record<string, unknown> })),
      NOW,
    );
    const body = (await text('/?sort=id')).body;
    expect(card(body, 'trade-200b')).toContain('<span class="badge status-resolved-false">');
    // The record beside it is the stored one, as of the last cycle.
    expect(body).toContain('As of 2026-03-20 12:00 UTC (the last cycle).');
  });
});
