// The dashboard's digest routes as the worker assembles them (src/dashboard.ts): the preview from
// the database and digest.yaml, the unsubscribe link of a digest delivered over real SMTP.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { getOrCreateSecret, listUnsubscribed, syncPredictions, type Database } from '@signpost/db';
import { createTestDb } from '@signpost/db/testing';
import { UNSUBSCRIBE_SECRET_KEY, signUnsubscribeToken } from '@signpost/digest';
import { createLogger } from '@signpost/log';
import { startSmtpServer, type TestSmtpServer } from '../../test/digest/smtp-test-server.ts';
import { createDashboard } from '../dashboard.ts';
import { sendDigests } from './send-digests.ts';
import { loadDigestSettings } from '@signpost/config';
import { createSmtpTransport } from './smtp-transport.ts';

const TOKEN = 'digest-admin-token-0123456789';
const PUBLIC_URL = 'https://signpost.example.org';
const NOW = new Date('2026-11-23T09:00:00Z');
let database: Database;
let dataDir: string;
let smtp: TestSmtpServer | undefined;

function makeApp(adminToken: string | null = TOKEN) {
  return createDashboard({
    env: { SIGNPOST_ADMIN_TOKEN: adminToken ?? undefined, SIGNPOST_PUBLIC_URL: PUBLIC_URL, SIGNPOST_TRUST_PROXY: false },
    db: database.db,
    logger: createLogger({ level: 'silent' }),
    scorer: 'digest-route-test@1',
    now: () => NOW,
    digestSettings: () => loadDigestSettings(dataDir),
  });
}

beforeAll(async () => {
  database = await createTestDb();
  await syncPredictions(
    database.db,
    [
      {
        id: 'trade-200b',
        statement: 'Trade will reach $200 billion — 贸易 — торговля.',
        record: { id: 'trade-200b', statement: 'x', deadline: '2026-11-18', tags: ['economy'] },
      },
      { id: 'no-alliance', statement: 'No alliance.', record: { id: 'no-alliance', statement: 'No alliance.', tags: ['military'] } },
    ],
    new Date('2026-01-01T00:00:00Z'),
  );
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-digest-routes-'));
  fs.writeFileSync(
    path.join(dataDir, 'digest.yaml'),
    'subscribers:\n  - email: ivan@example.ru\n    name: Иван\n    follow: [economy]\n  - email: all@example.org\n',
  );
});
afterAll(async () => {
  await database?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});
afterEach(async () => {
  await smtp?.close();
  smtp = undefined;
});

