// Fault suite helper (issue #8): a local HTTP server with one route per way a feed server can fail
// or attack, each with the outcome the worker must record. Used only by hostile-feeds.test.ts.
import type http from 'node:http';
import zlib from 'node:zlib';
import { DEFAULT_MAX_ENTRIES } from '../../src/feeds/entry-cap.ts';
import type { FeedErrorKind } from '../../src/feeds/errors.ts';
import { readFixture, serve, startTestServer, type Route, type TestServer } from '../test-server.ts';

/** What the worker must record for one hostile route. */
export type Expected = { status: 'ok'; articles: number } | { status: 'error'; kind: FeedErrorKind; message: RegExp };

export interface HostileCase {
  path: string;
  /** One line for the report and the test names. */
  what: string;
  expected: Expected;
  /** Runs into the 20 s total timeout: served from a second host so it holds no slot of the others. */
  slow?: boolean;
}

/** Items in the huge feed (issue #8: "a feed of 100,000 items"). */
export const HUGE_FEED_ITEMS = 100_000;
/** Decompressed size the gzip bomb claims: 160 gzip members of 64 MiB of zeros each. */
export const GZIP_BOMB_MEMBERS = 160;
const GZIP_MEMBER_BYTES = 64 * 1024 * 1024;

const RSS = 'application/rss+xml; charset=utf-8';

function rss(title: string, items: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>${title}</title><link>https://hostile.example/</link><description>x</description>${items}</channel></rss>\n`;
}

/** A feed of `n` short items (about 110 bytes each, 11 MB in all: under the 15 MiB body cap). */
export function renderHugeFeed(n: number): Buffer {
  const parts: string[] = [];
  for (let i = 0; i < n; i++) {
    parts.push(`<item><title>Huge item ${i}</title><link>https://huge.example/i/${i}</link><guid>huge-${i}</guid></item>\n`);
  }
  return Buffer.from(rss('Huge feed', parts.join('')), 'utf8');
}

/** Billion laughs: ten nested entities, each ten of the one before, 10^9 "lol"s if expanded. */
export function renderBillionLaughs(): string {
  const entities = ['<!ENTITY lol0 "lol">'];
  for (let i = 1; i <= 9; i++) entities.push(`<!ENTITY lol${i} "${`&lol${i - 1};`.repeat(10)}">`);
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE rss [\n${entities.join('\n')}\n]>\n` +
    `<rss version="2.0"><channel><title>Laughs &lol9;</title><link>https://laughs.example/</link><description>x</description>` +
    `<item><title>Laughing &lol9;</title><link>https://laughs.example/1</link><guid>laugh-1</guid><description>&lol9;</description></item>` +
    `</channel></rss>\n`
  );
}

/** XXE: an external entity naming a local file; a parser that resolves it would leak /etc/passwd. */
export function renderExternalEntity(): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE rss [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>\n` +
    `<rss version="2.0"><channel><title>XXE</title><link>https://xxe.example/</link><description>x</description>` +
    `<item><title>Leak &xxe;</title><link>https://xxe.example/1</link><guid>xxe-1</guid><description>secret: &xxe;</description></item>` +
    `</channel></rss>\n`
  );
}

const SCRIPT_TITLES = rss(
  'Script &lt;script&gt;alert(1)&lt;/script&gt; titles',
  `<item><title>&lt;script&gt;alert('t1')&lt;/script&gt;Sanctions &lt;b&gt;talks&lt;/b&gt; resume</title><link>https://scripts.example/1</link><guid>s-1</guid>` +
    `<description>&lt;img src=x onerror=alert(2)&gt;Body&lt;script&gt;alert(3)&lt;/script&gt;</description></item>` +
    `<item><title><![CDATA[<script>alert("t2")</script><iframe src="javascript:alert(4)"></iframe>Pipeline deal signed]]></title><link>https://scripts.example/2</link><guid>s-2</guid></item>` +
    `<item><title>Plain &amp; simple: trade up 5%</title><link>https://scripts.example/3</link><guid>s-3</guid></item>`,
);

export interface HostileServer {
  /** Most routes, on 127.0.0.2. */
  main: TestServer;
  /** The routes that run into the timeout, on 127.0.0.3 (own per-host slot). */
  slow: TestServer;
  cases: HostileCase[];
  url(c: HostileCase, query?: string): string;
  /** Bytes written per route (what the worker made the server send before it gave up). */
  sent: Map<string, number>;
  close(): Promise<void>;
}

