// Issue #14, fault suite: the embedded database guarded, hostile config and input contained, tried
// on the real `signpost start` (PGlite) as an attacker and a careless user would:
//   1. two `start`s at once on one fresh data directory: one runs, the other exits 1 at once naming it;
//   2. beside the running one: `run`, `backfill`, `digest send` and `digest preview` refuse the same
//      way and write nothing; `feeds import` works (it only writes feeds.yaml) and is picked up;
//   3. an alias bomb dropped into predictions.d/: reported as FILE:LINE, feeds still collected;
//   4. a 50 MB file dropped into predictions.d/: refused unread, by `start` and by `check`;
//   5. a feed whose item has a 50 KB title: stored with its title cut, the good item beside it too.
// All along, /healthz is polled (every answer within 1 s) and the worker's memory is sampled from
// /proc (peak under 400 MB); both are printed. Afterwards the database holds no duplicates.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '@signpost/db';
import { startFeedFarm, type FeedFarm } from '../feed-farm.ts';
import { closeFeedConnections } from '../../src/feeds/safe-fetch.ts';
import { serve, startTestServer, type TestServer } from '../test-server.ts';
import { signpostNodeArgs } from '../../src/node-flags.ts';
import { ONE_FORECAST_YAML } from '../test-forecasts.ts';
import { spawnStart, type StartProcess } from './crash-process.ts';
import { pollHealth } from './health-poll.ts';
import { scaled } from '@signpost/testing';

const workerDir = path.resolve(import.meta.dirname, '../..');
const PEAK_RSS_LIMIT_MB = 400;
const HEALTHZ_LIMIT_MS = 1000;
const FARM_FEEDS = 8;
const FARM_ITEMS = 15;

/** Peak resident memory (VmHWM) of a process, sampled from /proc until it exits or `stop()`. */
function sampleMemory(pid: number, everyMs = 50) {
  let peakKb = 0;
  const read = () => {
    try {
      const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
      peakKb = Math.max(peakKb, Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1] ?? 0));
    } catch {
      // gone
    }
  };
  read();
  const timer = setInterval(read, everyMs);
  return { peakMb: () => Math.round(peakKb / 1024), stop: () => (read(), clearInterval(timer)) };
}

