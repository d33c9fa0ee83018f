import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listDigestSends, type Database } from '@signpost/db';
import { createTestDb } from '@signpost/db/testing';
import { smtpError, startSmtpServer, type TestSmtpServer } from '../../test/digest/smtp-test-server.ts';
import { loadWorkerEnv } from '../env.ts';
import { createConfigWatcher } from '@signpost/config';
import { createLogger } from '@signpost/log';
import { createDigestJob, digestCron, isPastScheduledTime } from '../digest/digest-job.ts';
import { openRuntime, syncConfig } from '../runtime.ts';
import { digestPreviewCommand, digestSendCommand } from './digest.ts';
import { captureStream } from '../../test/test-streams.ts';

const repoData = path.resolve(import.meta.dirname, '../../../../data');
// 2025-W01 (30 Dec 2024 – 5 Jan 2025) holds the deadline of the $200 billion trade forecast.
const WEEK = '2025-W01';
const AFTER_WEEK = new Date('2025-01-06T09:00:00Z');

function capture() {
  const { stream, text } = captureStream();
  return { out: stream, text };
}

describe('signpost digest preview and send', () => {
  let dataDir: string;
  let database: Database;
  let smtp: TestSmtpServer | undefined;
  beforeEach(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-digest-cmd-'));
    fs.copyFileSync(path.join(repoData, 'predictions.yaml'), path.join(dataDir, 'predictions.yaml'));
    fs.writeFileSync(
      path.join(dataDir, 'digest.yaml'),
      [
        'subscribers:',
        '  - email: ivan@example.ru',
        '    name: Иван Петров',
        '    follow: [russia-china-trade-200b-by-2024]',
        '  - email: all@example.org',
        'schedule: { day: monday, hour: 8, timezone: Europe/Berlin }',
        'options: { skipWhenUnchanged: true, includeFeedHealth: true }',
        '',
      ].join('\n'),
    );
    database = await createTestDb();
  });
  afterEach(async () => {
    await smtp?.close();
    smtp = undefined;
    await database.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const envWith = (extra: Record<string, string> = {}) =>
    loadWorkerEnv({
      SIGNPOST_DATA_DIR: dataDir,
      SIGNPOST_PUBLIC_URL: 'https://signpost.example.org',
      DIGEST_FROM: 'digest@signpost.example.org',
      LOG_LEVEL: 'silent',
      ...extra,
    });

  it('preview prints the subject and the text part for every forecast', async () => {
    const { out, text } = capture();
    expect(await digestPreviewCommand(envWith(), { week: WEEK, out, database })).toBe(0);
    expect(text()).toMatch(/^Subject: Signpost 2025-W01: .*fell due/);
    expect(text()).toContain('Fell due');
    expect(text()).toContain('https://signpost.example.org/predictions/russia-china-trade-200b-by-2024');
    expect(text()).toContain('already resolved: came true');
  });

  it('send delivers over SMTP_URL once per subscriber and week, and exits 1 when the server fails', async () => {
    smtp = await startSmtpServer();
    const env = envWith({ SMTP_URL: `smtp://127.0.0.1:${smtp.port}` });
    const first = capture();
    expect(await digestSendCommand(env, { week: WEEK, out: first.out, database })).toBe(0);
    expect(first.text()).toContain('digest 2025-W01: 2 sent, 0 failed');
    expect(smtp.received.map((m) => m.subject)).toEqual([
      'Signpost 2025-W01: “Annual goods trade between Russia and China will reach at…” fell due',
      expect.stringMatching(/^Signpost 2025-W01: .* fell due/),
    ]);
    expect((smtp.received[0]!.to as { value: { name: string }[] }).value[0]!.name).toBe('Иван Петров');

    const second = capture();
    expect(await digestSendCommand(env, { week: WEEK, out: second.out, database })).toBe(0);
    expect(second.text()).toContain('already-sent');
    expect(smtp.received).toHaveLength(2);

    await smtp.close();
    smtp = await startSmtpServer({ refuse: () => smtpError(451, 'try later') });
    const failing = capture();
    const env2 = envWith({ SMTP_URL: `smtp://127.0.0.1:${smtp.port}` });
    const code = await digestSendCommand(env2, { week: '2025-W02', out: failing.out, database, now: new Date('2025-01-13T08:00:00Z') });
    // Nothing changed in W02: subscribers are skipped, not failed.
    expect(code).toBe(0);
    expect(failing.text()).toContain('unchanged');
    fs.writeFileSync(
      path.join(dataDir, 'digest.yaml'),
      'subscribers:\n  - email: loud@example.org\noptions: { skipWhenUnchanged: false }\n',
    );
    const failed = capture();
    expect(await digestSendCommand(env2, { week: '2025-W02', out: failed.out, database, now: new Date('2025-01-13T08:00:00Z') })).toBe(1);
    expect(failed.text()).toMatch(/FAILED\s+loud@example.org: digest: SMTP 451 .*try later/);
    const rows = await listDigestSends(database.db, { week: '2025-W02' });
    expect(rows.find((r) => r.email === 'loud@example.org')).toMatchObject({ status: 'failed' });
  }, 60_000);

  it('send says what is missing without SMTP_URL or DIGEST_FROM', async () => {
    const { out } = capture();
    await expect(digestSendCommand({ ...envWith(), DIGEST_FROM: undefined }, { out, database })).rejects.toThrow(
      'digest: DIGEST_FROM is not set',
    );
    await expect(digestSendCommand(envWith(), { out, database })).rejects.toThrow('digest: SMTP_URL is not set');
  });

  it('the worker job sends a missed scheduled digest on its next check, once', async () => {
    smtp = await startSmtpServer();
    const env = envWith({ SMTP_URL: `smtp://127.0.0.1:${smtp.port}` });
    // The job needs the runtime's env, logger, database and live config (not the scorer).
    const watcher = createConfigWatcher({ dataDir, intervalMs: 0, onChange: () => {}, onInvalid: () => {} });
    const config = {
      current: () => watcher.current(),
      refresh: async () => ({ problems: [], forecasts: { added: 0, changed: 0, retired: 0 }, status: (await watcher.check()).status }),
      ready: async () => (watcher.current() ? watcher.current() : (await watcher.check(), watcher.current())),
      close: () => watcher.close(),
    };
    const runtime = { env, logger: createLogger({ level: 'silent' }), database, config };
    try {
      await runtime.config.refresh();
      await syncConfig(database, watcher.current()!);
      let now = new Date('2025-01-06T06:30:00Z'); // Monday 07:30 in Berlin: not yet time
      const job = createDigestJob(runtime, { now: () => now, retryCron: '0 0 1 1 *' });
      await job.checkNow();
      expect(smtp.received).toHaveLength(0);
      now = AFTER_WEEK; // Monday 10:00 in Berlin: the 08:00 send was missed
      await job.checkNow();
      await job.checkNow();
      expect(smtp.received).toHaveLength(2);
      // The weekly task follows digest.yaml, also when it changes.
      expect(job.schedule()).toBe('0 8 * * 1 Europe/Berlin');
      fs.writeFileSync(
        path.join(dataDir, 'digest.yaml'),
        'subscribers: []\nschedule: { day: friday, hour: 17, timezone: Asia/Shanghai }\n',
      );
      await runtime.config.refresh();
      await job.checkNow();
      expect(job.schedule()).toBe('0 17 * * 5 Asia/Shanghai');
      await job.stop();
    } finally {
      runtime.config.close();
    }
  }, 60_000);
});

describe('the digest job in a freshly started worker', () => {
  let dataDir: string;
  let database: Database;
  let smtp: TestSmtpServer | undefined;
  afterEach(async () => {
    await smtp?.close();
    await database?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('catches up a missed send on its first check, which start runs before the config files have been read', async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-digest-start-'));
    fs.copyFileSync(path.join(repoData, 'predictions.yaml'), path.join(dataDir, 'predictions.yaml'));
    fs.writeFileSync(
      path.join(dataDir, 'digest.yaml'),
      'subscribers:\n  - email: all@example.org\nschedule: { day: monday, hour: 8, timezone: Europe/Berlin }\n',
    );
    database = await createTestDb();
    smtp = await startSmtpServer();
    const env = loadWorkerEnv({
      SIGNPOST_DATA_DIR: dataDir,
      SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      DIGEST_FROM: 'digest@signpost.example.org',
    });
    // As in start.ts: open the runtime (the config is read in the background) and check at once.
    const runtime = await openRuntime(env, { database, logger: createLogger({ level: 'silent' }) });
    try {
      const job = createDigestJob(runtime, { now: () => AFTER_WEEK, retryCron: '0 0 1 1 *' });
      await job.checkNow();
      expect(smtp.received).toHaveLength(1);
      await job.stop();
    } finally {
      await runtime.close();
    }
  }, 60_000);
});

describe('digest schedule', () => {
  it('turns digest.yaml’s schedule into a cron expression and knows when the week’s send time has passed', () => {
    expect(digestCron({ day: 'monday', hour: 8, timezone: 'UTC' })).toBe('0 8 * * 1');
    expect(digestCron({ day: 'sunday', hour: 23, timezone: 'UTC' })).toBe('0 23 * * 0');
    const monday8 = { day: 'monday' as const, hour: 8, timezone: 'Asia/Shanghai' };
    expect(isPastScheduledTime(monday8, new Date('2026-11-23T00:30:00Z'))).toBe(true); // Mon 08:30 in Shanghai
    expect(isPastScheduledTime(monday8, new Date('2026-11-22T23:30:00Z'))).toBe(false); // Mon 07:30 in Shanghai
    expect(isPastScheduledTime({ ...monday8, day: 'friday' }, new Date('2026-11-26T12:00:00Z'))).toBe(false); // Thursday
    expect(isPastScheduledTime({ ...monday8, day: 'friday' }, new Date('2026-11-29T12:00:00Z'))).toBe(true); // Sunday
  });
});
