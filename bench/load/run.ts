/**
 * The dashboard under a constant 200 requests/s for 60 s while a cycle runs (issue #8).
 *
 *   npx tsx bench/load/run.ts                                   (embedded PGlite: one `signpost start`)
 *   TEST_PG_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/load/run.ts --backend postgres
 *   options: --rate 200 --seconds 60 --baseline-seconds 20 --seed-feeds 60 --feeds 150 --items 30 --connections 32 (sockets)
 *            --threads 0,default (the SIGNPOST_SCORING_THREADS values to compare, each in a run of its own)
 *            --profile (attribute each stall of the main thread to the functions sampled during it; costs CPU)
 *
 * Everything runs as it is deployed, in processes of their own: a local feed farm, the real CLI,
 * the dashboard. In order:
 *   1. seed: `signpost run --all` over --seed-feeds feeds (x --items articles) and the 30 forecasts
 *      of data/predictions.yaml, so that every page has evidence to show;
 *   2. baseline: the same rate and route mix against a bare Hono hello-world (its own process);
 *      each measured run in 2 and 3 follows a 2 s warm-up at the same rate;
 *   3. the dashboard at the same rate with nothing else running (`idle`);
 *   4. the dashboard at the same rate for --seconds while a cycle fetches --feeds new feeds and scores
 *      their articles against every forecast. PGlite: `signpost start` serves the dashboard and runs
 *      the cycle in one process (started by the admin API's run-now). PostgreSQL: the dashboard is
 *      `signpost serve` and the cycle runs in `signpost start --no-dashboard`, started
 *      3 s into the window.
 * Load: an open model at a fixed rate (each request sent at its scheduled moment, latency measured
 * from that moment), in turn over /, /predictions/:id, /api/predictions, /api/predictions/:id/evidence
 * and /feeds. Printed: requests, the rate they went out at, errors (socket errors + timeouts (10 s) +
 * non-2xx), p50/p90/p99/max latency and the ratio of p50 and p99 to the hello-world baseline
 * measured in the same run.
 * Steps 3 and 4 run once per scoring mode (--threads; on PGlite inline and then the pool, each on a
 * copy of the seeded data folder), so the modes are compared in the same run. Each mode's cycle is
 * waited for, and its scoring time (pairs, seconds, pairs/s) printed.
 * The stall view (PGlite): `start` runs with bench/load/stall-monitor.mjs preloaded, which samples the
 * main thread's event-loop delay every 10 ms; printed per mode are the stalls (ticks 40 ms or more
 * late: the main thread busy with one thing that long) in the idle run and in the window, the time
 * they add up to, and the longest, each with the second of the window it began at (and, with
 * --profile, what was running).
 * Targets: the rate held for the whole window with zero errors (issue #8); the p99 during the cycle
 * within 10x of the idle p99 of the same mode (issue #18).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createDb } from '../../packages/db/src/index.ts';
import { testPgUrl } from '../../packages/db/test/testing.ts';
import { loadPredictions } from '../../packages/config/src/index.ts';
import { buildSignpostBundle, signpostNodeArgs } from '../../apps/worker/src/node-flags.ts';
import { dashboardRequests, drive as driveAt, type Figures, type Request } from './drive.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const workerDir = path.join(root, 'apps/worker');
// The worker runs as `npm start` runs it: the bundle, built now (signpostNodeArgs).
buildSignpostBundle();
const { values: args } = parseArgs({
  options: {
    backend: { type: 'string', default: 'pglite' },
    rate: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '60' },
    'baseline-seconds': { type: 'string', default: '20' },
    'seed-feeds': { type: 'string', default: '60' },
    feeds: { type: 'string', default: '150' },
    items: { type: 'string', default: '30' },
    connections: { type: 'string', default: '32' },
    threads: { type: 'string' },
    profile: { type: 'boolean', default: false },
  },
});
const BACKEND = args.backend!;
const RATE = Number(args.rate);
const SECONDS = Number(args.seconds);
const BASELINE_SECONDS = Number(args['baseline-seconds']);
const SEED_FEEDS = Number(args['seed-feeds']);
const FEEDS = Number(args.feeds);
const ITEMS = Number(args.items);
const CONNECTIONS = Number(args.connections);
const PROFILE = args.profile!;
const STALL_MONITOR = path.join(root, 'bench/load/stall-monitor.mjs');
/**
 * The scoring modes to compare, each in a run of its own (steps 3 and 4): a comma-separated list of
 * SIGNPOST_SCORING_THREADS values, `default` for the variable unset. Default on PGlite: `0,default`
 * (inline, then the pool of one thread per core), each on a copy of the seeded data folder; on
 * PostgreSQL `default` (one database, seeded once).
 */
