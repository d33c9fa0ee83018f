import nodemailer from 'nodemailer';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listDigestSends, listDigestWeeksToRetry, recordUnsubscribe, setResolutionOverride, type Database } from '@signpost/db';
import { createTestDb, testBackends } from '@signpost/db/testing';
import { previewDigest, proposeDigestWindow, sendDigests, type SendDigestsOptions } from './send-digests.ts';
import { verifyUnsubscribeToken, UNSUBSCRIBE_SECRET_KEY } from '@signpost/digest';
import { getOrCreateSecret } from '@signpost/db';
import { FORECASTS, NEW_FORECAST, PUBLIC_URL, QUOTES, TEST_SCORER, TITLES, WEEK, seedDigestData } from '../../test/digest/seed.ts';
import { smtpError, startSmtpServer, type TestSmtpServer } from '../../test/digest/smtp-test-server.ts';

const SUBSCRIBERS = [
  { email: 'zoe@example.org', name: 'Zoë Ødegaard-Łukasiewicz' },
  { email: 'ivan@example.ru', name: 'Иван Петров', follow: ['sanctions'] },
  { email: 'wang@example.cn', name: '王小明', follow: ['trade-200b-by-2024'] },
];
const NOW = new Date('2026-11-23T08:00:00Z');
const transportFor = (smtp: TestSmtpServer) =>
  nodemailer.createTransport({ host: '127.0.0.1', port: smtp.port, secure: false, ignoreTLS: true });

