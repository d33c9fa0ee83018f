import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb, listPredictions } from '@signpost/db';
import { scaled, waitFor } from '@signpost/testing';
import { signpostNodeArgs } from '../node-flags.ts';

const workerDir = path.resolve(import.meta.dirname, '../..');
const repoData = path.resolve(workerDir, '../../data');

/** Runs `signpost start` as a real process and resolves with its dashboard URL once it listens. */
function startProcess(env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, signpostNodeArgs('start'), {
    cwd: workerDir,
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const lines: Record<string, unknown>[] = [];
  const url = new Promise<string>((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      log += chunk;
      for (const line of chunk.toString().split('\n')) {
        if (!line.startsWith('{')) continue;
        const entry = JSON.parse(line) as Record<string, unknown>;
        lines.push(entry);
        if (typeof entry.url === 'string' && String(entry.msg).includes('dashboard listening')) resolve(entry.url);
      }
    });
    child.once('exit', (code) => reject(new Error(`start exited early with ${code}:\n${log}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  /** Waits for a log line whose message starts with `msg`; fails at once if the process exits. */
  const logged = (msg: string) =>
    waitFor(() => lines.some((l) => String(l.msg).startsWith(msg)), `start to log "${msg}"`, {
      timeoutMs: 60_000,
      everyMs: 5,
      abortIf: () => child.exitCode !== null && `start exited with ${child.exitCode}`,
      diagnose: () => log.slice(-2000),
    });
  return { child, url, exited, lines, logged, log: () => log };
}

describe('signpost start', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-start-'));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it(
    'serves /healthz on the embedded database, follows config changes, and SIGTERM shuts it down cleanly with nothing lost',
    async () => {
      fs.copyFileSync(path.join(repoData, 'predictions.yaml'), path.join(dataDir, 'predictions.yaml'));
      const proc = startProcess({ SIGNPOST_DATA_DIR: dataDir, SIGNPOST_CYCLE_CRON: '0 0 1 1 *' });
      const url = await proc.url;
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const health = await fetch(`${url}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ ok: true });

      // Wait for the first cycle to write the forecasts.
      await proc.logged('cycle done');
      const page = async () => (await fetch(`${url}/`)).text();
      expect(await page()).toContain('href="/predictions/china-no-sanctions-on-russia"');

      // A broken file dropped in while it runs: logged, and the last good config keeps serving.
      const extraDir = path.join(dataDir, 'predictions.d');
      fs.mkdirSync(extraDir);
      fs.writeFileSync(path.join(extraDir, 'mine.yaml'), 'predictions:\n  - id: [oops\n');
      await proc.logged('config invalid');
      expect(proc.lines.some((l) => typeof l.problem === 'string' && l.problem.includes('mine.yaml:'))).toBe(true);
      expect(await page()).toContain('href="/predictions/china-no-sanctions-on-russia"');

      // Fixed: the new forecast appears without a restart.
      const entry = fs
        .readFileSync(path.join(dataDir, 'predictions.yaml'), 'utf8')
        .split(/\n(?= {2}- id: )/)[1]!
        .replace(/^ {2}- id: .*$/m, '  - id: added-while-running')
        .replace(/\n  *(related|contradicts):(\n +- .*| \[.*\])*/g, '');
      fs.writeFileSync(path.join(extraDir, 'mine.yaml'), `predictions:\n${entry}\n`);
      await waitFor(async () => (await page()).includes('href="/predictions/added-while-running"'), 'the added forecast on the overview', {
        everyMs: 200,
      });
      proc.child.kill('SIGTERM');
      expect(await proc.exited).toBe(0);
      expect(proc.log()).toContain('signpost stopped cleanly');

      // The embedded database opens again with everything the process wrote.
      const database = await createDb(path.join(dataDir, 'db'));
      try {
        const expected = (fs.readFileSync(path.join(dataDir, 'predictions.yaml'), 'utf8').match(/^ {2}- id: /gm) ?? []).length + 1;
        expect((await listPredictions(database.db)).length).toBe(expected);
      } finally {
        await database.close();
      }
    },
    scaled(120_000),
  );

  it(
    'stops cleanly when the signal comes again while it is stopping, as Ctrl-C under npm start delivers it',
    async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-start-twice-'));
      try {
        fs.copyFileSync(path.join(repoData, 'predictions.yaml'), path.join(dir, 'predictions.yaml'));
        const proc = startProcess({ SIGNPOST_DATA_DIR: dir, SIGNPOST_CYCLE_CRON: '0 0 1 1 *' });
        await proc.url;
        await proc.logged('cycle done');
        // The terminal's SIGINT to the process group, then the copy pnpm or turbo relays, which
        // arrives once the first is being handled (two at the same instant would merge into one).
        proc.child.kill('SIGINT');
        await proc.logged('signpost stopping');
        proc.child.kill('SIGINT');
        expect(await proc.exited).toBe(0);
        expect(proc.log()).toContain('signpost stopped cleanly');
        expect(proc.log()).not.toContain('stopping at once');
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
    scaled(120_000),
  );

  it(
    'refuses to start with an invalid environment, listing the problems',
    async () => {
      const child = spawn(process.execPath, signpostNodeArgs('start'), {
        cwd: workerDir,
        env: { ...process.env, PORT: '99999', SIGNPOST_ADMIN_TOKEN: 'short' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let err = '';
      child.stderr.on('data', (d) => (err += d));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect(code).toBe(2);
      expect(err).toMatch(/PORT: /);
      expect(err).toMatch(/SIGNPOST_ADMIN_TOKEN: must be at least 16 characters/);
    },
    scaled(60_000),
  );
});
