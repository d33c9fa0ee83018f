// Test and benchmark helper: many realistic RSS feeds on one local HTTP server (127.0.0.1, port 0).
// Used by *.test.ts and bench/ingest only.
import type http from 'node:http';
import { createRandom } from '@signpost/scoring';
import { startTestServer, type TestServer } from './test-server.ts';

const WORDS = (
  'government minister said talks sanctions trade oil gas pipeline border security council election vote ' +
  'parliament president economy growth inflation market exports imports currency bank rates summit treaty ' +
  'alliance defence military exercise navy troops ceasefire negotiations delegation embassy official report ' +
  'analysts expect forecast quarter budget deficit investment infrastructure railway port energy grid nuclear ' +
  'climate agreement region province capital city mayor court ruling law reform protest opposition coalition ' +
  'spokesman statement week month year record decline rise shares index industry factory workers union strike ' +
  'agency data survey poll voters campaign candidate policy tariffs shipping route corridor supply chain'
).split(/\s+/);

/** Lead paragraphs on the shipped forecasts' subjects (sanctions, the partnership, trade, drills). */
const LEADS = [
  'China said again on Tuesday that it will not impose sanctions of its own on Russia, and rejected Western calls to join them. The foreign ministry said trade with Russia would continue as normal.',
  "Three of China's largest state banks stopped accepting payments from sanctioned Russian banks, fearing US secondary sanctions, Russian business leaders said.",
  'Xi Jinping and Vladimir Putin reaffirmed their comprehensive strategic partnership at a summit in Moscow and signed new cooperation agreements despite US warnings.',
  'Chinese firms kept supplying Russia with machine tools and microelectronics cut off by Western sanctions, helping Moscow work around them, US officials said.',
  'China and Russia began their annual joint naval exercise in the Sea of Japan, the two defence ministries said.',
  'Trade between China and Russia reached a record $240 billion last year, Chinese customs data showed.',
];

const PLACES = [
  'Moscow',
  'Beijing',
  'Brussels',
  'Washington',
  'Ankara',
  'Tehran',
  'Delhi',
  'Astana',
  'Berlin',
  'Tokyo',
  'Minsk',
  'Tbilisi',
];

/** Deterministic PRNG (mulberry32, the one training uses), so every run serves the same bytes (and a seed replays a test's choices). */
export { createRandom };

function escapeXml(s: string): string {
  return s.replace(/[<>&]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&amp;'));
}

export interface SyntheticItem {
  guid: string;
  link: string;
  title: string;
  published: Date;
}

export interface SyntheticFeed {
  path: string;
  xml: string;
  items: SyntheticItem[];
}

/**
 * One RSS 2.0 feed of `items` entries as a news site would publish it: unique GUIDs and links,
 * headlines, RFC 822 dates in the week before `now`, and HTML descriptions of 1-3 KB.
 */
export function renderSyntheticFeed(index: number, itemCount: number, now: Date): SyntheticFeed {
  const random = createRandom(index * 7919 + 17);
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)]!;
  const sentence = () => {
    const n = 10 + Math.floor(random() * 14);
    const words = Array.from({ length: n }, () => pick(WORDS));
    return `${words.join(' ').replace(/^./, (c) => c.toUpperCase())} in ${pick(PLACES)}.`;
  };
  const items: SyntheticItem[] = [];
  const xmlItems: string[] = [];
  for (let m = 0; m < itemCount; m++) {
    const title = `${Array.from({ length: 6 + Math.floor(random() * 5) }, () => pick(WORDS))
      .join(' ')
      .replace(/^./, (c) => c.toUpperCase())}: ${pick(PLACES)} report ${index}-${m}`;
    const published = new Date(now.getTime() - (m * 7 * 24 * 3600_000) / (itemCount + 1) - Math.floor(random() * 600_000));
    const link = `https://news-${index}.example/${published.toISOString().slice(0, 10)}/story-${m}`;
    const guid = `news-${index}-story-${m}`;
    const target = 1024 + Math.floor(random() * 2048);
    // Every third story leads with real news about the Sino-Russian relationship, so that a scorer
    // finds something to judge among the word salad, as it would in a real feed.
    let body = m % 3 === 0 ? `<p>${LEADS[(index + m) % LEADS.length]}</p>` : '';
    while (body.length < target) body += `<p>${sentence()} ${sentence()}</p>`;
    items.push({ guid, link, title, published });
    xmlItems.push(
      `<item><title>${escapeXml(title)}</title><link>${link}</link><guid isPermaLink="false">${guid}</guid>` +
        `<pubDate>${published.toUTCString()}</pubDate><author>desk@news-${index}.example (Desk ${index})</author>` +
        `<category>${pick(WORDS)}</category><description>${escapeXml(body)}</description></item>`,
    );
  }
  const xml =
    `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>News ${index}</title>` +
    `<link>https://news-${index}.example/</link><description>Synthetic feed ${index}</description><language>en</language>` +
    `${xmlItems.join('\n')}</channel></rss>\n`;
  return { path: `/feed/${index}.xml`, xml, items };
}

export interface FeedFarmOptions {
  feeds: number;
  items: number;
  now?: Date;
  /** Delay before answering feed `index`, in ms (slow feeds); 0 by default. */
  delayMs?: (index: number) => number;
}

export interface FeedFarm {
  server: TestServer;
  feeds: SyntheticFeed[];
  urls: string[];
  /** Bytes served for each feed (same order as `feeds`). */
  bodies: Buffer[];
  /** Requests per feed index; and how many of them were answered 200 and 304. */
  stats: { requests: number[]; ok: number[]; notModified: number[]; inFlight: number[]; maxInFlight: number[] };
  close(): Promise<void>;
}

/**
 * Serves `feeds` synthetic feeds at /feed/<i>.xml, each with a strong ETag and 304 on a matching
 * If-None-Match, counting requests and concurrent requests per feed.
 */
export async function startFeedFarm(options: FeedFarmOptions): Promise<FeedFarm> {
  const now = options.now ?? new Date();
  const feeds = Array.from({ length: options.feeds }, (_, i) => renderSyntheticFeed(i, options.items, now));
  const bodies = feeds.map((f) => Buffer.from(f.xml, 'utf8'));
  const zero = () => new Array<number>(options.feeds).fill(0);
  const stats = { requests: zero(), ok: zero(), notModified: zero(), inFlight: zero(), maxInFlight: zero() };
  const routes: Record<string, (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>> = {};
  feeds.forEach((feed, i) => {
    const etag = `"feed-${i}-v1"`;
    routes[feed.path] = async (req, res) => {
      stats.requests[i]!++;
      stats.inFlight[i]!++;
      stats.maxInFlight[i] = Math.max(stats.maxInFlight[i]!, stats.inFlight[i]!);
      try {
        const delay = options.delayMs?.(i) ?? 0;
        if (delay > 0) await new Promise((r) => setTimeout(r, delay));
        if (req.headers['if-none-match'] === etag) {
          stats.notModified[i]!++;
          res.writeHead(304, { etag });
          res.end();
          return;
        }
        stats.ok[i]!++;
        res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag, 'content-length': String(bodies[i]!.length) });
        res.end(bodies[i]);
      } finally {
        stats.inFlight[i]!--;
      }
    };
  });
  const server = await startTestServer(routes);
  return { server, feeds, urls: feeds.map((f) => server.url(f.path)), bodies, stats, close: () => server.close() };
}
