/**
 * Dashboard throughput with 100,000 articles and 20 forecasts in the database.
 *
 *   npx tsx bench/dashboard/run.ts            (options: --articles N --seconds S --connections C)
 *
 * Seeds an in-memory PGlite (20 forecasts from data/predictions.yaml, 20 feeds, 100,000 articles,
 * about 1 % of them judged against each forecast), serves the dashboard and a bare Hono
 * hello-world app on loopback in this process, and runs autocannon (in a child process) against
 * each route in turn for the same time. Prints requests/s, p99 latency and the ratio to hello-world measured in the same
 * run (each run follows a 2 s warm-up). Target: overview >= 25 % of hello-world throughput with
 * p99 < 100 ms.
 *
 * Then freshness: the worker stores one new judgment and the standings that changed (refreshStandings,
 * timed: the work that used to happen on read), and the first request for the overview and the API after
 * it is timed against a warm render of the same route (warm process, nothing cached) and a cache
 * hit. Target: the first request no slower than 2x a warm render (nothing recomputed on read).
 */
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createApp } from '../../packages/dashboard/src/app.tsx';
import { serveApp } from '../../packages/dashboard/src/serve.ts';
import {
  listScoringClaims,
  storeFeedItems,
  storeScoringBatch,
  syncFeeds,
  syncPredictions,
  type ArticleInput,
  type JudgmentInput,
} from '../../packages/db/src/index.ts';
import { createTestDb } from '../../packages/db/test/testing.ts';
import { createLogger } from '../../packages/log/src/index.ts';
import { loadPredictions } from '../../packages/config/src/index.ts';
import { refreshStandings } from '../../packages/ledger/src/index.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// autocannon and hono are the dashboard's dependencies; resolve them from there.
const requireDashboard = createRequire(path.join(root, 'packages/dashboard/package.json'));
const autocannonBin = path.join(path.dirname(requireDashboard.resolve('autocannon/package.json')), 'autocannon.js');
const { Hono } = requireDashboard('hono') as typeof import('hono');

const { values } = parseArgs({
  options: {
    articles: { type: 'string', default: '100000' },
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '10' },
  },
});
const ARTICLES = Number(values.articles);
const SECONDS = Number(values.seconds);
const CONNECTIONS = Number(values.connections);
const SCORER = 'bench-scorer@1';
const now = new Date('2026-11-20T12:00:00Z');
const DAY = 86400000;

async function seed() {
  const database = await createTestDb();
  const db = database.db;
  const { predictions } = await loadPredictions(path.join(root, 'data'));
  const forecasts = predictions.slice(0, 20);
  await syncPredictions(
    db,
    forecasts.map((p) => ({ id: p.id, statement: p.statement, record: p as unknown as Record<string, unknown> })),
    now,
  );
  const feeds = await syncFeeds(
    db,
    Array.from({ length: 20 }, (_, i) => ({ url: `https://feed${i}.example/rss`, title: `Feed ${i}` })),
    now,
  );
  const claims = await listScoringClaims(db, SCORER);
  const batch = 2000;
  let stored = 0;
  let judged = 0;
  // Articles spread over two years, 1 % judged against each forecast (a mix of stances).
  for (let start = 0; start < ARTICLES; start += batch) {
    const feed = feeds[(start / batch) % feeds.length]!;
    const items: ArticleInput[] = [];
    for (let n = start; n < Math.min(ARTICLES, start + batch); n++) {
      items.push({
        key: `bench:${n}`,
        url: `https://news${n % 50}.example/story/${n}`,
        title: `Story ${n}: China and Russia talk trade, sanctions and security`,
        titleKey: `story ${n} china and russia talk trade sanctions and security`,
        publishedAt: new Date(now.getTime() - ((ARTICLES - n) / ARTICLES) * 730 * DAY),
        summary: `Summary of story ${n}.`,
        language: 'en',
      });
    }
    const { newIds } = await storeFeedItems(db, feed.id, items, { nextCheckAt: now }, now);
    stored += newIds.length;
    const judgments: JudgmentInput[] = [];
    newIds.forEach((articleId, i) => {
      claims.forEach((c, k) => {
        if ((i * 7 + k * 13) % 100 !== 0) return;
        const r = (i * 31 + k * 17) % 10;
        const stance = r < 5 ? 'agree' : r < 8 ? 'disagree' : 'discuss';
        judgments.push({
          articleId,
          predictionId: c.predictionId,
          scorer: SCORER,
          claimHash: c.claimHash,
          stance,
          relevance: 0.8,
          confidence: 0.4 + (r % 6) / 10,
          evidence: [{ text: `Sentence from story ${articleId} that bears on ${c.predictionId}.`, stance }],
          signposts: [{ index: r % 3, stance }],
        });
      });
    });
    await storeScoringBatch(
      db,
      {
        scorer: SCORER,
        judgments,
        progress: claims.map((c) => ({ predictionId: c.predictionId, claimHash: c.claimHash, throughArticleId: newIds.at(-1) ?? 0 })),
      },
      now,
    );
    judged += judgments.length;
  }
  return { database, forecasts: forecasts.map((f) => f.id), stored, judged };
}

