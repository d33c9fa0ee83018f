import { afterAll, describe, expect, it } from 'vitest';
import { FeedFetchError } from './errors.ts';
import { renderSyntheticFeed } from './feed-farm.ts';
import { parseFeed } from './parse-feed.ts';
import { createFeedParsePool, type FeedParsePool } from './parse-pool.ts';
import { readFixture } from './test-server.ts';

const now = new Date('2026-11-10T10:00:00Z');
const opts = { feedUrl: 'https://x.example/feed', now };
const pools: FeedParsePool[] = [];
const pool = (options: Parameters<typeof createFeedParsePool>[0] = {}) => {
  const p = createFeedParsePool({ threads: 1, ...options });
  pools.push(p);
  return p;
};
afterAll(() => Promise.all(pools.map((p) => p.close())));

async function parseFailure(p: FeedParsePool, text: string): Promise<FeedFetchError> {
  const error = await p.parse(text, opts).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof FeedFetchError)) throw new Error(`expected a FeedFetchError, got ${String(error)}`);
  return error;
}

describe('createFeedParsePool', () => {
  it('gives what parseFeed gives in this thread, dates and all', async () => {
    const p = pool();
    for (const name of ['rss2.xml', 'rdf.xml', 'atom.xml']) {
      const text = readFixture(name).toString('utf8');
      const there = await p.parse(text, opts);
      expect(there).toEqual(await parseFeed(text, opts));
      expect(there.items[0]!.published).toBeInstanceOf(Date);
    }
  });

  it('hands back parse errors with their kind and message', async () => {
    const p = pool();
    const text = readFixture('malformed.xml').toString('utf8');
    const here = await parseFeed(text, opts).catch((e: FeedFetchError) => e);
    const there = await parseFailure(p, text);
    expect(there.kind).toBe('parse');
    expect(there.message).toBe((here as FeedFetchError).message);
  });

  it('fails a parse that runs out of time as kind parse', async () => {
    const p = pool({ timeoutMs: 1 });
    const big = renderSyntheticFeed(1, 2000, now).xml;
    const error = await parseFailure(p, big);
    expect(error.kind).toBe('parse');
    expect(error.message).toMatch(/longer than 0\.001 s/);
    // With time to do it, the same feed parses.
    expect((await pool({ timeoutMs: 60_000 }).parse(big, opts)).items).toHaveLength(2000);
  });
});