describe('unsubscribe route', () => {
  it('the List-Unsubscribe link of a delivered digest works: one-click POST stops the next digest', async () => {
    smtp = await startSmtpServer();
    const transport = createSmtpTransport(`smtp://127.0.0.1:${smtp.port}`);
    const subscribers = [{ email: 'Ivan@Example.ru', name: 'Иван' }];
    const common = {
      db: database.db,
      transport,
      from: 'digest@signpost.example.org',
      subscribers,
      publicUrl: PUBLIC_URL,
      scorer: 'digest-route-test@1',
      options: { skipWhenUnchanged: false },
    };
    expect((await sendDigests({ ...common, week: '2026-W47', now: () => NOW })).sent).toBe(1);
    const line = smtp.received[0]!.headerLines.find((h) => h.key === 'list-unsubscribe')!.line.replace(/\r\n\s+/g, ' ');
    const link = new URL(/<([^>]+)>/.exec(line)![1]!);
    expect(link.origin).toBe(PUBLIC_URL);

    const app = makeApp();
    // A GET (a link scanner, or the person clicking) only asks.
    const ask = await app.request(link.pathname + link.search);
    expect(ask.status).toBe(200);
    const askPage = await ask.text();
    expect(askPage).toContain('Stop the weekly digest?');
    expect(askPage).toContain(`action="/unsubscribe?token=${encodeURIComponent(link.searchParams.get('token')!)}"`);
    expect((await listUnsubscribed(database.db)).size).toBe(0);

    const res = await app.request(link.pathname + link.search, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://mail.example.net' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('unsubscribed ivan@example.ru');
    expect([...(await listUnsubscribed(database.db))]).toEqual(['ivan@example.ru']);

    const next = await sendDigests({ ...common, week: '2026-W48', now: () => new Date('2026-11-30T09:00:00Z') });
    expect(next.results.map((r) => r.outcome)).toEqual(['unsubscribed']);
    expect(smtp.received).toHaveLength(1);
    transport.close();
  });

  it('the confirmation form unsubscribes; forged or damaged tokens are refused', async () => {
    const app = makeApp();
    const secret = await getOrCreateSecret(database.db, UNSUBSCRIBE_SECRET_KEY);
    const token = signUnsubscribeToken(secret, 'zoe@example.org');
    const res = await app.request('/unsubscribe', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `token=${encodeURIComponent(token)}`,
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('zoe@example.org will not receive the weekly digest any more');
    expect((await listUnsubscribed(database.db)).has('zoe@example.org')).toBe(true);
    expect(await (await app.request(`/unsubscribe?token=${encodeURIComponent(token)}`)).text()).toContain(
      'does not receive the weekly digest any more',
    );

    const forged = signUnsubscribeToken('not-the-secret', 'victim@example.org');
    const bad = await app.request(`/unsubscribe?token=${encodeURIComponent(forged)}`, { method: 'POST' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('This unsubscribe link is not valid');
    expect((await app.request(`/unsubscribe?token=${encodeURIComponent(token.slice(0, -3))}`)).status).toBe(400);
    expect((await listUnsubscribed(database.db)).has('victim@example.org')).toBe(false);
  });
});

describe('digest preview (admin)', () => {
  it('is refused without the admin token, asks a visitor to log in, and answers a wrong bearer token 401', async () => {
    expect((await makeApp(null).request('/admin/digest')).status).toBe(403);
    const res = await makeApp().request('/admin/digest?week=2026-W47');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/login?next=%2Fadmin%2Fdigest%3Fweek%3D2026-W47');
    expect(
      (await makeApp().request('/admin/digest/message.html', { headers: { authorization: 'Bearer wrong-token-wrong-token' } })).status,
    ).toBe(401);
  });

  it('shows a subscriber’s digest for a week, the HTML as a download, and the send ledger', async () => {
    const auth = { headers: { authorization: `Bearer ${TOKEN}` } };
    const app = makeApp();
    const page = await app.request('/admin/digest?week=2026-W47&email=ivan@example.ru', auth);
    expect(page.status).toBe(200);
    const body = await page.text();
    expect(body).toContain('<strong>Subject:</strong> Signpost 2026-W47: “Trade will reach $200 billion — 贸易 — торговля.” fell due');
    expect(body).toContain('Hello Иван,');
    expect(body).toContain('in the 1 forecast you follow'); // Ivan follows economy only
    expect(body).toContain('<option value="ivan@example.ru" selected="">Иван &lt;ivan@example.ru&gt;</option>');
    expect(body).toMatch(/<td>2026-W47<\/td><td>ivan@example\.ru<\/td><td>sent<\/td>/);

    const all = await (await app.request('/admin/digest?week=2026-W47', auth)).text();
    expect(all).toContain('in all 2 forecasts');

    const download = await app.request('/admin/digest/message.html?week=2026-W47&email=ivan@example.ru', auth);
    expect(download.headers.get('content-disposition')).toBe('attachment; filename="signpost-digest-2026-W47.html"');
    const emailHtml = await download.text();
    expect(emailHtml).toMatch(/^<!DOCTYPE html>/);
    expect(emailHtml).toContain(`href="${PUBLIC_URL}/predictions/trade-200b"`);

    const bad = await app.request('/admin/digest?week=2026-47', auth);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('is not an ISO week');
    expect((await app.request('/admin/digest?week=2026-W47&email=nobody@example.org', auth)).status).toBe(400);
  });
});