interface Measured {
  label: string;
  rps: number;
  /** CPU time of this (server) process per request, µs: steadier than req/s on a shared machine. */
  cpuUs: number;
  p99: number;
  p50: number;
  errors: number;
  non2xx: number;
}

/** autocannon runs in a process of its own, so the load generator does not share the server's thread. */
async function measure(label: string, url: string, headers: string[] = []): Promise<Measured> {
  await runAutocannon(url, headers, 2); // warm-up, not counted
  return runAutocannon(url, headers, SECONDS, label);
}

function runAutocannon(url: string, headers: string[], seconds: number, label = ''): Promise<Measured> {
  const cpu0 = process.cpuUsage();
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [autocannonBin, '-c', String(CONNECTIONS), '-d', String(seconds), ...headers.flatMap((h) => ['-H', h]), '-j', url],
      { maxBuffer: 1 << 24 },
      (error, stdout) => {
        if (error) return reject(new Error(`bench: autocannon failed for ${url}: ${error.message}`));
        const r = JSON.parse(stdout) as {
          requests: { average: number };
          latency: { p99: number; p50: number };
          errors: number;
          timeouts: number;
          non2xx: number;
        };
        const cpu = process.cpuUsage(cpu0);
        const total = r.requests.average * seconds;
        resolve({
          label,
          rps: r.requests.average,
          cpuUs: total ? (cpu.user + cpu.system) / total : 0,
          p99: r.latency.p99,
          p50: r.latency.p50,
          errors: r.errors + r.timeouts,
          non2xx: r.non2xx,
        });
      },
    );
  });
}

