/**
 * Feed ingest throughput: 200 local feeds x 50 items through the real pipeline.
 *
 *   npx tsx bench/ingest/run.ts                     (PGlite in a fresh temp data directory)
 *   TEST_PG_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/ingest/run.ts --backend both   (each in a process of its own)
 *   options: --feeds N --items N --backend pglite|postgres|both --concurrency N
 *            --pglite-shared-buffers 128MB  (PGlite's buffer pool; default the product's, PGLITE_SHARED_BUFFERS)
 *            --node-defaults  (run here, under tsx and V8's defaults, rather than bundled under WORKER_NODE_FLAGS)
 *
 * The bench runs the way `npm start` runs the worker (apps/worker/src/node-flags.ts): bundled by
 * apps/worker/scripts/build.mjs and started on plain Node under WORKER_NODE_FLAGS. Started with tsx, it
 * builds itself into apps/worker/dist/bench-ingest.mjs and runs that; `--node-defaults` stays in tsx
 * under V8's defaults instead (the way the worker ran before). The bare-parse baseline runs in the
 * same process, so under the same conditions.
 *
 * Measured in one run, on the same bytes:
 *   - baseline: bare rss-parser `parseString` of every feed body (decoded text), one after another;
 *   - cycle 1: `refreshDueFeeds` over every feed on an empty database (fetch over loopback, decode,
 *     parse, normalise, store in one transaction per feed);
 *   - cycle 2: the same feeds again, every one answering 304 to the stored ETag.
 * PGlite's data directory is new: createDb makes it (initdb + migrations) in a child process and then
 * opens it here, as `signpost start` does on a first start.
 * Then, for where the time goes: parseFeed alone and storeFeedItems alone (into a new database), one
 * feed after another on the same texts.
 * Printed: items/s, pipeline time / bare parse time (wall clock, and CPU time of this process, which
 * holds the feed server and PGlite but not a PostgreSQL server), cycle 2 / cycle 1, and RSS (process peak
 * from getrusage, and the peak sampled during the cycles above the RSS right before them).
 * Targets (issue #4): pipeline <= 3x bare parsing, all-304 cycle < 5 % of the first, peak RSS < 300 MB.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Session } from 'node:inspector/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import {
  createDb,
  listFeedHealth,
  PGLITE_SHARED_BUFFERS,
  schema,
  storeFeedItems,
  syncFeeds,
  type Database,
} from '../../packages/db/src/index.ts';
import { createTestDb, testPgUrl } from '../../packages/db/test/testing.ts';
import { refreshDueFeeds } from '../../apps/worker/src/pipeline/refresh-due-feeds.ts';
import { toArticle } from '../../apps/worker/src/pipeline/refresh-feed.ts';
import { parseFeed, type ParsedFeed } from '../../apps/worker/src/feeds/parse-feed.ts';
import { WORKER_NODE_FLAGS } from '../../apps/worker/src/node-flags.ts';

// rss-parser is the worker's dependency, not the repository root's.
const Parser = createRequire(new URL('../../apps/worker/package.json', import.meta.url))('rss-parser') as typeof import('rss-parser');

const { values: args } = parseArgs({
  options: {
    feeds: { type: 'string', default: '200' },
    items: { type: 'string', default: '50' },
    backend: { type: 'string', default: 'pglite' },
    concurrency: { type: 'string', default: '6' },
    // PGlite's shared_buffers; without it, what `signpost start` uses (PGLITE_SHARED_BUFFERS).
    'pglite-shared-buffers': { type: 'string' },
    'node-defaults': { type: 'boolean', default: false },
  },
});
if (args.backend === 'both') {
  // Each backend in a process of its own: a PGlite run leaves its WebAssembly memory behind, which
  // would count in PostgreSQL's RSS. (The last --backend given wins.)
  let status = 0;
  for (const backend of ['pglite', 'postgres']) {
    const run = spawnSync(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2), '--backend', backend],
      { stdio: 'inherit' },
    );
    status = Math.max(status, run.status ?? 1);
  }
  process.exit(status);
}
const bundled = process.env.SIGNPOST_BENCH_BUNDLED === '1';
if (!args['node-defaults'] && !bundled) {
  const { buildBundle } = (await import('../../apps/worker/scripts/build.mjs')) as {
    buildBundle(entry: string, outfile: string): Promise<void>;
  };
  const outfile = fileURLToPath(new URL('../../apps/worker/dist/bench-ingest.mjs', import.meta.url));
  await buildBundle(fileURLToPath(import.meta.url), outfile);
  const again = spawnSync(process.execPath, [...WORKER_NODE_FLAGS, outfile, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, SIGNPOST_BENCH_BUNDLED: '1' },
  });
  process.exit(again.status ?? 1);
}
const nodeFlags = process.execArgv.filter((a) => a.startsWith('--') && !['--import', '--require'].includes(a));
const howRun = bundled ? `bundled, plain node ${nodeFlags.join(' ')}` : 'tsx, V8 defaults';
const FEEDS = Number(args.feeds);
const sharedBuffers = args['pglite-shared-buffers'];
if (sharedBuffers && !/^\d+(kB|MB|GB)$/.test(sharedBuffers)) throw new Error('bench: --pglite-shared-buffers takes a size like 16MB');
const ITEMS = Number(args.items);
const CONCURRENCY = Number(args.concurrency);
const backends = [args.backend!];
if (backends.includes('postgres') && !testPgUrl) {
  console.error('bench: --backend postgres needs TEST_PG_URL (a server where a throw-away database can be created)');
  process.exit(2);
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const peakRssBytes = () => process.resourceUsage().maxRSS * 1024;

/** Samples RSS every 20 ms while `fn` runs; returns its wall time and the sampled peak. */
async function measure<T>(fn: () => Promise<T>): Promise<{ ms: number; cpuMs: number; peakRss: number; result: T }> {
  const cpu0 = process.cpuUsage();
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 20);
  const t0 = performance.now();
  try {
    const result = await fn();
    const cpu = process.cpuUsage(cpu0);
    return {
      ms: performance.now() - t0,
      cpuMs: (cpu.user + cpu.system) / 1000,
      peakRss: Math.max(peak, process.memoryUsage.rss()),
      result,
    };
  } finally {
    clearInterval(timer);
  }
}

