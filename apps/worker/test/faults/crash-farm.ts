// Fault-suite helper (crash-loop.test.ts): a feed farm that grows between runs of the worker, so
// that every restart has new feeds to fetch, store and score. Used only by test/faults.
import { renderSyntheticFeed, type SyntheticFeed } from '../feed-farm.ts';
import { startTestServer, type Route, type TestServer } from '../test-server.ts';

export interface GrowingFarm {
  server: TestServer;
  feeds: SyntheticFeed[];
  urls: string[];
  /** Per feed index: requests seen, 200s written, requests being answered now. */
  stats: { requests: number[]; ok: number[]; inFlight: number[] };
  /** Publishes `count` new feeds; returns their indexes. */
  addFeeds(count: number): number[];
  /** Every item link the farm has published. */
  itemLinks(): string[];
  close(): Promise<void>;
}

/**
 * Serves synthetic feeds (see feed-farm.ts) at /feed/<i>.xml with a strong ETag and 304 on a
 * match, each answered after `delayMs(i)`. Feeds are added with `addFeeds` while the server runs.
 */
export async function startGrowingFarm(options: { items: number; delayMs: (index: number) => number; now?: Date }): Promise<GrowingFarm> {
  const now = options.now ?? new Date();
  const routes: Record<string, Route> = {};
  const server = await startTestServer(routes);
  const feeds: SyntheticFeed[] = [];
  const stats = { requests: [] as number[], ok: [] as number[], inFlight: [] as number[] };

  const addFeed = (i: number) => {
    const feed = renderSyntheticFeed(i, options.items, now);
    const body = Buffer.from(feed.xml, 'utf8');
    const etag = `"feed-${i}-v1"`;
    feeds.push(feed);
    stats.requests.push(0);
    stats.ok.push(0);
    stats.inFlight.push(0);
    routes[feed.path] = async (req, res) => {
      stats.requests[i]!++;
      stats.inFlight[i]!++;
      try {
        await new Promise((r) => setTimeout(r, options.delayMs(i)));
        if (req.headers['if-none-match'] === etag) {
          res.writeHead(304, { etag });
          res.end();
          return;
        }
        res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag, 'content-length': String(body.length) });
        res.end(body);
        stats.ok[i]!++;
      } finally {
        stats.inFlight[i]!--;
      }
    };
  };

  return {
    server,
    feeds,
    get urls() {
      return feeds.map((f) => server.url(f.path));
    },
    stats,
    addFeeds(count) {
      const added = Array.from({ length: count }, (_, k) => feeds.length + k);
      for (const i of added) addFeed(i);
      return added;
    },
    itemLinks: () => feeds.flatMap((f) => f.items.map((i) => i.link)),
    close: () => server.close(),
  };
}