const THREADS = (args.threads ?? (BACKEND === 'pglite' ? '0,default' : 'default'))
  .split(',')
  .map((t) => (t.trim() === 'default' ? undefined : t.trim()));
if (BACKEND !== 'pglite' && BACKEND !== 'postgres') throw new Error('bench: --backend is pglite or postgres');
if (BACKEND === 'postgres' && !testPgUrl) {
  console.error('bench: --backend postgres needs TEST_PG_URL (a server where a throw-away database can be created)');
  process.exit(2);
}

const children: ChildProcess[] = [];
const cleanups: (() => Promise<void> | void)[] = [];

interface Proc {
  child: ChildProcess;
  lines: Record<string, unknown>[];
  stdout: () => string;
  log: () => string;
  /** Resolves with the first JSON log line (stderr) or stdout line that matches. */
  waitFor(match: (line: Record<string, unknown>) => boolean, what: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  exited: Promise<number | null>;
}

/**
 * A child `node --import tsx` process whose JSON log lines (stderr) and stdout are collected; the
 * worker's CLI runs with the flags `npm start` gives it.
 */
function spawnNode(cwd: string, argv: string[], env: NodeJS.ProcessEnv = process.env, preload: string[] = []): Proc {
  const [script = '', ...rest] = argv;
  const args = script.endsWith('cli.ts') ? [...preload, ...signpostNodeArgs(...rest)] : ['--import', 'tsx', ...argv];
  const child = spawn(process.execPath, args, { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
  children.push(child);
  const lines: Record<string, unknown>[] = [];
  const waiters: { match: (l: Record<string, unknown>) => boolean; resolve: (l: Record<string, unknown>) => void }[] = [];
  let out = '';
  let log = '';
  const take = (line: string) => {
    if (!line.startsWith('{')) return;
    const entry = JSON.parse(line) as Record<string, unknown>;
    lines.push(entry);
    for (const w of [...waiters])
      if (w.match(entry)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(entry);
      }
  };
  const splitter = (sink: (s: string) => void) => {
    let partial = '';
    return (chunk: Buffer) => {
      sink(chunk.toString());
      partial += chunk;
      const complete = partial.split('\n');
      partial = complete.pop()!;
      complete.forEach(take);
    };
  };
  child.stdout!.on(
    'data',
    splitter((s) => (out += s)),
  );
  child.stderr!.on(
    'data',
    splitter((s) => (log += s)),
  );
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    lines,
    stdout: () => out,
    log: () => log,
    exited,
    waitFor(match, what, timeoutMs = 300_000) {
      const found = lines.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`bench: timed out waiting for ${what}\n${log.slice(-2000)}`)), timeoutMs);
        waiters.push({ match, resolve: (l) => (clearTimeout(timer), resolve(l)) });
        void exited.then((code) => reject(new Error(`bench: process exited (${code}) while waiting for ${what}\n${log.slice(-2000)}`)));
      });
    },
  };
}