/** With BENCH_CPU_PROFILE=file, writes a V8 CPU profile of the first cycle only (for chrome://inspect or speedscope). */
async function profiled<T>(fn: () => Promise<T>): Promise<T> {
  const file = process.env.BENCH_CPU_PROFILE;
  if (!file) return fn();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  try {
    return await fn();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    fs.writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  }
}

async function bareParse(texts: string[]): Promise<number> {
  const parser = new Parser();
  let n = 0;
  for (const text of texts) n += (await parser.parseString(text)).items.length;
  return n;
}

/** Starts the feed server in a child process (see farm-process.ts). */
async function startFarmProcess(feeds: number, items: number) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', new URL('./farm-process.ts', import.meta.url).pathname, String(feeds), String(items)],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const line = await new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d;
      if (buf.includes('\n')) resolve(buf.split('\n')[0]!);
    });
    child.once('exit', (code) => reject(new Error(`bench: the feed server exited with ${code}`)));
  });
  const { origin, paths } = JSON.parse(line) as { origin: string; paths: string[] };
  return { urls: paths.map((p) => origin + p), close: () => child.stdin.end() };
}

async function openDatabase(backend: string, quiet = false): Promise<{ database: Database; cleanup(): void }> {
  if (backend === 'postgres') return { database: await createTestDb('postgres'), cleanup: () => {} };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-bench-ingest-'));
  // createDb runs initdb (first start only; it peaks near 900 MB by itself) in a child process,
  // as it does for `signpost start`, and then opens the directory here.
  const rss0 = process.memoryUsage.rss();
  const database = await createDb(path.join(dir, 'db'), { pgliteSharedBuffers: sharedBuffers });
  if (!quiet)
    console.log(
      `  (pglite: new data directory (initdb in a child process); shared_buffers ${sharedBuffers ?? PGLITE_SHARED_BUFFERS}; opening it here took RSS from ${mb(rss0)} to ${mb(process.memoryUsage.rss())})`,
    );
  return { database, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

const farm = await startFarmProcess(FEEDS, ITEMS);
const totalItems = FEEDS * ITEMS;
console.log(
  `ingest bench: ${FEEDS} feeds x ${ITEMS} items = ${totalItems} items; concurrency ${CONCURRENCY}; node ${process.version} (${howRun}); feed server in a child process`,
);

// Warm-up: JIT for rss-parser (used by both sides) on a few feeds, so that neither pays for compilation.
await bareParse(await Promise.all(farm.urls.slice(0, 10).map(async (u) => (await fetch(u)).text())));

/** The same bytes the pipeline gets, for the bare-parse baseline (fetched after the cycles, so they are not held during them). */
async function fetchTexts(): Promise<string[]> {
  return Promise.all(farm.urls.map(async (u) => (await fetch(u)).text()));
}

/**
 * The pipeline's two big steps alone, one feed after another, on the same texts: parseFeed (parse and
 * normalise), then storeFeedItems into a new database. Shows where the cycle's multiple of the bare
 * parse goes; not a target of its own.
 */
async function timeSteps(backend: string, texts: string[], baseMs: number) {
  const now = new Date();
  const parsed = await measure(async () => {
    const out: ParsedFeed[] = [];
    for (const [i, text] of texts.entries()) out.push(await parseFeed(text, { feedUrl: farm.urls[i]!, now }));
    return out;
  });
  const { database, cleanup } = await openDatabase(backend, true);
  try {
    const db = database.db;
    await syncFeeds(
      db,
      farm.urls.map((url, i) => ({ url, title: `News ${i}` })),
    );
    const idByUrl = new Map((await db.select({ id: schema.feeds.id, url: schema.feeds.url }).from(schema.feeds)).map((f) => [f.url, f.id]));
    const feeds = parsed.result.map((feed, i) => {
      const id = idByUrl.get(farm.urls[i]!)!;
      return {
        id,
        articles: feed.items.map((item) => toArticle(item, id, false)),
        lastItems: feed.items.map((item) => ({ guid: item.guid, url: item.canonicalUrl })),
      };
    });
    const stored = await measure(async () => {
      for (const f of feeds) await storeFeedItems(db, f.id, f.articles, { nextCheckAt: now, lastItems: f.lastItems }, now);
    });
    const line = (label: string, m: { ms: number; cpuMs: number }) =>
      console.log(
        `  ${label.padEnd(40)} ${m.ms.toFixed(0).padStart(6)} ms  ${(m.ms / baseMs).toFixed(2)}x bare parse  cpu ${m.cpuMs.toFixed(0)} ms`,
      );
    console.log('  the steps alone, one feed after another, same texts:');
    line('parse + normalise (parseFeed)', parsed);
    line('store (storeFeedItems, new database)', stored);
  } finally {
    await database.close();
    cleanup();
  }
}

for (const backend of backends) {
  let steps: { texts: string[]; baseMs: number } | undefined;
  const { database, cleanup } = await openDatabase(backend);
  try {
    const db = database.db;
    await syncFeeds(
      db,
      farm.urls.map((url, i) => ({ url, title: `News ${i}` })),
    );
    const owner = `bench:${process.pid}`;
    // Every feed lives on 127.0.0.1; a real list spans many hosts, so the per-host limit is lifted.
    const opts = { owner, all: true, concurrency: CONCURRENCY, perHost: CONCURRENCY, fetch: { allowPrivateNetworks: true } };

    const rssBefore = process.memoryUsage.rss();
    const first = await measure(() => profiled(() => refreshDueFeeds(db, opts)));
    const s1 = first.result;
    const afterFirst = process.memoryUsage();
    const stored = await db.$count(schema.articles);
    if (s1.fetched !== FEEDS || s1.newArticles !== totalItems || stored !== totalItems) {
      throw new Error(
        `bench: first cycle fetched ${s1.fetched}/${FEEDS} feeds, ${s1.newArticles} new, ${stored} stored; expected ${totalItems}`,
      );
    }
    const second = await measure(() => refreshDueFeeds(db, opts));
    if (second.result.notModified !== FEEDS) throw new Error(`bench: second cycle: ${second.result.notModified}/${FEEDS} not modified`);
    const texts = await fetchTexts();
    const totalBytes = texts.reduce((n, t) => n + Buffer.byteLength(t), 0);
    const base = await measure(() => bareParse(texts));
    if (base.result !== totalItems) throw new Error(`bench: bare parse saw ${base.result} items, expected ${totalItems}`);
    const base2 = await measure(() => bareParse(texts));
    const baseMs = Math.min(base.ms, base2.ms);
    const baseCpu = Math.min(base.cpuMs, base2.cpuMs);
    const health = await listFeedHealth(db);
    if (health.some((f) => f.status !== 'ok')) throw new Error('bench: some feed is not ok after the cycles');

    const ratio = first.ms / baseMs;
    const ratio304 = second.ms / first.ms;
    const peakCycle = Math.max(first.peakRss, second.peakRss);
    const verdict = (ok: boolean) => (ok ? 'ok' : 'MISSED');
    console.log(`\n[${backend}] ${mb(totalBytes)} of RSS XML`);
    const cpu = (m: { cpuMs: number }) => `cpu ${m.cpuMs.toFixed(0).padStart(6)} ms`;
    console.log(
      `  bare parseString           ${baseMs.toFixed(0).padStart(7)} ms  ${Math.round(totalItems / (baseMs / 1000))
        .toString()
        .padStart(7)} items/s  ${cpu({ cpuMs: baseCpu })}  (best of 2 runs: ${base.ms.toFixed(0)}, ${base2.ms.toFixed(0)} ms)`,
    );
    console.log(
      `  cycle 1 (all new)          ${first.ms.toFixed(0).padStart(7)} ms  ${Math.round(totalItems / (first.ms / 1000))
        .toString()
        .padStart(7)} items/s  ${cpu(first)}  ${(first.ms / FEEDS).toFixed(1)} ms/feed`,
    );
    console.log(
      `  cycle 2 (all 304)          ${second.ms.toFixed(0).padStart(7)} ms  ${''.padStart(15)}  ${cpu(second)}  ${(second.ms / FEEDS).toFixed(2)} ms/feed`,
    );
    console.log(
      `  pipeline / bare parse      ${ratio.toFixed(2)}x wall, ${(first.cpuMs / baseCpu).toFixed(2)}x cpu of this process  (target <= 3x: ${verdict(ratio <= 3)})`,
    );
    console.log(`  all-304 / first cycle      ${(ratio304 * 100).toFixed(1)} %  (target < 5 %: ${verdict(ratio304 < 0.05)})`);
    console.log(
      `  RSS: before cycles ${mb(rssBefore)}, sampled peak during cycles ${mb(peakCycle)} (+${mb(peakCycle - rssBefore)}), process peak so far ${mb(peakRssBytes())}  (target < 300 MB: ${verdict(peakCycle < 300 * 1024 * 1024)})`,
    );
    console.log(
      `  memory after cycle 1: JS heap ${mb(afterFirst.heapTotal)} (used ${mb(afterFirst.heapUsed)}), array buffers incl. PGlite's WASM memory ${mb(afterFirst.arrayBuffers)}, external ${mb(afterFirst.external)}`,
    );
    steps = { texts, baseMs };
  } finally {
    await database.close();
    cleanup();
  }
  // After the cycles' database is closed, so that it is not held twice.
  if (steps) await timeSteps(backend, steps.texts, steps.baseMs);
}
farm.close();