const t0 = performance.now();
const { database, forecasts, stored, judged } = await seed();
console.log(
  `seeded ${stored} articles, ${forecasts.length} forecasts, ${judged} judgments in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
);
{
  // What the worker does after each cycle's judgments (timed: this is where standings are computed now).
  const r0 = performance.now();
  await refreshStandings(database.db, { scorer: SCORER, now });
  console.log(`worker: refreshStandings for ${forecasts.length} forecasts took ${(performance.now() - r0).toFixed(0)} ms`);
}

const hello = new Hono();
hello.get('/hello', (c) => c.text('Hello, world!'));
const helloServer = await serveApp(hello, { host: '127.0.0.1', port: 0 });
// cacheStaleMs 0: the freshness step times the first render after a change, not the previous page
// served while the new one renders in the background (the default, cache.ts).
const app = createApp({ db: database.db, logger: createLogger({ level: 'warn' }), scorer: SCORER, now: () => now, cacheStaleMs: 0 });
const server = await serveApp(app, { host: '127.0.0.1', port: 0 });

const first = forecasts[0]!;
const routes: [string, string][] = [
  ['GET / (overview)', '/'],
  ['GET /api/predictions', '/api/predictions'],
  [`GET /api/predictions/:id/evidence?limit=50`, `/api/predictions/${first}/evidence?limit=50`],
  ['GET /predictions/:id', `/predictions/${first}`],
];
for (const [, p] of routes) {
  const c0 = performance.now();
  const res = await fetch(`${server.url}${p}`);
  const size = (await res.text()).length;
  console.log(`cold ${p}: ${res.status}, ${size} bytes, ${(performance.now() - c0).toFixed(0)} ms`);
}

// Hello-world is measured before and after the routes; the baseline is the mean of the two.
const before = await measure('hello-world (bare Hono), before', `${helloServer.url}/hello`);
const measured: Measured[] = [];
for (const [label, p] of routes) measured.push(await measure(label, `${server.url}${p}`));
// As a browser asks for it: compressed (the cached page is gzipped once per ledger version).
measured.push(await measure('GET / (overview), Accept-Encoding: gzip', `${server.url}/`, ['accept-encoding=gzip, deflate, br']));
const after = await measure('hello-world (bare Hono), after', `${helloServer.url}/hello`);
const results = [before, after, ...measured];
const base = (before.rps + after.rps) / 2;
console.log(
  `\nautocannon -c ${CONNECTIONS} -d ${SECONDS} on loopback, server in this process, autocannon in a child process, on ${(await import('node:os')).cpus().length} cores`,
);
console.log(
  'route'.padEnd(44),
  'req/s'.padStart(9),
  'p50 ms'.padStart(7),
  'p99 ms'.padStart(7),
  'vs hello'.padStart(9),
  'CPU µs/req'.padStart(11),
  ' errors',
);
for (const r of results) {
  console.log(
    r.label.padEnd(44),
    r.rps.toFixed(0).padStart(9),
    String(r.p50).padStart(7),
    String(r.p99).padStart(7),
    `${((r.rps / base) * 100).toFixed(0)} %`.padStart(9),
    r.cpuUs.toFixed(0).padStart(11),
    ` ${r.errors + r.non2xx}`,
  );
}
console.log(
  `load average during the run: ${(await import('node:os'))
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')} (other work on the machine lowers every figure)`,
);
const overview = measured[0]!;
console.log(
  `\noverview: ${((overview.rps / base) * 100).toFixed(0)} % of hello-world (target >= 25 %), p99 ${overview.p99} ms (target < 100 ms): ${overview.rps / base >= 0.25 && overview.p99 < 100 ? 'MET' : 'NOT MET'}`,
);

// Freshness: one new judgment from the worker, which then stores the standings; the first request
// after it renders from the stored standings (nothing is recomputed on read). It is timed against a
// warm render of the same route (a warm process, a fresh page cache: the same work without any
// recomputation) and, for scale, against a cache hit.
{
  const time = async (p: string, base = server.url) => {
    const r0 = performance.now();
    const res = await fetch(`${base}${p}`);
    await res.text();
    return performance.now() - r0;
  };
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  /** A render with nothing cached: a fresh app on the same database each time, served over HTTP like the real one. */
  const warmRender = async (p: string) => {
    const times: number[] = [];
    for (let i = 0; i < 11; i++) {
      const fresh = await serveApp(
        createApp({ db: database.db, logger: createLogger({ level: 'warn' }), scorer: SCORER, now: () => now }),
        { host: '127.0.0.1', port: 0 },
      );
      times.push(await time(p, fresh.url));
      await fresh.close();
    }
    return median(times);
  };
  const cacheHit = async (p: string) =>
    median(
      await Promise.all(
        Array.from({ length: 1 }, async () => {
          const t: number[] = [];
          for (let i = 0; i < 21; i++) t.push(await time(p));
          return median(t);
        }),
      ),
    );
  const count = async () =>
    ((await (await fetch(`${server.url}/api/predictions`)).json()) as { id: string; counts: { agree: number } }[]).find(
      (p) => p.id === first,
    )!.counts.agree;
  const before = await count();
  const feeds = await syncFeeds(database.db, [{ url: 'https://feed0.example/rss', title: 'Feed 0' }], now);
  const { newIds } = await storeFeedItems(
    database.db,
    feeds[0]!.id,
    [{ key: 'bench:fresh', url: 'https://news.example/fresh', title: 'A fresh story', titleKey: 'a fresh story', publishedAt: now }],
    { nextCheckAt: now },
    now,
  );
  const claim = (await listScoringClaims(database.db, SCORER)).find((c) => c.predictionId === first)!;
  const renderOverview = await warmRender('/');
  const renderApi = await warmRender('/api/predictions');
  const hitOverview = await cacheHit('/');
  const hitApi = await cacheHit('/api/predictions');
  await storeScoringBatch(
    database.db,
    {
      scorer: SCORER,
      judgments: [
        {
          articleId: newIds[0]!,
          predictionId: first,
          scorer: SCORER,
          claimHash: claim.claimHash,
          stance: 'agree',
          relevance: 0.9,
          confidence: 0.9,
          evidence: [],
        },
      ],
      progress: [],
    },
    now,
  );
  const r0 = performance.now();
  await refreshStandings(database.db, { scorer: SCORER, now });
  const refreshMs = performance.now() - r0;
  await new Promise((r) => setTimeout(r, 1100)); // past the cache's version TTL (1 s), as a reader a moment later
  const firstOverview = await time('/');
  const firstApi = await time('/api/predictions');
  const shown = (await count()) === before + 1;
  const ratio = Math.max(firstOverview / renderOverview, firstApi / renderApi);
  console.log(
    `worker: storing the standings after the new judgment took ${refreshMs.toFixed(0)} ms; the judgment ${shown ? 'shows' : 'does NOT show'} in /api/predictions`,
  );
  console.log(`first request after it: overview ${firstOverview.toFixed(1)} ms, /api/predictions ${firstApi.toFixed(1)} ms`);
  console.log(
    `warm render (warm process, nothing cached; median of 11): overview ${renderOverview.toFixed(1)} ms, /api/predictions ${renderApi.toFixed(1)} ms`,
  );
  console.log(`cache hit (median of 21): overview ${hitOverview.toFixed(1)} ms, /api/predictions ${hitApi.toFixed(1)} ms`);
  console.log(`first request vs warm render: ${ratio.toFixed(2)}x (target <= 2x): ${ratio <= 2 && shown ? 'MET' : 'NOT MET'}`);
}

await server.close();
await helloServer.close();
await database.close();
