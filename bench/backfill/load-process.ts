/**
 * bench/backfill's load generator, in a process of its own so that it does not share the dashboard's
 * thread: drives `url` at `rate` req/s for `seconds` over the dashboard's routes (bench/load/drive.ts)
 * and prints the figures as one JSON line.
 *
 *   npx tsx bench/backfill/load-process.ts URL SECONDS RATE FORECAST_ID...
 */
import { dashboardRequests, drive } from '../load/drive.ts';

const [url = '', seconds = '10', rate = '200', ...ids] = process.argv.slice(2);
const requests = dashboardRequests(ids);
const figures = await drive('load', url, requests, Number(seconds), { rate: Number(rate), connections: 32 });
process.stdout.write(`${JSON.stringify({ ...figures, failures: Object.fromEntries(figures.failures) })}\n`);
