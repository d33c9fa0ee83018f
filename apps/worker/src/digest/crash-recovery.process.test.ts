import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createDb, listDigestSends } from '@signpost/db';
import { createTestDb } from '@signpost/db/testing';
import { scaled } from '@signpost/testing';
import type { DigestSendResult } from './send-digests.ts';
import { seedDigestData } from '../../test/digest/seed.ts';
import { startSmtpServer, type TestSmtpServer } from '../../test/digest/smtp-test-server.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const SUBSCRIBERS = ['a', 'b', 'c', 'd', 'e', 'f'].map((x, i) => ({
  email: `${x}@example.org`,
  name: ['Zoë', 'Иван', '王小明', 'Ólafur', 'Sørina', 'Ĳsbrand'][i]!,
}));

function runChild(args: object): {
  child: ChildProcess;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; results: DigestSendResult[]; stderr: string }>;
} {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, '../../test/digest/send-child.ts'), JSON.stringify(args)], {
    cwd: path.resolve(here, '../..'),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; results: DigestSendResult[]; stderr: string }>((resolve) =>
    child.on('exit', (code, signal) =>
      resolve({
        code,
        signal,
        stderr,
        results: stdout
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as DigestSendResult),
      }),
    ),
  );
  return { child, done };
}

describe('a send killed half-way (SIGKILL) and run again', () => {
  let smtp: TestSmtpServer | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await smtp?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it(
    'delivers to the other half on the second run and to nobody twice',
    async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-digest-crash-'));
      const dbDir = path.join(dir, 'db');
      // Seed a migrated in-memory database (fast) and write it out as the children's data directory.
      const seeded = await createTestDb();
      await seedDigestData(seeded.db);
      const dump = await (seeded.db as unknown as { $client: { dumpDataDir(compression: 'gzip'): Promise<Blob> } }).$client.dumpDataDir(
        'gzip',
      );
      await seeded.close();
      await (await createDb(dbDir, { loadDataDir: dump })).close();

      let run = 1;
      let first: ReturnType<typeof runChild> | undefined;
      // The 4th message of the first run reaches the server; before the server answers, the
      // sending process is killed. The server never accepted it, so it must come again.
      smtp = await startSmtpServer({
        onData: (n) => {
          if (run === 1 && n === 4) {
            first!.child.kill('SIGKILL');
            return false;
          }
          return true;
        },
      });
      const common = { dbDir, port: smtp.port, subscribers: SUBSCRIBERS, now: '2026-11-23T08:00:00Z' };
      first = runChild({ ...common, leaseMs: 1 });
      const killed = await first.done;
      expect(killed.signal, killed.stderr).toBe('SIGKILL');
      expect(killed.results.map((r) => [r.email, r.outcome])).toEqual([
        ['a@example.org', 'sent'],
        ['b@example.org', 'sent'],
        ['c@example.org', 'sent'],
      ]);
      expect(smtp.received).toHaveLength(3);

      run = 2;
      // A minute later the dead run's lease on the 4th row has run out.
      const second = await runChild({ ...common, leaseMs: 60_000, now: '2026-11-23T08:01:00Z' }).done;
      expect(second.code, second.stderr).toBe(0);
      expect(second.results.map((r) => [r.email, r.outcome, r.resentAfterInterruption ?? false])).toEqual([
        ['a@example.org', 'already-sent', false],
        ['b@example.org', 'already-sent', false],
        ['c@example.org', 'already-sent', false],
        ['d@example.org', 'sent', true],
        ['e@example.org', 'sent', false],
        ['f@example.org', 'sent', false],
      ]);

      const addresses = smtp.received.map((m) => (m.to as { value: { address: string }[] }).value[0]!.address);
      expect(addresses.sort()).toEqual(SUBSCRIBERS.map((s) => s.email));
      // The resent message carries the Message-ID of the interrupted attempt.
      const d = smtp.received.find((m) => (m.to as { value: { address: string }[] }).value[0]!.address === 'd@example.org')!;
      expect(d.messageId).toBe(second.results[3]!.messageId);

      const check = await createDb(dbDir);
      try {
        const rows = await listDigestSends(check.db);
        expect(rows.map((r) => [r.email, r.status, r.attempts])).toEqual([
          ['a@example.org', 'sent', 1],
          ['b@example.org', 'sent', 1],
          ['c@example.org', 'sent', 1],
          ['d@example.org', 'sent', 2],
          ['e@example.org', 'sent', 1],
          ['f@example.org', 'sent', 1],
        ]);
      } finally {
        await check.close();
      }
    },
    scaled(120_000),
  );
});
