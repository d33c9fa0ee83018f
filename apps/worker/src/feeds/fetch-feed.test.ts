import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchFeed, hashBody } from './fetch-feed.ts';
import { closeFeedConnections } from './safe-fetch.ts';
import { failure, readFixture, serve, startTestServer, type TestServer } from '../../test/test-server.ts';

const local = { allowPrivateNetworks: true } as const;

describe('fetchFeed', () => {
  let srv: TestServer;
  let liarBody = 'A';
  let dripTimer: NodeJS.Timeout | undefined;
  const rss = readFixture('rss2.xml');

  beforeAll(async () => {
    srv = await startTestServer({
      '/rss': serve(rss, { 'content-type': 'application/rss+xml; charset=utf-8', 'cache-control': 'max-age=600' }),
      '/1251-header': serve(readFixture('ru-windows-1251-nodecl.xml'), { 'content-type': 'text/xml; charset=windows-1251' }),
      '/1251-decl': serve(readFixture('ru-windows-1251-decl.xml'), { 'content-type': 'application/rss+xml' }),
      '/1251-both': serve(readFixture('ru-windows-1251-decl.xml'), { 'content-type': 'text/xml; charset="Windows-1251"' }),
      '/1251-none': serve(readFixture('ru-windows-1251-nodecl.xml'), { 'content-type': 'text/xml' }),
      '/1251-header-lies-utf8': serve(readFixture('ru-windows-1251-decl.xml'), { 'content-type': 'text/xml; charset=utf-8' }),
      '/unknown-charset': serve(readFixture('ru-windows-1251-nodecl.xml'), { 'content-type': 'text/xml; charset=x-klingon' }),
      '/koi8': serve(readFixture('ru-koi8-r.xml'), { 'content-type': 'text/xml' }),
      '/gbk-header': serve(readFixture('zh-gbk-nodecl.xml'), { 'content-type': 'application/xml; charset=GBK' }),
      '/gbk-decl': serve(readFixture('zh-gbk-decl.xml'), { 'content-type': 'application/xml' }),
      '/gbk-both': serve(readFixture('zh-gbk-decl.xml'), { 'content-type': 'application/xml; charset=gb2312' }),
      '/bom': serve(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), rss]), { 'content-type': 'text/xml; charset=windows-1251' }),
      '/gzip': serve(zlib.gzipSync(rss), { 'content-type': 'application/rss+xml', 'content-encoding': 'gzip' }),
      '/br': serve(zlib.brotliCompressSync(rss), { 'content-type': 'application/rss+xml', 'content-encoding': 'br' }),
      '/r1': serve('', { location: '/r2' }, 301),
      '/r2': serve('', { location: 'r3' }, 302),
      '/r3': serve('', { location: `/rss#fragment` }, 307),
      '/loop-a': serve('', { location: '/loop-b' }, 302),
      '/loop-b': serve('', { location: '/loop-a' }, 302),
      ...Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`/chain${i}`, serve('', { location: `/chain${i + 1}` }, 302)])),
      '/no-location': serve('', {}, 302),
      '/conditional': (req, res) => {
        if (req.headers['if-none-match'] === '"v1"' || req.headers['if-modified-since'] === 'Tue, 10 Nov 2026 09:30:00 GMT') {
          res.writeHead(304, { 'cache-control': 'max-age=120' });
          res.end();
          return;
        }
        res.writeHead(200, { 'content-type': 'application/rss+xml', etag: '"v1"', 'last-modified': 'Tue, 10 Nov 2026 09:30:00 GMT' });
        res.end(rss);
      },
      '/liar': (_req, res) => {
        // Same validators whatever the content: only the body hash can tell.
        res.writeHead(200, { 'content-type': 'application/rss+xml', etag: '"stale"' });
        res.end(rss.toString('utf8').replace('Eurasia Wire', `Eurasia Wire ${liarBody}`));
      },
      '/404': serve('gone', { 'content-type': 'text/plain' }, 404),
      '/500': serve('oops', { 'content-type': 'text/plain' }, 500),
      '/429-seconds': serve('slow down', { 'retry-after': '120' }, 429),
      '/429-date': serve('slow down', { 'retry-after': 'Wed, 11 Nov 2026 08:00:00 GMT' }, 429),
      '/503-retry': serve('maintenance', { 'retry-after': '3600' }, 503),
      '/drip': (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/rss+xml' });
        res.write('<?xml version="1.0"?><rss version="2.0"><channel>');
        dripTimer = setInterval(() => res.write('<!-- drip -->'), 100);
        res.on('close', () => clearInterval(dripTimer));
      },
      '/slow-headers': (_req, res) => {
        const t = setTimeout(() => res.end(), 5_000);
        res.on('close', () => clearTimeout(t));
      },
      '/big': serve(Buffer.alloc(5000, 'a'), { 'content-type': 'application/rss+xml' }),
      '/big-chunked': (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/rss+xml' });
        for (let i = 0; i < 10; i++) res.write(Buffer.alloc(1000, 'b'));
        res.end();
      },
      '/big-gzip': serve(zlib.gzipSync(Buffer.alloc(100_000, 'c')), { 'content-encoding': 'gzip' }),
    });
  });

  afterAll(async () => {
    clearInterval(dripTimer);
    await srv.close();
    await closeFeedConnections();
  });

  it('fetches a UTF-8 RSS feed with a clear User-Agent and compression accepted', async () => {
    const res = await fetchFeed(srv.url('/rss'), { ...local, now: new Date('2026-11-10T10:00:00Z') });
    expect(res.kind).toBe('fetched');
    if (res.kind !== 'fetched') return;
    expect(res.charset).toBe('utf-8');
    expect(res.text).toContain('<title>Eurasia Wire &amp; Analysis</title>');
    expect(res.bytes).toBe(rss.byteLength);
    expect(res.bodyHash).toBe(hashBody(rss));
    expect(res.cache.freshForSeconds).toBe(600);
    const req = srv.requests.at(-1)!;
    expect(req.headers['user-agent']).toMatch(/^Signpost\//);
    expect(req.headers['accept-encoding']).toContain('br');
    expect(req.headers.accept).toContain('application/rss+xml');
    expect(req.headers['if-none-match']).toBeUndefined();
  });

  describe('charsets', () => {
    const ru = 'Россия и Китай подписали соглашение о «Силе Сибири — 2»';
    it.each([
      ['/1251-header', 'windows-1251'],
      ['/1251-decl', 'windows-1251'],
      ['/1251-both', 'windows-1251'],
      ['/1251-header-lies-utf8', 'windows-1251'],
    ])('decodes windows-1251 from %s', async (p, charset) => {
      const res = await fetchFeed(srv.url(p), local);
      if (res.kind !== 'fetched') throw new Error('expected fetched');
      expect(res.charset).toBe(charset);
      expect(res.text).toContain(ru);
      expect(res.text).toContain('Ёлки-палки');
      expect(res.text).not.toContain('\ufffd');
    });

    it('decodes KOI8-R named in the XML declaration only', async () => {
      const res = await fetchFeed(srv.url('/koi8'), local);
      if (res.kind !== 'fetched') throw new Error('expected fetched');
      expect(res.charset).toBe('koi8-r');
      expect(res.text).toContain('Россия и Китай подписали соглашение о газопроводе');
      expect(res.text).toContain('Ёлки-палки');
    });

    it.each(['/gbk-header', '/gbk-decl', '/gbk-both'])('decodes GBK (incl. chars outside GB2312) from %s', async (p) => {
      const res = await fetchFeed(srv.url(p), local);
      if (res.kind !== 'fetched') throw new Error('expected fetched');
      expect(res.charset).toBe('gb18030');
      expect(res.text).toContain('中俄签署“西伯利亚力量2号”天然气管道协议');
      expect(res.text).toContain('朱镕基时代的能源合作回顾');
    });

    it('refuses an unsupported charset on a body that is not UTF-8 (kind charset)', async () => {
      const err = await failure(fetchFeed(srv.url('/unknown-charset'), local));
      expect(err.kind).toBe('charset');
      expect(err.message).toContain('unsupported charset "x-klingon"');
    });

    it('lets a BOM win over the HTTP header', async () => {
      const res = await fetchFeed(srv.url('/bom'), local);
      if (res.kind !== 'fetched') throw new Error('expected fetched');
      expect(res.charset).toBe('utf-8');
      expect(res.text.startsWith('<?xml')).toBe(true);
    });

    it('refuses a non-UTF-8 body that names no charset (kind charset)', async () => {
      const err = await failure(fetchFeed(srv.url('/1251-none'), local));
      expect(err.kind).toBe('charset');
      expect(err.message).toMatch(/^feeds: cannot decode .*1251-none/);
    });
  });

  it.each(['/gzip', '/br'])('decompresses %s', async (p) => {
    const res = await fetchFeed(srv.url(p), local);
    if (res.kind !== 'fetched') throw new Error('expected fetched');
    expect(res.text).toBe(rss.toString('utf8'));
    expect(res.bytes).toBe(rss.byteLength);
  });

  it('follows a chain of relative redirects and reports the final URL', async () => {
    const res = await fetchFeed(srv.url('/r1'), local);
    expect(res.kind).toBe('fetched');
    expect(res.finalUrl).toBe(srv.url('/rss'));
    expect(res.redirects.map((r) => [new URL(r.to).pathname, r.status])).toEqual([
      ['/r2', 301],
      ['/r3', 302],
      ['/rss', 307],
    ]);
  });

  it('detects a redirect loop', async () => {
    const err = await failure(fetchFeed(srv.url('/loop-a'), local));
    expect(err.kind).toBe('redirect');
    expect(err.message).toContain('redirect loop');
  });

  it('stops after maxRedirects hops', async () => {
    const err = await failure(fetchFeed(srv.url('/chain0'), { ...local, maxRedirects: 5 }));
    expect(err.kind).toBe('redirect');
    expect(err.message).toContain('too many redirects');
    const ok = await failure(fetchFeed(srv.url('/chain3'), { ...local, maxRedirects: 5 }));
    expect(ok.kind).toBe('http_4xx'); // /chain8 does not exist: 5 hops were allowed
  });

  it('classifies a redirect without Location', async () => {
    expect((await failure(fetchFeed(srv.url('/no-location'), local))).kind).toBe('redirect');
  });

  it('sends validators and counts 304 as not modified', async () => {
    const first = await fetchFeed(srv.url('/conditional'), local);
    if (first.kind !== 'fetched') throw new Error('expected fetched');
    expect(first.etag).toBe('"v1"');
    expect(first.lastModified).toBe('Tue, 10 Nov 2026 09:30:00 GMT');

    const second = await fetchFeed(srv.url('/conditional'), {
      ...local,
      etag: first.etag,
      lastModified: first.lastModified,
      previousBodyHash: first.bodyHash,
    });
    expect(second).toMatchObject({ kind: 'not-modified', reason: '304', etag: '"v1"', bodyHash: first.bodyHash });
    expect(second.cache.freshForSeconds).toBe(120);
    const req = srv.requests.at(-1)!;
    expect(req.headers['if-none-match']).toBe('"v1"');
    expect(req.headers['if-modified-since']).toBe('Tue, 10 Nov 2026 09:30:00 GMT');

    const byDate = await fetchFeed(srv.url('/conditional'), { ...local, lastModified: first.lastModified });
    expect(byDate.kind).toBe('not-modified');
  });

  it('uses the body hash when a server repeats a stale ETag', async () => {
    liarBody = 'A';
    const first = await fetchFeed(srv.url('/liar'), { ...local, etag: '"stale"' });
    if (first.kind !== 'fetched') throw new Error('expected fetched');
    const same = await fetchFeed(srv.url('/liar'), { ...local, etag: first.etag, previousBodyHash: first.bodyHash });
    expect(same).toMatchObject({ kind: 'not-modified', reason: 'same-body', bodyHash: first.bodyHash });
    liarBody = 'B';
    const changed = await fetchFeed(srv.url('/liar'), { ...local, etag: first.etag, previousBodyHash: first.bodyHash });
    expect(changed.kind).toBe('fetched');
    if (changed.kind !== 'fetched') return;
    expect(changed.bodyHash).not.toBe(first.bodyHash);
    expect(changed.text).toContain('Eurasia Wire B');
  });

  it.each([
    ['/404', 'http_4xx', 404],
    ['/500', 'http_5xx', 500],
  ])('classifies %s', async (p, kind, status) => {
    const err = await failure(fetchFeed(srv.url(p), local));
    expect(err.kind).toBe(kind);
    expect(err.status).toBe(status);
    expect(err.message).toMatch(new RegExp(`^feeds: .*${p} answered HTTP ${status}`));
    expect(err.retryAfter).toBeNull();
  });

  it('reads Retry-After in seconds and as an HTTP-date on 429, and on 503', async () => {
    const now = new Date('2026-11-10T10:00:00Z');
    const a = await failure(fetchFeed(srv.url('/429-seconds'), { ...local, now }));
    expect(a.kind).toBe('http_429');
    expect(a.retryAfter?.toISOString()).toBe('2026-11-10T10:02:00.000Z');
    const b = await failure(fetchFeed(srv.url('/429-date'), { ...local, now }));
    expect(b.kind).toBe('http_429');
    expect(b.retryAfter?.toISOString()).toBe('2026-11-11T08:00:00.000Z');
    const c = await failure(fetchFeed(srv.url('/503-retry'), { ...local, now }));
    expect(c.kind).toBe('http_5xx');
    expect(c.retryAfter?.toISOString()).toBe('2026-11-10T11:00:00.000Z');
  });

  it('times out a slow-drip body and slow headers', async () => {
    const drip = await failure(fetchFeed(srv.url('/drip'), { ...local, timeoutMs: 400 }));
    expect(drip.kind).toBe('timeout');
    expect(drip.message).toContain('400 ms');
    const slow = await failure(fetchFeed(srv.url('/slow-headers'), { ...local, timeoutMs: 300 }));
    expect(slow.kind).toBe('timeout');
  });

  it.each(['/big', '/big-chunked', '/big-gzip'])('refuses %s over the size cap', async (p) => {
    const err = await failure(fetchFeed(srv.url(p), { ...local, maxBytes: 2000 }));
    expect(err.kind).toBe('too_large');
    expect(err.message).toContain('2000-byte limit');
  });

  it('classifies a refused connection as network and an unknown host as dns', async () => {
    const gone = await startTestServer({});
    const url = gone.url('/feed');
    await gone.close();
    expect((await failure(fetchFeed(url, local))).kind).toBe('network');
    const dnsErr = await failure(
      fetchFeed('http://feeds.nonexistent.test/rss', {
        resolveHost: async (host) => {
          throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
        },
      }),
    );
    expect(dnsErr.kind).toBe('dns');
    expect(dnsErr.message).toContain('feeds.nonexistent.test');
  });
});
