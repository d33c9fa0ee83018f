// Issue #14: a second process on the embedded database is refused at once, before it touches
// anything, with a message naming the process that holds it. The lock is held here by the test
// process itself (lockDataDir), standing in for a running `signpost start`; the fault suite runs
// the same commands beside a real one (test/faults/one-process.test.ts).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockDataDir, type DataDirLock } from '@signpost/db';
import { scaled } from '@signpost/testing';
import { signpostNodeArgs } from '../node-flags.ts';
import { ONE_FORECAST_YAML } from '../../test/test-forecasts.ts';

const workerDir = path.resolve(import.meta.dirname, '../..');

function signpost(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, signpostNodeArgs(...args), { cwd: workerDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

describe('the embedded database in use by another process', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-busy-'));
  const dbDir = path.join(dir, 'db');
  let lock: DataDirLock;
  const { DATABASE_URL: _server, ...base } = process.env;
  const env = {
    ...base,
    SIGNPOST_DATA_DIR: dir,
    PORT: '0',
    LOG_LEVEL: 'warn',
    SMTP_URL: 'smtp://127.0.0.1:9',
    DIGEST_FROM: 'digest@example.org',
  };

  beforeAll(async () => {
    fs.writeFileSync(path.join(dir, 'predictions.yaml'), ONE_FORECAST_YAML);
    lock = await lockDataDir(dbDir);
  });
  afterAll(async () => {
    await lock?.release();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    [['start'], null],
    [['run'], 'starts a cycle at once'],
    [['backfill'], 'on its next cycle'],
    [['digest', 'send'], 'sends the digest on the schedule'],
    [['digest', 'preview'], '/admin/digest'],
  ])(
    'signpost %j exits 1 at once, naming the holder, and writes nothing',
    async (args, hint) => {
      const { code, stderr } = await signpost(args, env);
      expect(code, stderr).toBe(1);
      expect(stderr).toContain(`db: the embedded database ${dbDir} is in use by process ${process.pid} (`);
      expect(stderr).toContain('It allows one process at a time');
      if (hint) expect(stderr).toContain(hint);
      // Nothing was opened: no database files, and the holder's lock is untouched.
      expect(fs.existsSync(dbDir) ? fs.readdirSync(dbDir) : []).toEqual([]);
      expect(JSON.parse(fs.readFileSync(`${dbDir}.lock/owner.json`, 'utf8')).pid).toBe(process.pid);
    },
    scaled(30_000),
  );

  it(
    'signpost feeds import works beside it: it only writes feeds.yaml, which the running process picks up',
    async () => {
      const opml = path.join(dir, 'list.opml');
      fs.writeFileSync(opml, '<opml version="2.0"><body><outline type="rss" text="A" xmlUrl="https://a.example/rss"/></body></opml>');
      const { code, stdout, stderr } = await signpost(['feeds', 'import', opml], env);
      expect(code, stderr).toBe(0);
      expect(stdout).toContain('added 1 feed');
      expect(fs.readFileSync(path.join(dir, 'feeds.yaml'), 'utf8')).toContain('https://a.example/rss');
    },
    scaled(30_000),
  );
});