/** Runs one `signpost` command as `npm run signpost` does; its exit code, output and peak memory. */
function signpost(args: string[], env: NodeJS.ProcessEnv) {
  const started = Date.now();
  const child = spawn(process.execPath, signpostNodeArgs(...args), { cwd: workerDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const memory = sampleMemory(child.pid!, 10);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise<{ code: number | null; stdout: string; stderr: string; ms: number; peakMb: number }>((resolve) =>
    child.once('exit', (code) => {
      memory.stop();
      resolve({ code, stdout, stderr, ms: Date.now() - started, peakMb: memory.peakMb() });
    }),
  );
}

async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 60_000, alive?: StartProcess): Promise<void> {
  const until = Date.now() + scaled(timeoutMs);
  while (!(await condition())) {
    if (alive?.hasExited()) throw new Error(`the worker exited while waiting for ${what}:\n${alive.raw.slice(-10).join('\n')}`);
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('one process per embedded database, and config and input that cannot stop it (PGlite)', () => {
  let farm: FeedFarm;
  let titles: TestServer;
  let root: string;
  let dataDir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    farm = await startFeedFarm({ feeds: FARM_FEEDS + 1, items: FARM_ITEMS });
    titles = await startTestServer({
      '/long-title.xml': serve(
        `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Long titles</title><link>https://long.example/</link><description>d</description>` +
          `<item><guid>long-1</guid><title>Sanctions ${'very '.repeat(10_000)}long</title><link>https://long.example/1</link><description>One.</description></item>` +
          `<item><guid>long-2</guid><title>A good item beside it</title><link>https://long.example/2</link><description>Two.</description></item></channel></rss>`,
        { 'content-type': 'application/rss+xml; charset=utf-8' },
      ),
    });
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-one-process-'));
    dataDir = path.join(root, 'data');
    fs.mkdirSync(dataDir);
    fs.writeFileSync(path.join(dataDir, 'predictions.yaml'), ONE_FORECAST_YAML);
    fs.writeFileSync(
      path.join(dataDir, 'feeds.yaml'),
      `feeds:\n${[...farm.urls.slice(0, FARM_FEEDS), titles.url('/long-title.xml')].map((u) => `  - url: ${u}\n`).join('')}`,
    );
    fs.writeFileSync(path.join(dataDir, 'digest.yaml'), 'subscribers:\n  - email: reader@example.org\n');
    const { DATABASE_URL: _server, ...base } = process.env;
    env = {
      ...base,
      SIGNPOST_DATA_DIR: dataDir,
      SIGNPOST_ALLOW_PRIVATE_NETWORKS: '1',
      SIGNPOST_CYCLE_CRON: '*/5 * * * * *',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      NODE_ENV: 'production',
    };
  }, scaled(60_000));

  afterAll(async () => {
    await titles?.close();
    await farm?.close();
    await closeFeedConnections();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it(
    'refuses every second process at once, contains the hostile files, and stays within 400 MB and 1 s',
    async () => {
      const report: Record<string, unknown> = {};
      // --- 1. Two `start`s at the same moment on a fresh directory ---------------------------------------
      const pair = [spawnStart(env), spawnStart(env)];
      const memory = pair.map((p) => sampleMemory(p.child.pid!));
      const exitedAt = pair.map((p) => p.exited.then(() => Date.now() - p.startedAt));
      await waitFor(
        () => pair.some((p) => p.url() !== null) && pair.some((p) => p.hasExited()),
        'one start to listen and the other to exit',
        90_000,
      );
      const winner = pair.find((p) => p.url() !== null)!;
      const loser = pair.find((p) => p !== winner)!;
      const lost = await loser.exited;
      memory[pair.indexOf(loser)]!.stop();
      const workerMemory = memory[pair.indexOf(winner)]!;
      expect(lost.code, 'the second start exits non-zero').toBe(1);
      const loserSays = loser.raw.join('\n');
      expect(loserSays).toContain(
        `db: the embedded database ${path.join(dataDir, 'db')} is in use by process ${winner.child.pid} (signpost.mjs start, on this host, since `,
      );
      const lostAfterMs = await exitedAt[pair.indexOf(loser)]!;
      // At once: it does not wait for the other to finish starting (initdb and migrations take seconds).
      expect(lostAfterMs, 'ms from spawn to the exit of the second start').toBeLessThan(10_000);
      report.secondStart = { exitCode: lost.code, exitedAfterMs: lostAfterMs, message: loserSays.split('\n')[0] };

      const origin = winner.url()!;
      const poller = pollHealth(origin, { everyMs: 250, slowMs: HEALTHZ_LIMIT_MS, timeoutMs: 10_000 });
      const health = poller.stats;
      const cycles = () => winner.lines.filter((l) => l.msg.startsWith('cycle done'));
      const apiFeeds = async () =>
        (await (await fetch(`${origin}/api/feeds`)).json()) as {
          url: string;
          status: string;
          articles: number;
          warnings: string[];
          lastError: string | null;
        }[];

      try {
        await waitFor(
          async () => (await apiFeeds()).filter((f) => f.status === 'ok').length === FARM_FEEDS + 1,
          'every feed to be stored',
          90_000,
          winner,
        );

        // --- 5. The 50 KB title: cut, stored, the good item beside it too --------------------------------
        const long = (await apiFeeds()).find((f) => f.url === titles.url('/long-title.xml'))!;
        expect(long).toMatchObject({ status: 'ok', articles: 2, lastError: null });
        expect(long.warnings).toEqual(['1 item stored with fields cut to the storage limits (title, titleKey)']);

        // --- 2. Every command that writes the database, beside the running start -------------------------
        const cliEnv = { ...env, SMTP_URL: 'smtp://127.0.0.1:9', DIGEST_FROM: 'digest@example.org' };
        const refusals: Record<string, string> = {};
        for (const args of [['start'], ['run'], ['backfill'], ['digest', 'send'], ['digest', 'preview']]) {
          const r = await signpost(args, cliEnv);
          expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(1);
          expect(r.stderr).toContain(`is in use by process ${winner.child.pid} (signpost.mjs start`);
          refusals[args.join(' ')] = `exit ${r.code} after ${r.ms} ms`;
        }
        report.refusedBesideStart = refusals;

        // --- 3. An alias bomb in predictions.d/: reported with its line, and feeds are still collected ----
        fs.mkdirSync(path.join(dataDir, 'predictions.d'), { recursive: true });
        const anchors = [
          'a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]',
          ...'bcdefghi'.split('').map((c, i) => `${c}: &${c} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(', ')}]`),
        ];
        fs.writeFileSync(path.join(dataDir, 'predictions.d', 'bomb.yaml'), `predictions: []\n${anchors.join('\n')}\n`);
        await waitFor(
          () =>
            winner.lines.some((l) => l.msg === 'config problem' && String(l.problem).includes('bomb.yaml:3: YAML aliases expand too far')),
          'the alias bomb to be reported',
          30_000,
          winner,
        );
        // `feeds import` beside it: feeds.yaml gains the last farm feed, which the next cycles fetch.
        const opml = path.join(root, 'more.opml');
        fs.writeFileSync(
          opml,
          `<opml version="2.0"><body><outline type="rss" text="More" xmlUrl="${farm.urls[FARM_FEEDS]}"/></body></opml>`,
        );
        const imported = await signpost(['feeds', 'import', opml], env);
        expect(imported.code, imported.stderr).toBe(0);
        await waitFor(
          async () => (await apiFeeds()).some((f) => f.url === farm.urls[FARM_FEEDS] && f.status === 'ok' && f.articles === FARM_ITEMS),
          'the imported feed to be fetched despite the bomb',
          60_000,
          winner,
        );
        const check = await signpost(['check'], env);
        expect(check.code).toBe(1);
        expect(check.stdout).toContain('bomb.yaml:3: YAML aliases expand too far');
        fs.rmSync(path.join(dataDir, 'predictions.d', 'bomb.yaml'));

        // --- 4. A 50 MB forecast file: refused unread, by the worker (every poll) and by `check` ----------
        const huge = path.join(dataDir, 'predictions.d', 'huge.yaml');
        const fd = fs.openSync(huge, 'w');
        const line = `# ${'x'.repeat(1021)}\n`;
        for (let i = 0; i < 50 * 1024; i++) fs.writeSync(fd, line);
        fs.closeSync(fd);
        const seen = cycles().length;
        await waitFor(
          () =>
            winner.lines.some(
              (l) => l.msg === 'config problem' && String(l.problem).includes('huge.yaml: file is 50 MiB, over the 1 MiB limit'),
            ),
          'the 50 MB file to be reported',
          30_000,
          winner,
        );
        // Several polls (every 5 s) and cycles with the file in place.
        await waitFor(() => cycles().length >= seen + 3, 'three cycles with the 50 MB file in place', 60_000, winner);
        const checkHuge = await signpost(['check'], env);
        expect(checkHuge.code).toBe(1);
        expect(checkHuge.stdout).toContain('huge.yaml: file is 50 MiB, over the 1 MiB limit for a config file; not read');
        report.checkWith50MbFile = { exitCode: checkHuge.code, ms: checkHuge.ms, peakRssMb: checkHuge.peakMb };
        expect(checkHuge.peakMb, 'check reads no 50 MB file').toBeLessThan(200);
        fs.rmSync(huge);
        const afterHuge = cycles().length;
        await waitFor(() => cycles().length > afterHuge, 'a cycle after the file went', 30_000, winner);
      } finally {
        await poller.stop();
      }

      // Every log line bounded (no SQL parameters, no 50 KB titles).
      const longest = Math.max(...winner.lines.map((l) => JSON.stringify(l).length), ...winner.raw.map((l) => l.length));
      winner.stopPolling();
      winner.child.kill('SIGTERM');
      const exit = await winner.exited;
      workerMemory.stop();
      expect(exit, winner.raw.slice(-10).join('\n')).toEqual({ code: 0, signal: null });
      expect(fs.existsSync(path.join(dataDir, 'db.lock')), 'the lock is released on exit').toBe(false);

      report.worker = {
        peakRssMb: workerMemory.peakMb(),
        healthz: { polls: health.ok + health.failed.length, maxMs: health.maxMs, over1s: health.slow.length, failed: health.failed.length },
        cycles: cycles().length,
        longestLogLine: longest,
      };
      console.log(`one process per data directory (PGlite):\n${JSON.stringify(report, null, 2)}`);
      expect(health.failed, 'every /healthz poll answered 200').toEqual([]);
      expect(health.slow, `every /healthz poll within ${HEALTHZ_LIMIT_MS} ms`).toEqual([]);
      expect(workerMemory.peakMb(), `peak RSS of the worker, MB (bound ${PEAK_RSS_LIMIT_MB})`).toBeLessThan(PEAK_RSS_LIMIT_MB);
      expect(longest, 'the longest log line, in characters').toBeLessThan(20_000);

      // --- What the database holds: nothing twice -------------------------------------------------------
      const database = await createDb(path.join(dataDir, 'db'), { migrate: false });
      try {
        const count = async (query: string) =>
          Number(((await database.db.execute(query)) as unknown as { rows: { n: number }[] }).rows[0]!.n);
        expect(await count('select count(*) - count(distinct key) as n from articles')).toBe(0);
        expect(await count('select count(*) - count(distinct url) as n from feeds')).toBe(0);
        expect(await count('select count(*) - count(distinct (article_id, prediction_id, scorer, claim_hash)) as n from judgments')).toBe(
          0,
        );
        expect(await count('select count(*) as n from articles')).toBe((FARM_FEEDS + 1) * FARM_ITEMS + 2);
      } finally {
        await database.close();
      }
    },
    scaled(400_000),
  );
});
