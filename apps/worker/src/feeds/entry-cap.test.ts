import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { capFeedEntries, DEFAULT_MAX_ENTRIES } from './entry-cap.ts';
import { fetchFeed } from './fetch-feed.ts';
import { parseFeed } from './parse-feed.ts';
import { closeFeedConnections } from './safe-fetch.ts';
import { readFixture, serve, startTestServer, type TestServer } from '../../test/test-server.ts';

const now = new Date('2026-11-20T12:00:00Z');

function rssOf(n: number, extra = ''): string {
  const items = Array.from(
    { length: n },
    (_, i) => `<item><title>Item ${i}</title><link>https://cap.example/${i}</link><guid>cap-${i}</guid>${i === 0 ? extra : ''}</item>`,
  );
  return `<?xml version="1.0"?>\n<rss version="2.0"><channel><title>Cap</title><link>https://cap.example/</link><description>d</description>\n${items.join('\n')}\n<image><url>https://cap.example/logo.png</url><title>Cap</title><link>https://cap.example/</link></image></channel></rss>\n`;
}

describe('capFeedEntries', () => {
  it('leaves a feed within the cap untouched', () => {
    const text = rssOf(5);
    expect(capFeedEntries(text, 5)).toEqual({ text, entries: 5, dropped: 0 });
  });

  it('keeps the first entries of RSS 2.0 and the closing tags after the last one: the result parses', async () => {
    const capped = capFeedEntries(rssOf(10), 3);
    expect(capped).toMatchObject({ entries: 10, dropped: 7 });
    const feed = await parseFeed(capped.text, { feedUrl: 'https://cap.example/feed', now });
    expect(feed.items.map((i) => i.guid)).toEqual(['cap-0', 'cap-1', 'cap-2']);
    expect(feed.title).toBe('Cap');
  });

  it('caps Atom entries and RSS 1.0 items (whose <items> list is not an item)', async () => {
    const atom = capFeedEntries(readFixture('atom.xml').toString('utf8'), 2);
    expect(atom).toMatchObject({ entries: 3, dropped: 1 });
    expect((await parseFeed(atom.text, { feedUrl: 'https://cap.example/atom', now })).items).toHaveLength(2);
    const rdf = capFeedEntries(readFixture('rdf.xml').toString('utf8'), 1);
    expect(rdf).toMatchObject({ entries: 2, dropped: 1 });
    expect((await parseFeed(rdf.text, { feedUrl: 'https://cap.example/rdf', now })).items).toHaveLength(1);
  });

  it('does not count </item> inside CDATA or comments', async () => {
    const text = rssOf(3, '<description><![CDATA[a literal </item> in text]]></description><!-- </item> -->');
    const capped = capFeedEntries(text, 2);
    expect(capped).toMatchObject({ entries: 3, dropped: 1 });
    const feed = await parseFeed(capped.text, { feedUrl: 'https://cap.example/feed', now });
    expect(feed.items.map((i) => i.guid)).toEqual(['cap-0', 'cap-1']);
    expect(capped.text).toContain('<![CDATA[a literal </item> in text]]></description><!-- </item> --></item>');
    expect(feed.items[0]!.summary).toContain('a literal');
  });

  it('cuts 100,000 entries to the default cap quickly', () => {
    const text = rssOf(100_000);
    const started = performance.now();
    const capped = capFeedEntries(text);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(capped).toMatchObject({ entries: 100_000, dropped: 100_000 - DEFAULT_MAX_ENTRIES });
    expect(capped.text.length).toBeLessThan(text.length / 40);
    expect(capped.text.endsWith('</channel></rss>\n')).toBe(true);
  });

  it('refuses a cap below 1', () => {
    expect(() => capFeedEntries(rssOf(1), 0)).toThrow(/maxEntries must be a whole number >= 1/);
  });
});

describe('fetchFeed applies the entry cap', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ '/big': serve(rssOf(50), { 'content-type': 'application/rss+xml' }) });
  });
  afterAll(async () => {
    await server.close();
    await closeFeedConnections();
  });

  it('reports the entries found and dropped, and hashes the whole body', async () => {
    const capped = await fetchFeed(server.url('/big'), { allowPrivateNetworks: true, maxEntries: 20 });
    const whole = await fetchFeed(server.url('/big'), { allowPrivateNetworks: true });
    if (capped.kind !== 'fetched' || whole.kind !== 'fetched') throw new Error('expected two fetches');
    expect(capped).toMatchObject({ entries: 50, droppedEntries: 30 });
    expect(whole).toMatchObject({ entries: 50, droppedEntries: 0 });
    expect(capped.bodyHash).toBe(whole.bodyHash);
    expect((await parseFeed(capped.text, { feedUrl: capped.finalUrl, now })).items).toHaveLength(20);
  });
});
