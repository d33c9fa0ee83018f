import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FeedFetchError } from './errors.ts';
import { fetchFeed } from './fetch-feed.ts';
import { normalizeLanguage, parseFeed, repairXml } from './parse-feed.ts';
import { closeFeedConnections } from './safe-fetch.ts';
import { readFixture, serve, startTestServer, type TestServer } from '../../test/test-server.ts';

const now = new Date('2026-11-10T10:00:00Z');
const fixture = (name: string) => readFixture(name).toString('utf8');

async function parseError(text: string): Promise<FeedFetchError> {
  try {
    await parseFeed(text, { feedUrl: 'https://x.example/feed', now });
  } catch (err) {
    if (err instanceof FeedFetchError) return err;
    throw err;
  }
  throw new Error('expected a parse error');
}

describe('parseFeed: RSS 2.0', () => {
  it('normalises feed metadata and items', async () => {
    const feed = await parseFeed(fixture('rss2.xml'), { feedUrl: 'https://wire.example.org/feed/', now });
    expect(feed).toMatchObject({
      format: 'rss2',
      title: 'Eurasia Wire & Analysis',
      siteUrl: 'https://wire.example.org/',
      language: 'en-US',
      ttlMinutes: 30,
    });
    const first = feed.items[0]!;
    expect(first).toMatchObject({
      key: 'guid:wire-10001',
      guid: 'wire-10001',
      canonicalUrl: 'https://wire.example.org/2026/11/10/power-of-siberia-2/',
      title: 'Russia and China sign Power of Siberia 2 gas deal',
      author: 'Anna Petrova',
      summary: 'Moscow and Beijing agreed on the price formula for the pipeline.',
      content: 'Moscow and Beijing agreed on the price formula for the pipeline.\n\nThe deal covers 50 bcm a year.',
      categories: ['Energy', 'Russia-China'],
      dateMissing: false,
      futureDate: false,
    });
    expect(first.published.toISOString()).toBe('2026-11-10T05:15:00.000Z');
    expect(first.content).not.toContain('alert');
    expect(first.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('strips HTML and <script> from titles and decodes entities', async () => {
    const feed = await parseFeed(fixture('rss2.xml'), { feedUrl: 'https://wire.example.org/feed/', now });
    const xi = feed.items.find((i) => i.guid === 'wire-10002')!;
    expect(xi.title).toBe('Xi visits Moscow & Kazan');
    expect(xi.summary).toBe('The state visit lasts three days — a "new era" of partnership.');
  });

  // Issue #14: an unclosed <svg …> in a title cut the rest of it (stored as '">').
  it('keeps an <svg> or another tag that is no HTML markup in a title as text, and the rest of the title with it', async () => {
    const xml = `<rss version="2.0"><channel><title>t</title>
      <item><title>&lt;svg onload=alert(1)&gt;Sanctions talks resume</title><link>https://s.example/1</link></item>
      <item><title><![CDATA[<svg/onload="alert(1)">Pipeline deal signed]]></title><link>https://s.example/2</link></item>
      <item><title>Why &lt;svg&gt; icons beat fonts</title><link>https://s.example/3</link></item>
      <item><title>List&lt;T&gt; in C# &amp;amp; &lt;b&gt;Go&lt;/b&gt;</title><link>https://s.example/4</link></item>
      <item><title>Talks &lt;script&gt;resume</title><link>https://s.example/5</link></item></channel></rss>`;
    const feed = await parseFeed(xml, { feedUrl: 'https://s.example/feed', now });
    expect(feed.items.map((i) => i.title)).toEqual([
      '<svg onload=alert(1)>Sanctions talks resume',
      '<svg/onload="alert(1)">Pipeline deal signed',
      'Why <svg> icons beat fonts',
      'List<T> in C# & Go',
      'Talks resume',
    ]);
  });

  it('resolves relative links against the feed URL and keeps only http(s) links', async () => {
    const feed = await parseFeed(fixture('rss2.xml'), { feedUrl: 'https://wire.example.org/feed/', now });
    const xi = feed.items.find((i) => i.guid === 'wire-10002')!;
    expect(xi.link).toBe('https://wire.example.org/2026/11/09/xi-visit?fbclid=abc123&gclid=zzz');
    expect(xi.canonicalUrl).toBe('https://wire.example.org/2026/11/09/xi-visit');
    const js = feed.items.find((i) => i.guid === 'wire-10007')!;
    expect(js.link).toBeNull();
    expect(js.published.toISOString()).toBe('2026-11-07T07:00:00.000Z'); // MSK = +03:00
  });

  it('keys items without GUID by canonical URL, handles missing and future dates, drops duplicate GUIDs', async () => {
    const feed = await parseFeed(fixture('rss2.xml'), { feedUrl: 'https://wire.example.org/feed/', now });
    expect(feed.items).toHaveLength(6);
    const noGuid = feed.items.find((i) => i.title === 'Item without a GUID')!;
    expect(noGuid.guid).toBeNull();
    expect(noGuid.key).toBe('url:https://wire.example.org/2026/11/08/no-guid');
    const noDate = feed.items.find((i) => i.title === 'Item without a date')!;
    expect(noDate.dateMissing).toBe(true);
    expect(noDate.published.toISOString()).toBe(now.toISOString());
    const future = feed.items.find((i) => i.guid === 'wire-10005')!;
    expect(future.futureDate).toBe(true);
    expect(future.published.toISOString()).toBe(now.toISOString());
    expect(feed.items.filter((i) => i.guid === 'wire-10001')).toHaveLength(1);
    expect(feed.warnings).toContain('duplicate item guid:wire-10001; kept the first');
  });

  it('keys by link when one GUID is reused for different articles', async () => {
    const xml = `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
      <item><title>A</title><link>https://s.example/a</link><guid>same</guid></item>
      <item><title>B</title><link>https://s.example/b</link><guid>same</guid></item></channel></rss>`;
    const feed = await parseFeed(xml, { feedUrl: 'https://s.example/rss', now });
    expect(feed.items.map((i) => i.key)).toEqual(['url:https://s.example/a', 'url:https://s.example/b']);
  });

  it('uses a permalink GUID as the link and a title+date hash when there is neither', async () => {
    const xml = `<rss version="2.0"><channel><title>t</title>
      <item><title>Permalink only</title><guid>https://s.example/p?utm_source=x</guid></item>
      <item><title>Nothing but a title</title><pubDate>Mon, 09 Nov 2026 17:00:00 GMT</pubDate></item>
      <item><description>Only a description, long enough to become the title of this item.</description></item>
      <item></item></channel></rss>`;
    const feed = await parseFeed(xml, { feedUrl: 'https://s.example/rss', now });
    expect(feed.items[0]!.link).toBe('https://s.example/p?utm_source=x');
    expect(feed.items[1]!.key).toMatch(/^hash:[0-9a-f]{64}$/);
    expect(feed.items[2]!.title).toBe('Only a description, long enough to become the title of this item.');
    expect(feed.items).toHaveLength(3);
    expect(feed.warnings).toContain('item 4: no title, link or text; dropped');
  });

  it('reads <rss> without a version attribute as RSS 2.0', async () => {
    const xml = '<rss><channel><title>No version</title><item><title>One</title><link>https://s.example/1</link></item></channel></rss>';
    const feed = await parseFeed(xml, { feedUrl: 'https://s.example/rss', now });
    expect(feed.format).toBe('rss2');
    expect(feed.items.map((i) => i.title)).toEqual(['One']);
  });

  it('survives HTML entities, bare ampersands and control characters', async () => {
    const xml = `\ufeff  <?xml version="1.0"?><rss version="2.0"><channel><title>AT&T&nbsp;News &mdash; daily\u0001</title>
      <item><title>Q&A: &laquo;Russia&raquo; &amp; China</title><link>https://s.example/a?x=1&y=2</link>
      <description><![CDATA[keep &nbsp; & raw]]></description></item></channel></rss>`;
    const feed = await parseFeed(xml, { feedUrl: 'https://s.example/rss', now });
    expect(feed.title).toBe('AT&T News — daily');
    expect(feed.items[0]!.title).toBe('Q&A: «Russia» & China');
    expect(feed.items[0]!.link).toBe('https://s.example/a?x=1&y=2');
    expect(feed.items[0]!.summary).toBe('keep & raw');
    expect(repairXml('<a>&bogus;</a>')).toBe('<a>&amp;bogus;</a>');
  });
});

describe('parseFeed: RSS 1.0 (RDF) and Atom', () => {
  it('reads RDF with dc:date, dc:creator, dc:language and the syndication period', async () => {
    const feed = await parseFeed(fixture('rdf.xml'), { feedUrl: 'https://journal.example.net/rss', now });
    expect(feed).toMatchObject({ format: 'rss1', title: 'Central Asia Journal', language: 'ru', ttlMinutes: 30 });
    expect(feed.items).toHaveLength(2);
    expect(feed.items[0]).toMatchObject({
      key: 'url:https://journal.example.net/articles/1',
      author: 'Daniyar Seitkali',
      title: 'Kazakhstan balances between Moscow and Beijing',
    });
    expect(feed.items[0]!.published.toISOString()).toBe('2026-11-05T04:00:00.000Z');
    expect(feed.items[1]!.title).toBe('Новый транспортный коридор через Казахстан');
    expect(feed.items[1]!.published.toISOString()).toBe('2026-11-04T00:00:00.000Z');
  });

  it('reads Atom: html titles, content vs summary, xml:lang, relative links, bad dates', async () => {
    const feed = await parseFeed(fixture('atom.xml'), { feedUrl: 'https://review.example.com/atom.xml', now });
    expect(feed).toMatchObject({ format: 'atom', title: 'Pacific Policy Review', language: 'en', ttlMinutes: null });
    const [a, b, c] = feed.items;
    expect(a).toMatchObject({
      key: 'guid:tag:review.example.com,2026:analysis-77',
      title: 'The limits of the "no-limits" partnership',
      author: 'Li Wei',
      summary: 'Trade is up, trust is not.',
      content: 'Trade between the two countries reached a record.\n\nYet military cooperation remains shallow.',
      language: 'en',
    });
    expect(a!.published.toISOString()).toBe('2026-11-10T03:00:00.000Z');
    expect(b).toMatchObject({ title: '中俄关系的新阶段', language: 'zh-CN', link: 'https://review.example.com/zh/analysis/new-stage' });
    expect(b!.published.toISOString()).toBe('2026-11-09T08:00:00.000Z'); // from <updated>
    expect(c!.dateMissing).toBe(true);
  });

  it('reads xhtml titles and Atom categories', async () => {
    const xml = `<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
      <entry><id>urn:1</id><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">Sanctions <b>bite</b></div></title>
      <link href="https://s.example/1"/><category term="energy"/><category term="russia"/><updated>2026-11-09T08:00:00Z</updated></entry></feed>`;
    const feed = await parseFeed(xml, { feedUrl: 'https://s.example/atom', now });
    expect(feed.items[0]).toMatchObject({ title: 'Sanctions bite', categories: ['energy', 'russia'], key: 'guid:urn:1' });
  });

  it('lets the configured language beat the feed declaration but not an item declaration', async () => {
    const feed = await parseFeed(fixture('atom.xml'), { feedUrl: 'https://review.example.com/atom.xml', now, language: 'en-GB' });
    expect(feed.items.map((i) => i.language)).toEqual(['en-GB', 'zh-CN', 'en-GB']);
  });
});

describe('parseFeed: errors', () => {
  it.each([
    ['malformed XML', 'malformed.xml'],
    ['an HTML page', 'not-a-feed.html'],
  ])('rejects %s with kind parse', async (_label, name) => {
    const err = await parseError(fixture(name));
    expect(err.kind).toBe('parse');
    expect(err.message).toMatch(/^feeds: cannot parse the feed at https:\/\/x\.example\/feed: /);
  });

  it('rejects empty input and non-feed XML', async () => {
    expect((await parseError('')).kind).toBe('parse');
    expect((await parseError('<?xml version="1.0"?><html><body/></html>')).message).toContain('not recognized');
  });
});

describe('fetch + parse of legacy charsets end to end', () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startTestServer({
      '/ru': serve(readFixture('ru-windows-1251-nodecl.xml'), { 'content-type': 'application/rss+xml; charset=windows-1251' }),
      '/koi8': serve(readFixture('ru-koi8-r.xml'), { 'content-type': 'application/rss+xml' }),
      '/zh': serve(readFixture('zh-gbk-decl.xml'), { 'content-type': 'application/rss+xml' }),
    });
  });
  afterAll(async () => {
    await srv.close();
    await closeFeedConnections();
  });

  it.each([
    ['/ru', 'Россия и Китай подписали соглашение о «Силе Сибири — 2»', 'ru'],
    ['/koi8', 'Россия и Китай подписали соглашение о газопроводе', 'ru'],
    ['/zh', '中俄签署“西伯利亚力量2号”天然气管道协议', 'zh-CN'],
  ])('%s', async (p, title, lang) => {
    const res = await fetchFeed(srv.url(p), { allowPrivateNetworks: true });
    if (res.kind !== 'fetched') throw new Error('expected fetched');
    const feed = await parseFeed(res.text, { feedUrl: res.finalUrl, now });
    expect(feed.items[0]!.title).toBe(title);
    expect(feed.items[0]!.language).toBe(lang);
    expect(feed.items).toHaveLength(2);
  });
});

it('normalizeLanguage', () => {
  expect(normalizeLanguage('en-us')).toBe('en-US');
  expect(normalizeLanguage('zh_cn')).toBe('zh-CN');
  expect(normalizeLanguage('zh-hans-cn')).toBe('zh-Hans-CN');
  expect(normalizeLanguage('RU')).toBe('ru');
  expect(normalizeLanguage('!!')).toBeNull();
  expect(normalizeLanguage('')).toBeNull();
});
