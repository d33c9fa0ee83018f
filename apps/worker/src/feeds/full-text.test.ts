import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractArticleText, fetchFullText, needsFullText } from './full-text.ts';
import { closeFeedConnections } from './safe-fetch.ts';
import { readFixture, serve, startTestServer, type TestServer } from '../../test/test-server.ts';

const local = { allowPrivateNetworks: true } as const;

describe('extractArticleText', () => {
  it('keeps the article paragraphs and drops navigation, ads, scripts and footer', () => {
    const a = extractArticleText(readFixture('article.html').toString('utf8'), 'https://wire.example.org/a')!;
    expect(a.title).toBe('Russia and China sign Power of Siberia 2 gas deal');
    expect(a.text).toContain('Moscow and Beijing agreed on Tuesday on the price formula');
    expect(a.text).toContain('CNPC declined to comment on the terms.');
    expect(a.text.split('\n\n').length).toBeGreaterThanOrEqual(4);
    for (const junk of ['trackArticleView', 'Buy premium', 'Privacy', 'Rouble steady', 'dataLayer']) {
      expect(a.text).not.toContain(junk);
    }
  });

  it('returns null or a scrap for a page without an article (fetchFullText then refuses it as too short)', () => {
    expect(extractArticleText('<html><body></body></html>', 'https://x.example/')).toBeNull();
    const scrap = extractArticleText('<html><body><nav><a href="/">Home</a></nav></body></html>', 'https://x.example/');
    expect(scrap === null || scrap.text.length < 20).toBe(true);
  });
});

describe('fetchFullText', () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startTestServer({
      '/article': serve(readFixture('article.html'), { 'content-type': 'text/html; charset=utf-8' }),
      '/moved': serve('', { location: '/article' }, 301),
      '/ru': serve(readFixture('article-1251.html'), { 'content-type': 'text/html' }),
      '/pdf': serve(Buffer.from('%PDF-1.7'), { 'content-type': 'application/pdf' }),
      '/stub': serve('<html><body><article><p>Subscribe to read.</p></article></body></html>', { 'content-type': 'text/html' }),
      '/slow': (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.write('<html><body>');
        const t = setInterval(() => res.write('<p>.</p>'), 100);
        res.on('close', () => clearInterval(t));
      },
    });
  });
  afterAll(async () => {
    await srv.close();
    await closeFeedConnections();
  });

  it('fetches (following redirects) and extracts clean text', async () => {
    const r = await fetchFullText(srv.url('/moved'), local);
    if (!r.ok) throw new Error(r.reason);
    expect(r.finalUrl).toBe(srv.url('/article'));
    expect(r.text).toContain('50 billion cubic metres');
  });

  it('decodes a windows-1251 page named by <meta http-equiv>', async () => {
    const r = await fetchFullText(srv.url('/ru'), local);
    if (!r.ok) throw new Error(r.reason);
    expect(r.text).toContain('Председатель КНР Си Цзиньпин прибыл в Москву с трёхдневным государственным визитом.');
    expect(r.text).not.toContain('Главная');
  });

  it('reports reasons instead of throwing', async () => {
    const pdf = await fetchFullText(srv.url('/pdf'), local);
    expect(pdf).toEqual({ ok: false, reason: `feeds: full text of ${srv.url('/pdf')}: not an HTML page (application/pdf)` });
    const stub = await fetchFullText(srv.url('/stub'), local);
    expect(stub.ok).toBe(false);
    if (!stub.ok) expect(stub.reason).toMatch(/no article found|too short/);
    const missing = await fetchFullText(srv.url('/missing'), local);
    expect(missing).toMatchObject({ ok: false, kind: 'http_4xx' });
  });

  it('applies the timeout, size cap and SSRF guard of the feed fetcher', async () => {
    expect(await fetchFullText(srv.url('/slow'), { ...local, timeoutMs: 300 })).toMatchObject({ ok: false, kind: 'timeout' });
    expect(await fetchFullText(srv.url('/article'), { ...local, maxBytes: 500 })).toMatchObject({ ok: false, kind: 'too_large' });
    const before = srv.requests.length;
    expect(await fetchFullText(srv.url('/article'))).toMatchObject({ ok: false, kind: 'ssrf' });
    expect(srv.requests.length).toBe(before);
  });

  it('takes an injected fetcher', async () => {
    const r = await fetchFullText('https://wire.example.org/a', {
      fetcher: async (url) => ({ url, contentType: 'text/html', body: readFixture('article.html') }),
    });
    expect(r).toMatchObject({ ok: true, finalUrl: 'https://wire.example.org/a', byline: expect.stringContaining('Anna Petrova') });
  });

  it('needsFullText', () => {
    expect(needsFullText({ content: null, summary: 'short' })).toBe(true);
    expect(needsFullText({ content: 'x'.repeat(600), summary: null })).toBe(false);
  });
});