/** Writes `next()` chunks until it returns null or the client goes away, honouring backpressure. */
function stream(res: http.ServerResponse, next: () => Buffer | null, onBytes: (n: number) => void, delayMs = 0): Promise<void> {
  return new Promise((resolve) => {
    let closed = false;
    res.on('close', () => {
      closed = true;
      resolve();
    });
    const pump = () => {
      while (!closed) {
        const chunk = next();
        if (!chunk) {
          res.end();
          return;
        }
        onBytes(chunk.length);
        const more = res.write(chunk);
        if (delayMs > 0) {
          setTimeout(pump, delayMs);
          return;
        }
        if (!more) {
          res.once('drain', pump);
          return;
        }
      }
    };
    pump();
  });
}

/**
 * Starts the hostile server. `loopbackTarget` is a URL on this machine (a good feed) that the
 * "redirect to localhost by name" route points at: the SSRF guard must refuse it although the
 * same feed is allowed under its allow-listed address.
 */
export async function startHostileServer(options: { loopbackTarget: string }): Promise<HostileServer> {
  const sent = new Map<string, number>();
  const count = (path: string) => (n: number) => sent.set(path, (sent.get(path) ?? 0) + n);
  const gzipMember = zlib.gzipSync(Buffer.alloc(GZIP_MEMBER_BYTES), { level: 9 });
  const brotliBomb = await new Promise<Buffer>((resolve, reject) => {
    // 1 GiB of zeros at quality 1: about 200 KB, built in a third of a second.
    const enc = zlib.createBrotliCompress({
      params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 1, [zlib.constants.BROTLI_PARAM_LGWIN]: 24 },
    });
    const out: Buffer[] = [];
    enc.on('data', (d: Buffer) => out.push(d));
    enc.on('end', () => resolve(Buffer.concat(out)));
    enc.on('error', reject);
    const zeros = Buffer.alloc(16 * 1024 * 1024);
    for (let i = 0; i < 64; i++) enc.write(zeros);
    enc.end();
  });
  const huge = renderHugeFeed(HUGE_FEED_ITEMS);
  const gzipGood = zlib.gzipSync(readFixture('atom.xml'));
  const target = new URL(options.loopbackTarget);
  const byName = `http://localhost:${target.port}${target.pathname}`;

  const cases: HostileCase[] = [];
  const routes: Record<string, Route> = {};
  const add = (c: HostileCase, route: Route) => {
    cases.push(c);
    routes[c.path] = route;
  };
  const err = (kind: FeedErrorKind, message: RegExp): Expected => ({ status: 'error', kind, message });

  // --- Issue #4: well-formed but awkward feeds that must be stored -------------------------------
  add(
    {
      path: '/good/rss2-awkward-items.xml',
      what: 'RSS 2.0: no GUID, no date, future date, duplicate GUID, javascript: link, <script> in title',
      expected: { status: 'ok', articles: 6 },
    },
    serve(readFixture('rss2.xml'), { 'content-type': RSS }),
  );
  add(
    { path: '/good/atom-gzip.xml', what: 'Atom, gzip Content-Encoding', expected: { status: 'ok', articles: 3 } },
    serve(gzipGood, { 'content-type': 'application/atom+xml', 'content-encoding': 'gzip' }),
  );
  add(
    { path: '/good/rdf.xml', what: 'RSS 1.0 / RDF', expected: { status: 'ok', articles: 2 } },
    serve(readFixture('rdf.xml'), { 'content-type': 'application/rdf+xml' }),
  );
  add(
    {
      path: '/good/windows-1251-header-only.xml',
      what: 'windows-1251, charset in the HTTP header only',
      expected: { status: 'ok', articles: 2 },
    },
    serve(readFixture('ru-windows-1251-nodecl.xml'), { 'content-type': 'application/rss+xml; charset=windows-1251' }),
  );
  add(
    { path: '/good/gbk-declaration-only.xml', what: 'GBK, charset in the XML declaration only', expected: { status: 'ok', articles: 2 } },
    serve(readFixture('zh-gbk-decl.xml'), { 'content-type': 'application/rss+xml' }),
  );
  add(
    {
      path: '/good/script-titles.xml',
      what: 'HTML and <script> in titles and descriptions (escaped and CDATA)',
      expected: { status: 'ok', articles: 3 },
    },
    serve(SCRIPT_TITLES, { 'content-type': RSS }),
  );
  add(
    {
      path: '/good/stale-etag.xml',
      what: 'a server that sends the same stale ETag and ignores If-None-Match',
      expected: { status: 'ok', articles: 2 },
    },
    serve(readFixture('ru-koi8-r.xml'), {
      'content-type': 'application/rss+xml',
      etag: '"never-changes"',
      'last-modified': 'Thu, 01 Jan 1970 00:00:00 GMT',
    }),
  );
  add(
    { path: '/good/redirect-chain', what: '301 then 302 (relative) to a feed', expected: { status: 'ok', articles: 2 } },
    serve('', { location: '/good/redirect-hop' }, 301),
  );
  routes['/good/redirect-hop'] = serve('', { location: 'redirect-target.xml' }, 302);
  routes['/good/redirect-target.xml'] = serve(readFixture('zh-gbk-nodecl.xml'), { 'content-type': 'application/rss+xml; charset=gbk' });
  // The parser (sax, strict) reads the DTD but never expands its entities: the references stay as
  // literal text (the test checks that nothing was expanded or read from disk).
  add(
    {
      path: '/entities/billion-laughs.xml',
      what: 'billion laughs: 10 nested DTD entities (10^9 "lol" if expanded)',
      expected: { status: 'ok', articles: 1 },
    },
    serve(renderBillionLaughs(), { 'content-type': RSS }),
  );
  add(
    {
      path: '/entities/external-entity.xml',
      what: 'XXE: external entity naming file:///etc/passwd',
      expected: { status: 'ok', articles: 1 },
    },
    serve(renderExternalEntity(), { 'content-type': RSS }),
  );

  // --- Issue #4: failures, each with its error class ---------------------------------------------
  add(
    { path: '/fail/404', what: 'HTTP 404', expected: err('http_4xx', /answered HTTP 404/) },
    serve('gone', { 'content-type': 'text/plain' }, 404),
  );
  add(
    { path: '/fail/500', what: 'HTTP 500', expected: err('http_5xx', /answered HTTP 500/) },
    serve('oops', { 'content-type': 'text/plain' }, 500),
  );
  add(
    { path: '/fail/429', what: 'HTTP 429 with Retry-After: 7200', expected: err('http_429', /answered HTTP 429 .*retry after/) },
    serve('slow down', { 'content-type': 'text/plain', 'retry-after': '7200' }, 429),
  );
  add(
    { path: '/fail/redirect-loop-a', what: 'redirect loop a -> b -> a', expected: err('redirect', /redirect loop/) },
    serve('', { location: '/fail/redirect-loop-b' }, 302),
  );
  routes['/fail/redirect-loop-b'] = serve('', { location: '/fail/redirect-loop-a' }, 302);
  add(
    { path: '/fail/malformed.xml', what: 'malformed XML (unclosed item)', expected: err('parse', /cannot parse the feed/) },
    serve(readFixture('malformed.xml'), { 'content-type': RSS }),
  );
  add(
    { path: '/fail/not-a-feed.html', what: 'an HTML page instead of a feed', expected: err('parse', /cannot parse the feed/) },
    serve(readFixture('not-a-feed.html'), { 'content-type': 'text/html' }),
  );
  add({ path: '/fail/empty', what: 'empty 200 body', expected: err('parse', /cannot parse the feed/) }, serve('', { 'content-type': RSS }));
  add(
    {
      path: '/fail/bad-charset.xml',
      what: 'unknown charset label on a body that is not UTF-8',
      expected: err('charset', /unsupported charset "x-martian"/),
    },
    serve(readFixture('ru-windows-1251-nodecl.xml'), { 'content-type': 'application/rss+xml; charset=x-martian' }),
  );
  add(
    {
      path: '/fail/over-cap',
      what: '16 MiB body with Content-Length (cap 15 MiB)',
      expected: err('too_large', /over the 15728640-byte limit/),
    },
    (_req, res) => {
      res.writeHead(200, { 'content-type': RSS, 'content-length': String(16 * 1024 * 1024) });
      // The worker refuses on the header; send a little so the socket has something in flight.
      res.end(Buffer.alloc(64 * 1024, 0x20));
    },
  );
  add(
    { path: '/fail/truncated', what: 'Content-Length 100000, connection closed after 600 bytes', expected: err('network', /./) },
    (_req, res) => {
      res.writeHead(200, { 'content-type': RSS, 'content-length': '100000' });
      res.write(readFixture('rss2.xml').subarray(0, 600), () => res.destroy());
    },
  );
  add({ path: '/fail/reset', what: 'connection reset before any answer', expected: err('network', /./) }, (req) => {
    req.socket.destroy();
  });

  // --- Issue #8: attacks on memory, time and the network ------------------------------------------
  add(
    {
      path: '/attack/gzip-bomb',
      what: `gzip bomb: ${GZIP_BOMB_MEMBERS} x 64 MiB of zeros (10 GiB) in ${Math.round((gzipMember.length * GZIP_BOMB_MEMBERS) / 1e6)} MB`,
      expected: err('too_large', /more than the 15728640-byte limit/),
    },
    (req, res) => {
      res.writeHead(200, {
        'content-type': RSS,
        'content-encoding': 'gzip',
        'content-length': String(gzipMember.length * GZIP_BOMB_MEMBERS),
      });
      let n = 0;
      return stream(res, () => (n++ < GZIP_BOMB_MEMBERS ? gzipMember : null), count(req.url!.split('?')[0]!));
    },
  );
  add(
    {
      path: '/attack/brotli-bomb',
      what: `brotli bomb: 1 GiB of zeros in ${Math.round(brotliBomb.length / 1024)} KB`,
      expected: err('too_large', /more than the 15728640-byte limit/),
    },
    (req, res) => {
      res.writeHead(200, { 'content-type': RSS, 'content-encoding': 'br' });
      count(req.url!.split('?')[0]!)(brotliBomb.length);
      res.end(brotliBomb);
    },
  );
  add(
    {
      path: '/attack/endless',
      what: 'endless chunked body at full speed (no Content-Length)',
      expected: err('too_large', /more than the 15728640-byte limit/),
    },
    (req, res) => {
      res.writeHead(200, { 'content-type': RSS });
      const chunk = Buffer.from(`<item><title>${'x'.repeat(16_000)}</title></item>\n`);
      res.write('<?xml version="1.0"?><rss version="2.0"><channel><title>Endless</title>');
      return stream(res, () => chunk, count(req.url!.split('?')[0]!));
    },
  );
  add(
    {
      path: '/attack/to-metadata',
      what: 'redirect to http://169.254.169.254/ (cloud metadata, link-local)',
      expected: err('ssrf', /refusing http:\/\/169\.254\.169\.254\//),
    },
    serve('', { location: 'http://169.254.169.254/latest/meta-data/' }, 302),
  );
  add(
    {
      path: '/attack/to-private',
      what: 'redirect to http://10.0.0.1/ (private)',
      expected: err('ssrf', /refusing http:\/\/10\.0\.0\.1\//),
    },
    serve('', { location: 'http://10.0.0.1/feed.xml' }, 302),
  );
  add(
    {
      path: '/attack/to-localhost',
      what: 'redirect to a good feed on this machine, by the name localhost',
      expected: err('ssrf', /refusing localhost: it resolves to/),
    },
    serve('', { location: byName }, 302),
  );
  // Under the byte cap; the entry cap (entry-cap.ts) keeps the first 2,000 items.
  add(
    {
      path: '/attack/huge-feed.xml',
      what: `${HUGE_FEED_ITEMS.toLocaleString('en')} items in ${(huge.length / 1e6).toFixed(1)} MB`,
      expected: { status: 'ok', articles: DEFAULT_MAX_ENTRIES },
    },
    serve(huge, { 'content-type': RSS }),
  );

  // --- Slow: each runs into the 20 s total timeout ------------------------------------------------
  add(
    {
      path: '/slow/drip',
      what: 'slow drip: 200 at once, then one byte every 500 ms, forever',
      expected: err('timeout', /did not finish within 20000 ms/),
      slow: true,
    },
    (req, res) => {
      res.writeHead(200, { 'content-type': RSS });
      const body = Buffer.from(rss('Drip', '<item><title>t</title></item>'.repeat(1000)));
      let i = 0;
      return stream(res, () => (i < body.length ? body.subarray(i, ++i) : null), count(req.url!.split('?')[0]!), 500);
    },
  );
  add(
    {
      path: '/slow/headers',
      what: 'never answers (headers never come)',
      expected: err('timeout', /did not finish within 20000 ms/),
      slow: true,
    },
    (_req, res) => new Promise<void>((resolve) => res.on('close', resolve)),
  );

  const [main, slow] = await Promise.all([startTestServer(routes, '127.0.0.2'), startTestServer(routes, '127.0.0.3')]);
  return {
    main,
    slow,
    cases,
    sent,
    url: (c, query = '') => (c.slow ? slow : main).url(c.path) + query,
    close: async () => {
      await Promise.all([main.close(), slow.close()]);
    },
  };
}
