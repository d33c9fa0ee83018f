/**
 * The bench's feed server in a process of its own, so that the bench process measures only what a
 * worker holds (its RSS and CPU time exclude serving). Prints `{"origin", "paths"}` on stdout once
 * listening; exits when stdin closes.
 *
 *   npx tsx bench/ingest/farm-process.ts FEEDS ITEMS
 */
import { startFeedFarm } from '../../apps/worker/test/feed-farm.ts';

const [feeds = '200', items = '50'] = process.argv.slice(2);
const farm = await startFeedFarm({ feeds: Number(feeds), items: Number(items) });
process.stdout.write(`${JSON.stringify({ origin: farm.server.origin, paths: farm.feeds.map((f) => f.path) })}\n`);
process.stdin.resume();
process.stdin.on('end', () => void farm.close().then(() => process.exit(0)));
