import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb } from './create-db.ts';
import { DatabaseInUseError, LOCK_STALE_MS, lockDataDir } from './data-dir-lock.ts';
import { listPredictions, syncPredictions } from './queries/predictions.ts';
import { createTestDb } from '../test/testing.ts';
import { scaled } from '@signpost/testing';

const lockModule = path.join(import.meta.dirname, 'data-dir-lock.ts');

/** A process of its own that takes the lock on `dir`, says so on stdout, and waits to be killed. */
function holdInChild(dir: string) {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      `import { lockDataDir } from ${JSON.stringify(lockModule)}; await lockDataDir(${JSON.stringify(dir)}); console.log('locked'); setInterval(() => {}, 1000);`,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const locked = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => d.toString().includes('locked') && resolve());
    child.once('exit', (code) => reject(new Error(`the lock holder exited (${code}): ${err}`)));
  });
  return { child, locked, exited: new Promise((resolve) => child.once('exit', resolve)) };
}

describe('the embedded data directory is held by one process at a time', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-lock-'));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it(
    'refuses a second process, naming the holder, and takes over at once when the holder was killed',
    async () => {
      const dir = path.join(root, 'db');
      const holder = holdInChild(dir);
      await holder.locked;
      const refused = await lockDataDir(dir).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(DatabaseInUseError);
      expect((refused as Error).message).toContain(
        `db: the embedded database ${dir} is in use by process ${holder.child.pid} (node, on this host, since `,
      );
      expect((refused as Error).message).toContain('stop that process first, or use PostgreSQL (DATABASE_URL)');

      holder.child.kill('SIGKILL');
      await holder.exited;
      // A crashed holder blocks nobody: its pid is gone, so the lock is taken over without waiting.
      const started = Date.now();
      const lock = await lockDataDir(dir);
      expect(Date.now() - started).toBeLessThan(2000);
      expect(JSON.parse(fs.readFileSync(`${dir}.lock/owner.json`, 'utf8'))).toMatchObject({ pid: process.pid, host: os.hostname() });
      await lock.release();
      expect(fs.existsSync(`${dir}.lock`)).toBe(false);
    },
    scaled(30_000),
  );

  it(
    'refuses a second createDb on the same directory in this process, and opens it again after close',
    async () => {
      const seeded = await createTestDb();
      const dump = await (seeded.db as unknown as { $client: { dumpDataDir(c: 'gzip'): Promise<Blob> } }).$client.dumpDataDir('gzip');
      await seeded.close();
      const dir = path.join(root, 'twice');
      const first = await createDb(dir, { loadDataDir: dump });
      await syncPredictions(first.db, [{ id: 'kept', statement: 'S', record: { id: 'kept' } }]);
      await expect(createDb(dir)).rejects.toThrow(`is in use by process ${process.pid} (`);
      await expect(createDb(dir)).rejects.toThrow('in this very process');
      await first.close();
      const again = await createDb(dir);
      expect((await listPredictions(again.db)).map((p) => p.id)).toEqual(['kept']);
      await again.close();
    },
    scaled(60_000),
  );

  it(
    'waits out a holder on another host until its lock goes stale, and sees through a reused pid',
    async () => {
      const dir = path.join(root, 'shared');
      const write = (owner: object, ageMs: number) => {
        fs.rmSync(`${dir}.lock`, { recursive: true, force: true });
        fs.mkdirSync(`${dir}.lock`, { recursive: true });
        fs.writeFileSync(`${dir}.lock/owner.json`, JSON.stringify(owner));
        const at = new Date(Date.now() - ageMs);
        fs.utimesSync(`${dir}.lock`, at, at);
      };
      const elsewhere = { pid: 4242, host: 'another-host', command: 'signpost.mjs start', startedAt: '2026-01-01T00:00:00.000Z' };
      write(elsewhere, 1000);
      await expect(lockDataDir(dir)).rejects.toThrow(
        /in use by process 4242 \(signpost\.mjs start, on host another-host; if that process is gone, the lock lapses 60 s/,
      );
      write(elsewhere, LOCK_STALE_MS + 5000);
      await (await lockDataDir(dir)).release();

      // A lock left by a process that died between making it and recording itself: taken over once it is a few seconds old.
      write(elsewhere, 1000);
      fs.rmSync(`${dir}.lock/owner.json`);
      fs.utimesSync(`${dir}.lock`, new Date(), new Date());
      await expect(lockDataDir(dir)).rejects.toThrow('in use by a process that is starting (it has not recorded its pid yet)');
      const old = new Date(Date.now() - 10_000);
      fs.utimesSync(`${dir}.lock`, old, old);
      await (await lockDataDir(dir)).release();

      // A live pid that belongs to another program now (its start time differs from the recorded one).
      write(
        { pid: process.ppid, host: os.hostname(), command: 'signpost.mjs start', startedAt: '2026-01-01T00:00:00.000Z', procStart: '1' },
        1000,
      );
      await (await lockDataDir(dir)).release();
    },
    scaled(30_000),
  );
});