describe.each(testBackends)('sendDigests through a real SMTP server (%s)', (backend) => {
  let database: Database;
  let smtp: TestSmtpServer | undefined;
  beforeEach(async () => {
    database = await createTestDb(backend);
    await seedDigestData(database.db);
  });
  afterEach(async () => {
    await smtp?.close();
    smtp = undefined;
    await database?.close();
  });

  const send = (overrides: Partial<SendDigestsOptions> = {}) =>
    sendDigests({
      db: database.db,
      transport: transportFor(smtp!),
      from: '"Signpost" <digest@signpost.example.org>',
      subscribers: SUBSCRIBERS,
      week: WEEK,
      publicUrl: PUBLIC_URL,
      scorer: TEST_SCORER,
      now: () => NOW,
      sleep: async () => {},
      ...overrides,
    });

  it('delivers each subscriber their digest once, with subject, both parts, quoted evidence, links and the unsubscribe header intact', async () => {
    smtp = await startSmtpServer();
    const report = await send();
    expect(report.results.map((r) => [r.email, r.outcome])).toEqual([
      ['zoe@example.org', 'sent'],
      ['ivan@example.ru', 'sent'],
      ['wang@example.cn', 'sent'],
    ]);
    expect(smtp.received).toHaveLength(3);
    const secret = await getOrCreateSecret(database.db, UNSUBSCRIBE_SECRET_KEY);
    const byAddress = new Map(smtp.received.map((m) => [(m.to as { value: { address: string }[] }).value[0]!.address, m]));

    const zoe = byAddress.get('zoe@example.org')!;
    expect((zoe.to as { value: { name: string }[] }).value[0]!.name).toBe('Zoë Ødegaard-Łukasiewicz');
    // The subject says what happened: the sanctions forecast lost its "holding" status.
    expect(zoe.subject).toBe(`Signpost ${WEEK}: “China will not impose sanctions on Russia.” now contested (+3 more changes)`);
    expect(zoe.text).toContain('Hello Zoë Ødegaard-Łukasiewicz,');
    expect(zoe.text).toContain('Holding up → Contested');
    for (const title of [TITLES.ru, TITLES.zh, TITLES.en]) {
      expect(zoe.text).toContain(title);
      expect(zoe.html).toContain(title.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;'));
    }
    for (const quote of Object.values(QUOTES)) {
      expect(zoe.text).toContain(`> “${quote}”`);
      expect(zoe.html).toMatch(new RegExp(`<blockquote[^>]*>“${quote.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}”</blockquote>`));
    }
    expect(zoe.text).toContain('Fell due');
    expect(zoe.text).toContain(NEW_FORECAST.statement);
    expect(zoe.text).toMatch(/FEEDS THAT BROKE[\s\S]*新华网 \(broke this week\)[\s\S]*HTTP 503/);
    expect(zoe.html).not.toMatch(/<script|<link |<style/i);

    // Every link is absolute; forecast links name forecasts that exist; article links are the articles'.
    const hrefs = [...(zoe.html as string).matchAll(/href="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
    expect(hrefs.length).toBeGreaterThan(5);
    const ids = new Set([...FORECASTS, NEW_FORECAST].map((f) => f.id));
    for (const href of hrefs) {
      const url = new URL(href);
      if (url.href.startsWith(`${PUBLIC_URL}/predictions/`)) expect(ids.has(decodeURIComponent(url.pathname.split('/').pop()!))).toBe(true);
      else if (url.hostname === 'news.example') expect(url.search).toBe('?a=1&b=2');
      else expect(href.startsWith(`${PUBLIC_URL}/`) || ['tass.example', 'xinhua.example'].includes(url.hostname)).toBe(true);
    }
    expect(hrefs).toContain(`${PUBLIC_URL}/predictions/china-no-sanctions-on-russia`);

    // One-click unsubscribe: the header's link carries a token that names this recipient.
    const raw = (name: string) => zoe.headerLines.find((h) => h.key === name)?.line.replace(/\r\n\s+/g, ' ');
    const headerMatch = /^List-Unsubscribe: <(https:[^>]+)>$/.exec(raw('list-unsubscribe') ?? '');
    expect(headerMatch).not.toBeNull();
    const unsubscribeLink = headerMatch![1]!;
    expect((zoe.headers.get('list') as unknown as { unsubscribe: { url: string } }).unsubscribe.url).toBe(unsubscribeLink);
    expect(unsubscribeLink.startsWith(`${PUBLIC_URL}/unsubscribe?token=`)).toBe(true);
    expect(verifyUnsubscribeToken(secret, new URL(unsubscribeLink).searchParams.get('token')!)).toBe('zoe@example.org');
    expect(raw('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(hrefs).toContain(unsubscribeLink);
    expect(zoe.messageId).toMatch(/^<digest\.2026-W47\.[0-9a-f]{24}@signpost\.example\.org>$/);

    // Ivan follows the sanctions tag: only that forecast, in his own name.
    const ivan = byAddress.get('ivan@example.ru')!;
    expect((ivan.to as { value: { name: string }[] }).value[0]!.name).toBe('Иван Петров');
    expect(ivan.text).toContain('Hello Иван Петров,');
    expect(ivan.text).toContain(TITLES.ru);
    expect(ivan.text).not.toContain(TITLES.zh);
    expect(ivan.subject).toBe(`Signpost ${WEEK}: “China will not impose sanctions on Russia.” now contested`);

    // Wang follows the trade forecast: it gained ground on a Chinese-language article.
    const wang = byAddress.get('wang@example.cn')!;
    expect((wang.to as { value: { name: string }[] }).value[0]!.name).toBe('王小明');
    expect(wang.subject).toMatch(
      /^Signpost 2026-W47: “China–Russia bilateral trade will reach \$200 billion by…” gained ground \(record \+0\.\d\d\)$/,
    );
    expect(wang.html).toContain(QUOTES.zh);
    expect(wang.text).not.toContain(TITLES.ru);

    const rows = await listDigestSends(database.db, { week: WEEK });
    expect(rows.map((r) => [r.email, r.status, r.attempts])).toEqual([
      ['ivan@example.ru', 'sent', 1],
      ['wang@example.cn', 'sent', 1],
      ['zoe@example.org', 'sent', 1],
    ]);

    // A second run (the scheduler firing again, or `digest send` by hand) sends nothing.
    const again = await send();
    expect(again.results.map((r) => r.outcome)).toEqual(['already-sent', 'already-sent', 'already-sent']);
    expect(smtp.received).toHaveLength(3);
    // Cyrillic and Chinese in a subject line survive the MIME encoding.
    await send({ subscribers: [{ email: 'energy@example.org', name: 'Ли Мин 李明', follow: ['energy'] }] });
    const energy = smtp.received.at(-1)!;
    expect(energy.subject).toBe(`Signpost ${WEEK}: new forecast “«Сила Сибири 2» (西伯利亚力量2号) will be signed by 2030.”`);
    expect((energy.to as { value: { name: string }[] }).value[0]!.name).toBe('Ли Мин 李明');
  });

  it('retries when the SMTP server refuses the first attempts, and the digest arrives once', async () => {
    smtp = await startSmtpServer({ refuse: (n) => (n <= 2 ? smtpError(451, 'Temporary local problem, try again') : null) });
    const delays: number[] = [];
    const report = await send({
      subscribers: [SUBSCRIBERS[0]!],
      retry: { attempts: 3, baseDelayMs: 1000 },
      sleep: async (ms) => void delays.push(ms),
    });
    expect(report.results).toMatchObject([{ outcome: 'sent', attempts: 3 }]);
    expect(delays).toEqual([1000, 2000]);
    expect(smtp.dataCount).toBe(3);
    expect(smtp.received).toHaveLength(1);
    const [row] = await listDigestSends(database.db);
    expect(row).toMatchObject({ status: 'sent', attempts: 3, lastError: null });
  });

  it('when the server stays down, marks the digest failed with a retry time; a later run after recovery delivers it once', async () => {
    let down = true;
    smtp = await startSmtpServer({ refuse: () => (down ? smtpError(421, 'Service not available') : null) });
    const first = await send({ subscribers: [SUBSCRIBERS[1]!], retry: { attempts: 2 }, backoff: { baseMs: 60_000 } });
    expect(first.failed).toBe(1);
    expect(first.results[0]).toMatchObject({ outcome: 'failed', attempts: 2, nextAttemptAt: new Date(NOW.getTime() + 120_000) });
    expect(first.results[0]!.error).toMatch(/^digest: SMTP 421 .*Service not available/);
    const [failed] = await listDigestSends(database.db);
    expect(failed).toMatchObject({ status: 'failed', attempts: 2 });
    expect(failed!.lastError).toContain('421');

    down = false;
    // Too early: the backoff holds.
    const early = await send({ subscribers: [SUBSCRIBERS[1]!], now: () => new Date(NOW.getTime() + 60_000) });
    expect(early.results[0]).toMatchObject({ outcome: 'backoff' });
    expect(smtp.received).toHaveLength(0);
    // Due: sent, once, with the same Message-ID the failed attempts carried.
    const later = await send({ subscribers: [SUBSCRIBERS[1]!], now: () => new Date(NOW.getTime() + 180_000) });
    expect(later.results[0]).toMatchObject({ outcome: 'sent', attempts: 3, messageId: first.results[0]!.messageId });
    await send({ subscribers: [SUBSCRIBERS[1]!], now: () => new Date(NOW.getTime() + 999_000) });
    expect(smtp.received).toHaveLength(1);
    expect(smtp.received[0]!.messageId).toBe(first.results[0]!.messageId);
  });

  it('gives up after maxAttempts and says so on the ledger', async () => {
    smtp = await startSmtpServer({ refuse: () => smtpError(550, 'Mailbox unavailable') });
    const report = await send({ subscribers: [SUBSCRIBERS[0]!], retry: { attempts: 3 }, backoff: { maxAttempts: 1 } });
    // A permanent (5xx) refusal is not retried within the run.
    expect(report.results[0]).toMatchObject({ outcome: 'failed', attempts: 1, nextAttemptAt: null });
    expect(smtp.dataCount).toBe(1);
    const later = await send({ subscribers: [SUBSCRIBERS[0]!], now: () => new Date(NOW.getTime() + 86_400_000) });
    expect(later.results[0]).toMatchObject({ outcome: 'gave-up' });
  });

  it('leaves out unsubscribed addresses and skips a week where nothing changed for the subscriber', async () => {
    smtp = await startSmtpServer();
    await recordUnsubscribe(database.db, 'IVAN@example.ru');
    const quiet = { email: 'quiet@example.org', follow: ['energy-pipeline-deal'] };
    // The energy forecast is new in W47 (news), but not in W48, where nothing at all happens.
    const report = await send({ subscribers: [SUBSCRIBERS[1]!, quiet], week: '2026-W48', now: () => new Date('2026-11-30T08:00:00Z') });
    expect(report.results.map((r) => r.outcome)).toEqual(['unsubscribed', 'unchanged']);
    expect(smtp.received).toHaveLength(0);
    const rows = await listDigestSends(database.db);
    expect(rows.map((r) => [r.email, r.status])).toEqual([['quiet@example.org', 'skipped']]);
    // With skipWhenUnchanged off, the quiet week is still sent, saying that nothing changed.
    const loud = await send({
      subscribers: [{ ...quiet, email: 'loud@example.org' }],
      week: '2026-W48',
      options: { skipWhenUnchanged: false },
    });
    expect(loud.results[0]!.outcome).toBe('sent');
    expect(smtp.received[0]!.subject).toBe('Signpost 2026-W48: no change in the forecasts you follow');
  });

  it('starts the window where the last digest ended, so a missed week is caught up', async () => {
    smtp = await startSmtpServer();
    const zoe = [SUBSCRIBERS[0]!];
    await send({ subscribers: zoe, week: '2026-W45', now: () => new Date('2026-11-09T08:00:00Z') });
    // W46 was missed (the worker was down); the W47 digest covers W46 and W47.
    expect(await proposeDigestWindow(database.db, 'zoe@example.org', WEEK)).toEqual({
      start: new Date('2026-11-09T00:00:00Z'),
      end: new Date('2026-11-23T00:00:00Z'),
    });
    const report = await send({ subscribers: zoe });
    expect(report.results[0]!.window).toEqual({ start: new Date('2026-11-09T00:00:00Z'), end: new Date('2026-11-23T00:00:00Z') });
    const last = smtp.received.at(-1)!;
    expect(last.text).toContain('catches up on 2 weeks');
    expect(last.text).toContain(TITLES.trade); // published in W46
    expect(last.text).not.toContain(TITLES.old); // published in W45, already in the first digest
    // A new subscriber's first digest covers the week alone.
    expect(await proposeDigestWindow(database.db, 'new@example.org', WEEK)).toEqual({
      start: new Date('2026-11-16T00:00:00Z'),
      end: new Date('2026-11-23T00:00:00Z'),
    });
  });

  it('reports a resolution an analyst set on the dashboard during the week, in a preview that sends and claims nothing', async () => {
    await setResolutionOverride(
      database.db,
      { predictionId: 'trade-200b-by-2024', status: 'true', date: '2026-11-20', note: 'customs data: $245 billion in 2024' },
      new Date('2026-11-20T10:00:00Z'),
    );
    const preview = await previewDigest({
      db: database.db,
      week: WEEK,
      publicUrl: PUBLIC_URL,
      scorer: TEST_SCORER,
      subscriber: SUBSCRIBERS[2],
    });
    expect(preview.subject).toBe(`Signpost ${WEEK}: “China–Russia bilateral trade will reach $200 billion by…” resolved: came true`);
    expect(preview.text).toContain('Resolved: came true — On 2026-11-20: customs data: $245 billion in 2024.');
    expect(preview.text).toContain('Hello 王小明,');
    expect(await listDigestSends(database.db)).toEqual([]);
  });

  it('two runs at once (the scheduler and a hand-run send) deliver each digest once', async () => {
    smtp = await startSmtpServer();
    const [a, b] = await Promise.all([send(), send()]);
    const outcomes = [...a.results, ...b.results].map((r) => r.outcome).sort();
    expect(outcomes.filter((o) => o === 'sent')).toHaveLength(3);
    expect(outcomes.filter((o) => o !== 'sent').every((o) => o === 'in-progress' || o === 'already-sent')).toBe(true);
    expect(smtp.received).toHaveLength(3);
    expect(new Set(smtp.received.map((m) => m.messageId)).size).toBe(3);
  });

  it('a run that dies part-way leaves everyone it had not reached due in the ledger; the retry check sends to each of them once', async () => {
    smtp = await startSmtpServer();
    const real = transportFor(smtp);
    let calls = 0;
    // The first run "dies" while handing the second digest to the server: that call never returns.
    const dying = {
      sendMail: (mail: Parameters<typeof real.sendMail>[0]) => (++calls === 2 ? new Promise<never>(() => {}) : real.sendMail(mail)),
    };
    void send({ transport: dying });
    for (let waited = 0; calls < 2 && waited < 10_000; waited += 10) await new Promise((r) => setTimeout(r, 10));
    expect(calls).toBe(2);
    expect(smtp.received).toHaveLength(1);

    // What a restarted worker's check does (digest-job.ts): retry the weeks with due rows, claiming nothing new.
    const later = (minutes: number) => () => new Date(NOW.getTime() + minutes * 60_000);
    expect(await listDigestWeeksToRetry(database.db, later(1)())).toEqual([WEEK]);
    const retry = await send({ onlyExisting: true, now: later(1) });
    expect(retry.results.map((r) => [r.email, r.outcome])).toEqual([
      ['zoe@example.org', 'already-sent'],
      ['ivan@example.ru', 'in-progress'],
      ['wang@example.cn', 'sent'],
    ]);
    // Once the dead run's lease has run out, the interrupted one goes too, with its Message-ID.
    const afterLease = await send({ onlyExisting: true, now: later(11) });
    expect(afterLease.results.find((r) => r.email === 'ivan@example.ru')).toMatchObject({ outcome: 'sent', resentAfterInterruption: true });
    expect(smtp.received.map((m) => (m.to as { value: { address: string }[] }).value[0]!.address).sort()).toEqual(
      SUBSCRIBERS.map((s) => s.email).sort(),
    );
    expect((await listDigestSends(database.db)).map((r) => r.status)).toEqual(['sent', 'sent', 'sent']);
  });
});