/** A throw-away database on the TEST_PG_URL server, by URL (the processes open it themselves). */
async function createServerDatabase(): Promise<string> {
  const name = `signpost_load_${process.pid}_${randomBytes(4).toString('hex')}`;
  const onServer = async (statement: string) => {
    const admin = await createDb(testPgUrl!, { migrate: false, maxConnections: 1 });
    try {
      await admin.db.execute(statement);
    } finally {
      await admin.close();
    }
  };
  await onServer(`create database ${name}`);
  cleanups.push(() => onServer(`drop database if exists ${name} with (force)`));
  const url = new URL(testPgUrl!);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The driver at this run's rate and sockets. */
const drive = (label: string, url: string, requests: Request[], seconds: number) =>
  driveAt(label, url, requests, seconds, { rate: RATE, connections: CONNECTIONS });

function feedsYaml(origin: string, paths: string[]): string {
  return `feeds:\n${paths.map((p, i) => `  - url: ${origin}${p}\n    title: Load ${i}\n`).join('')}`;
}

async function main() {
  const t0 = performance.now();
  const elapsed = () => `${((performance.now() - t0) / 1000).toFixed(0)} s`;

  // The feed farm: the first SEED_FEEDS feeds are stored before the load, the next FEEDS during it.
  const farm = spawnNode(root, ['bench/ingest/farm-process.ts', String(SEED_FEEDS + FEEDS), String(ITEMS)]);
  cleanups.push(() => void farm.child.stdin!.end());
  const { origin, paths } = (await farm.waitFor((l) => typeof l.origin === 'string', 'the feed farm')) as {
    origin: string;
    paths: string[];
  };

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-load-'));
  cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  fs.copyFileSync(path.join(root, 'data/predictions.yaml'), path.join(dataDir, 'predictions.yaml'));
  fs.writeFileSync(path.join(dataDir, 'feeds.yaml'), feedsYaml(origin, paths.slice(0, SEED_FEEDS)));
  const adminToken = randomBytes(16).toString('hex');
  const { DATABASE_URL: _ignored, ...base } = process.env;
  const env: NodeJS.ProcessEnv = {
    ...base,
    SIGNPOST_DATA_DIR: dataDir,
    SIGNPOST_ALLOW_PRIVATE_NETWORKS: '1',
    SIGNPOST_ADMIN_TOKEN: adminToken,
    // No scheduled cycle: the bench says when one runs.
    SIGNPOST_CYCLE_CRON: '0 0 1 1 *',
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    HOST: '127.0.0.1',
    PORT: '0',
  };
  if (BACKEND === 'postgres') env.DATABASE_URL = await createServerDatabase();

  // 1. Seed through the real CLI.
  const seed = spawnNode(workerDir, ['src/cli.ts', 'run', '--all'], env);
  const seedCode = await seed.exited;
  if (seedCode !== 0) throw new Error(`bench: the seeding run failed (${seedCode}):\n${seed.log().slice(-3000)}`);
  console.log(`[${elapsed()}] seeded (${BACKEND}): ${seed.stdout().trim()}`);

  const { predictions } = await loadPredictions(path.join(root, 'data'));
  const ids = predictions.slice(0, 10).map((p) => p.id);
  const requests = dashboardRequests(ids);

  // 2. Baseline: a bare Hono hello-world in a process of its own, same rate, same paths.
  const hello = spawnNode(root, ['bench/load/hello-process.ts']);
  cleanups.push(() => void hello.child.stdin!.end());
  const helloUrl = String((await hello.waitFor((l) => typeof l.url === 'string', 'the hello-world server')).url);
  await drive('warm-up', helloUrl, requests, 2); // not counted: sockets, JIT
  const baseline = await drive('hello-world (bare Hono)', helloUrl, requests, BASELINE_SECONDS);
  console.log(`[${elapsed()}] baseline done`);

  // 3 and 4, once per scoring mode (PGlite: SIGNPOST_SCORING_THREADS=0, then the default pool), each on
  // its own copy of the seeded data folder, so that each cycle finds the same new feeds.
  const modes = THREADS.map((t) => ({ threads: t, dataDir: t === THREADS[0] ? dataDir : copyDataDir(dataDir) }));
  const outcomes: ModeOutcome[] = [];
  for (const mode of modes) {
    outcomes.push(await runMode(mode, { env, origin, paths, requests, adminToken, elapsed }));
  }

  const table = (rows: Figures[]) => {
    console.log(
      'run'.padEnd(40),
      's'.padStart(4),
      'requests'.padStart(9),
      'req/s'.padStart(7),
      'errors'.padStart(7),
      'p50 ms'.padStart(7),
      'p90 ms'.padStart(7),
      'p99 ms'.padStart(7),
      'max ms'.padStart(7),
      'p50 vs hello'.padStart(13),
      'p99 vs hello'.padStart(13),
    );
    for (const r of rows) {
      const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(1)}x` : '-');
      console.log(
        r.label.padEnd(40),
        String(r.seconds).padStart(4),
        String(r.requests).padStart(9),
        r.rps.toFixed(1).padStart(7),
        String(r.errors).padStart(7),
        String(r.p50).padStart(7),
        String(r.p90).padStart(7),
        String(r.p99).padStart(7),
        String(r.max).padStart(7),
        ratio(r.p50, baseline.p50).padStart(13),
        ratio(r.p99, baseline.p99).padStart(13),
      );
    }
    for (const r of rows) for (const [kind, n] of r.failures) console.log(`  ${r.label}: ${n} x ${kind}`);
  };
  console.log(
    `\n${BACKEND}: ${RATE} req/s, open model (each request at its scheduled moment, at most ${CONNECTIONS} keep-alive sockets; latency from the scheduled moment) on ${os.cpus().length} cores`,
  );
  console.log(
    `route mix: ${requests.length} requests in turn over /, /predictions/:id, /api/predictions, /api/predictions/:id/evidence?limit=50, /feeds (${ids.length} forecasts)`,
  );
  table([baseline, ...outcomes.flatMap((o) => [o.idle, o.loaded])]);
  let allHeld = true;
  for (const o of outcomes) {
    console.log(`\n${o.name}:`);
    if (o.logged) console.log(`  the dashboard's process logged ${o.logged}`);
    console.log(`  ${o.cycle}`);
    console.log(`  p99 by 5 s of the window, ms: ${o.loaded.timeline.join(' ')}`);
    if (o.stalls) console.log(`  main-thread stalls (event loop 40 ms or more late):\n  ${o.stalls}`);
    console.log(`  p99 during the cycle / idle p99: ${o.idle.p99 > 0 ? (o.loaded.p99 / o.idle.p99).toFixed(1) : '-'}x (target within 10x)`);
    const held = o.loaded.rps >= RATE * 0.99 && o.loaded.errors === 0;
    allHeld &&= held;
    console.log(
      `  target: ${RATE} req/s for ${SECONDS} s while a cycle runs, zero errors: ${held ? 'MET' : 'NOT MET'} (${o.loaded.requests} requests at ${o.loaded.rps.toFixed(1)} req/s, ${o.loaded.errors} errors, p99 ${o.loaded.p99} ms)`,
    );
  }
  console.log(
    `\nload average at the end: ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')} (other work on the machine raises every latency)`,
  );
  if (!allHeld) process.exitCode = 1;
}

interface ModeOutcome {
  name: string;
  idle: Figures;
  loaded: Figures;
  /** The cycle's line: what it fetched and scored, its scoring time, when it ran in the window. */
  cycle: string;
  logged: string | null;
  /** The stall view (PGlite: stall-monitor.mjs in `start`). */
  stalls: string | null;
}

/** A copy of the seeded data folder (PGlite's files too: no process has it open). */
function copyDataDir(from: string): string {
  const to = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-load-'));
  cleanups.push(() => fs.rmSync(to, { recursive: true, force: true }));
  fs.cpSync(from, to, { recursive: true });
  return to;
}

type CycleLine = {
  summary?: {
    durationMs: number;
    feeds: { fetched: number; newArticles: number };
    scoring: { pairs: number; done: boolean; durationMs?: number };
  };
  msg: string;
};

/** The dashboard idle, then under load while a cycle fetches the new feeds and scores them, with one scoring mode. */
async function runMode(
  mode: { threads: string | undefined; dataDir: string },
  ctx: { env: NodeJS.ProcessEnv; origin: string; paths: string[]; requests: Request[]; adminToken: string; elapsed: () => string },
): Promise<ModeOutcome> {
  const { origin, paths, requests, adminToken, elapsed } = ctx;
  const env: NodeJS.ProcessEnv = { ...ctx.env, SIGNPOST_DATA_DIR: mode.dataDir };
  if (mode.threads !== undefined) env.SIGNPOST_SCORING_THREADS = mode.threads;
  const name =
    mode.threads === undefined
      ? 'default'
      : mode.threads === '0'
        ? 'SIGNPOST_SCORING_THREADS=0 (inline)'
        : `SIGNPOST_SCORING_THREADS=${mode.threads}`;
  const short =
    mode.threads === undefined ? `pool of ${os.availableParallelism()}` : mode.threads === '0' ? 'inline' : `${mode.threads} threads`;
  let dashboardUrl: string;
  let server: Proc;
  let cycleProc: Proc;
  let stop: () => Promise<void>;
  let trigger: () => Promise<void>;
  const stallReport = path.join(mode.dataDir, 'stalls.json');
  if (BACKEND === 'pglite') {
    const monitored = { ...env, STALL_REPORT: stallReport, ...(PROFILE ? { STALL_PROFILE: '1' } : {}) };
    const start = spawnNode(workerDir, ['src/cli.ts', 'start'], monitored, ['--import', STALL_MONITOR]);
    stop = async () => void (start.child.kill('SIGTERM'), await start.exited);
    cleanups.push(stop);
    dashboardUrl = String((await start.waitFor((l) => l.msg === 'signpost started: dashboard listening', 'signpost start')).url);
    await start.waitFor((l) => String(l.msg).startsWith('cycle done'), 'the start-up cycle'); // nothing is due yet
    cycleProc = start;
    server = start;
    trigger = async () => {
      const res = await fetch(`${dashboardUrl}/api/admin/run`, { method: 'POST', headers: { authorization: `Bearer ${adminToken}` } });
      if (res.status !== 202) throw new Error(`bench: run-now answered ${res.status}: ${await res.text()}`);
    };
  } else {
    const dashboard = spawnNode(workerDir, ['src/cli.ts', 'serve'], env);
    const stopDashboard = async () => void (dashboard.child.kill('SIGTERM'), await dashboard.exited);
    cleanups.push(stopDashboard);
    dashboardUrl = String((await dashboard.waitFor((l) => l.msg === 'dashboard listening', 'the dashboard')).url);
    server = dashboard;
    stop = async () => {
      await stopDashboard();
      if (cycleProc) {
        cycleProc.child.kill('SIGTERM');
        await cycleProc.exited;
      }
    };
    trigger = async () => {
      // The worker's start-up cycle is the cycle under load (migrations and config included).
      cycleProc = spawnNode(workerDir, ['src/cli.ts', 'start', '--no-dashboard'], env);
      cleanups.push(async () => void (cycleProc.child.kill('SIGTERM'), await cycleProc.exited));
    };
  }
  for (const r of new Set(requests.map((q) => q.path))) {
    const res = await fetch(`${dashboardUrl}${r}`);
    if (res.status !== 200) throw new Error(`bench: ${r} answered ${res.status} before the load`);
    await res.arrayBuffer();
  }

  await drive('warm-up', dashboardUrl, requests, 2); // not counted
  const idleFromUs = monotonicUs();
  const idle = await drive(`dashboard idle, ${short}`, dashboardUrl, requests, BASELINE_SECONDS);
  const idleToUs = monotonicUs();
  console.log(`[${elapsed()}] ${name}: idle run done`);

  // 4. The window: new feeds in the config, a cycle started 3 s in, the load all along.
  fs.writeFileSync(path.join(mode.dataDir, 'feeds.yaml'), feedsYaml(origin, paths));
  const windowStart = performance.now();
  const windowFromUs = monotonicUs();
  const loaded = drive(`dashboard + cycle, ${short}`, dashboardUrl, requests, SECONDS);
  await new Promise((r) => setTimeout(r, 3000));
  const triggeredAt = performance.now();
  await trigger();
  const results = await loaded;
  const windowEnd = performance.now();
  const windowToUs = monotonicUs();
  const cycleLines = () => cycleProc!.lines.filter((l) => String(l.msg).startsWith('cycle done'));
  const before = BACKEND === 'pglite' ? 1 : 0; // the start-up cycle of `start` (PGlite) came before
  console.log(`[${elapsed()}] ${name}: load window done`);
  // Wait for the cycle so that shutting down does not cut it (and the figures stay comparable).
  await cycleProc!
    .waitFor((l) => String(l.msg).startsWith('cycle done') && cycleLines().length > before, 'the cycle to end', 600_000)
    .catch(() => {});
  const done = cycleLines()[before] as CycleLine | undefined;
  const windowS = (windowEnd - windowStart) / 1000;
  const fromS = (triggeredAt - windowStart) / 1000;
  let cycle = `cycle: did not end within 10 minutes of the window`;
  if (done?.summary) {
    const s = done.summary;
    const endS = fromS + s.durationMs / 1000;
    const scoringS = (s.scoring.durationMs ?? NaN) / 1000;
    cycle =
      `cycle: ${done.msg.replace(/^cycle done: /, '')}\n  scoring: ${s.scoring.pairs} pairs in ${scoringS.toFixed(1)} s (${Math.round(s.scoring.pairs / scoringS)} pairs/s)${s.scoring.done ? '' : ', more pending (the 60 s scoring budget ran out)'}` +
      `\n  the cycle ran from ${fromS.toFixed(0)} s to ${endS.toFixed(0)} s of the ${windowS.toFixed(0)} s window${endS > windowS ? ' (and beyond)' : ''}: fetching and storing until ${(endS - scoringS).toFixed(0)} s, then scoring`;
  }
  const errors = server!.lines.filter((l) => Number(l.level) >= 50);
  const logged = errors.length ? `${errors.length} errors, the first: ${JSON.stringify(errors[0]).slice(0, 600)}` : null;
  await stop();
  const stalls = fs.existsSync(stallReport)
    ? describeStalls(JSON.parse(fs.readFileSync(stallReport, 'utf8')) as StallReport, {
        idle: [idleFromUs, idleToUs],
        window: [windowFromUs, windowToUs],
      })
    : null;
  return { name, idle, loaded: results, cycle, logged, stalls };
}

/** The machine's monotonic clock in µs, as stall-monitor.mjs stamps its ticks. */
const monotonicUs = () => Number(process.hrtime.bigint() / 1000n);

interface StallReport {
  tickMs: number;
  /** [monotonic µs the tick was due, ms late] for every tick more than 2 ms late. */
  late: [number, number][];
  stalls: { startUs: number; ms: number; queries?: string[]; samples?: number; self?: string[]; stacks?: string[] }[];
}

/** The stall view of the idle run and of the window: count, time blocked, and the longest stalls. */
function describeStalls(report: StallReport, spans: { idle: [number, number]; window: [number, number] }): string {
  const STALL_MS = 40;
  const inSpan = ([from, to]: [number, number]) => report.late.filter(([at]) => at >= from && at < to);
  const summary = (label: string, span: [number, number]) => {
    const late = inSpan(span).filter(([, ms]) => ms >= STALL_MS);
    const sum = late.reduce((a, [, ms]) => a + ms, 0);
    const over = (ms: number) => late.filter(([, l]) => l >= ms).length;
    const seconds = (span[1] - span[0]) / 1e6;
    return `${label}: ${late.length} stalls >= ${STALL_MS} ms (${over(100)} >= 100 ms, ${over(200)} >= 200 ms), ${Math.round(sum)} ms blocked in ${seconds.toFixed(0)} s, longest ${Math.round(Math.max(0, ...late.map(([, ms]) => ms)))} ms`;
  };
  const lines: string[] = [];
  for (const [label, span, count] of [
    ['idle', spans.idle, 3],
    ['window', spans.window, 10],
  ] as const) {
    lines.push(summary(label, span));
    const [from, to] = span;
    const longest = report.stalls
      .filter((s) => s.startUs >= from && s.startUs < to)
      .sort((a, b) => b.ms - a.ms)
      .slice(0, count);
    for (const s of longest) {
      lines.push(`  ${Math.round(s.ms)} ms at ${((s.startUs - from) / 1e6).toFixed(1)} s of the ${label} run`);
      if (s.queries?.length) lines.push(`      pglite: ${s.queries.join(' | ')}`);
      if (s.stacks) lines.push(`      ours: ${s.stacks.join(' | ')}`, `      self: ${s.self!.join(' | ')}`);
    }
  }
  return lines.join('\n  ');
}

try {
  await main();
} finally {
  for (const c of cleanups.reverse()) await c();
  await Promise.all(children.map((c) => (c.exitCode === null && c.signalCode === null ? new Promise((r) => c.once('exit', r)) : null)));
}
