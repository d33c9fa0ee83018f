import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordFeedError, type Database } from '@signpost/db';
import { createTestDb, testBackends } from '@signpost/db/testing';
import { createLogger } from '@signpost/log';
import { createApp } from '../app.tsx';
import { NOW, SCORER, buildFixture } from '../../test/fixture.ts';
import { safeNext } from './admin.tsx';

const TOKEN = 'correct-horse-battery-staple';
const ORIGIN = 'http://localhost';
describe.each(testBackends)('on %s', (backend) => {
  let database: Database;
  let fixture: Awaited<ReturnType<typeof buildFixture>>;
  const runs: string[] = [];

  beforeAll(async () => {
    database = await createTestDb(backend);
    fixture = await buildFixture(database.db);
  });
  afterAll(async () => database?.close());

  const logger = createLogger({ level: 'silent' });
  const makeApp = (adminToken?: string) =>
    createApp({
      db: database.db,
      logger,
      scorer: SCORER,
      now: () => NOW,
      adminToken,
      triggerRun: async () => {
        runs.push('run');
        return `run-${runs.length}`;
      },
    });

  function form(fields: Record<string, string>, headers: Record<string, string> = {}) {
    return {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN, ...headers },
      body: new URLSearchParams(fields).toString(),
    };
  }

  async function login(app: ReturnType<typeof makeApp>) {
    const res = await app.request('/login', form({ token: TOKEN, next: '/review' }));
    expect(res.status).toBe(303);
    const cookie = res.headers.get('set-cookie')!;
    const session = cookie.split(';')[0]!;
    const page = await (await app.request('/review', { headers: { cookie: session } })).text();
    const adminPage = await (await app.request('/admin', { headers: { cookie: session } })).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(adminPage)![1]!;
    return { cookie, session, csrf, page };
  }

  describe('without SIGNPOST_ADMIN_TOKEN the dashboard is read-only', () => {
    const app = () => makeApp(undefined);
    it('refuses logins, admin pages, form posts and the admin API', async () => {
      expect((await app().request('/login')).status).toBe(403);
      expect((await app().request('/login', form({ token: 'anything' }))).status).toBe(403);
      expect((await app().request('/review')).status).toBe(403);
      expect((await app().request('/review', form({ articleId: '1', predictionId: 'no-sanctions', stance: 'agree' }))).status).toBe(403);
      const api = await app().request('/api/admin/overrides', {
        method: 'POST',
        headers: { authorization: 'Bearer x', 'content-type': 'application/json' },
        body: '{}',
      });
      expect(api.status).toBe(403);
      expect(await (await app().request('/')).text()).not.toContain('href="/login"');
    });
  });

  describe('admin with a token', () => {
    it('a wrong token does not log in; the right one sets an HttpOnly, SameSite=Strict session cookie', async () => {
      const app = makeApp(TOKEN);
      const wrong = await app.request('/login', form({ token: 'not-the-token' }));
      expect(wrong.status).toBe(401);
      expect(wrong.headers.get('set-cookie')).toBeNull();
      const { cookie, page } = await login(app);
      expect(cookie).toMatch(/^signpost_session=[^;]+;/);
      expect(cookie).toContain('HttpOnly');
      expect(cookie).toContain('SameSite=Strict');
      expect(cookie).toContain('Max-Age=43200');
      expect(page).toContain('Review queue');
      // Confidence 0.5 is in the review band; 0.7–0.9 are not.
      expect(page.match(/<li id="review-/g)).toHaveLength(1);
      expect(page).toContain('Banks are weighing &lt;curbs&gt;');
    });

    it('the session cookie is Secure behind https', async () => {
      const app = createApp({
        db: database.db,
        logger,
        scorer: SCORER,
        now: () => NOW,
        adminToken: TOKEN,
        publicUrl: 'https://signpost.example',
      });
      const res = await app.request('https://signpost.example/login', form({ token: TOKEN }, { origin: 'https://signpost.example' }));
      expect(res.headers.get('set-cookie')).toContain('Secure');
    });

    it('a forged or expired cookie is no session', async () => {
      const app = makeApp(TOKEN);
      const { session } = await login(app);
      const forged = session.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
      expect((await app.request('/review', { headers: { cookie: forged } })).status).toBe(303);
      const later = createApp({
        db: database.db,
        logger,
        scorer: SCORER,
        now: () => new Date(NOW.getTime() + 13 * 3600_000),
        adminToken: TOKEN,
      });
      expect((await later.request('/review', { headers: { cookie: session } })).status).toBe(303);
      // Another token ends every session.
      const rotated = makeApp(`${TOKEN}-rotated`);
      expect((await rotated.request('/review', { headers: { cookie: session } })).status).toBe(303);
    });

    it('form posts need the session, the CSRF token and a same-site origin', async () => {
      const app = makeApp(TOKEN);
      const { session, csrf } = await login(app);
      const fields = { articleId: String(fixture.ids.a3), predictionId: 'no-sanctions', stance: 'agree', back: '/review' };
      expect((await app.request('/review', form({ ...fields, _csrf: csrf }))).status).toBe(403); // no cookie
      expect((await app.request('/review', form(fields, { cookie: session }))).status).toBe(403); // no token
      expect((await app.request('/review', form({ ...fields, _csrf: 'x'.repeat(43) }, { cookie: session }))).status).toBe(403);
      expect(
        (await app.request('/review', form({ ...fields, _csrf: csrf }, { cookie: session, origin: 'https://evil.example' }))).status,
      ).toBe(403);
      expect(
        (await app.request('/review', form({ ...fields, _csrf: csrf }, { cookie: session, 'sec-fetch-site': 'cross-site' }))).status,
      ).toBe(403);
      const noOrigin = form({ ...fields, _csrf: csrf }, { cookie: session });
      delete (noOrigin.headers as Record<string, string>).origin;
      const refused = await app.request('/review', noOrigin);
      expect(refused.status).toBe(403); // neither Origin nor Sec-Fetch-Site: not shown to be this site
      expect(await refused.text()).toContain('This form was sent from another site.');
      const evidence = async () =>
        ((await (await app.request('/api/predictions/no-sanctions/evidence?stance=disagree')).json()) as unknown[]).length;
      expect(await evidence()).toBe(1);
      const ok = await app.request('/review', form({ ...fields, _csrf: csrf }, { cookie: session }));
      expect(ok.status).toBe(303);
      expect(ok.headers.get('location')).toBe('/review');
      // The override counts at once: the cache was invalidated and the queue no longer lists it.
      expect(await evidence()).toBe(0);
      const queue = await (await app.request('/review', { headers: { cookie: session } })).text();
      expect(queue).toContain('Nothing to review.');
      const page = await (await app.request('/predictions/no-sanctions', { headers: { cookie: session } })).text();
      expect(page).toContain('set by an analyst');
    });

    it('rejects bad override input with a clear message', async () => {
      const app = makeApp(TOKEN);
      const { session, csrf } = await login(app);
      const res = await app.request(
        '/review',
        form({ articleId: '999999', predictionId: 'no-sanctions', stance: 'agree', _csrf: csrf }, { cookie: session }),
      );
      expect(res.status).toBe(400);
      expect(await res.text()).toContain('admin: no article with id 999999');
      const res2 = await app.request(
        '/review',
        form({ articleId: String(fixture.ids.a1), predictionId: 'no-sanctions', stance: 'maybe', _csrf: csrf }, { cookie: session }),
      );
      expect(res2.status).toBe(400);
    });

    it('marks a forecast resolved from its page, and triggers a run', async () => {
      const app = makeApp(TOKEN);
      const { session, csrf } = await login(app);
      const page = await (await app.request('/predictions/trade-200b', { headers: { cookie: session } })).text();
      expect(page).toContain('action="/predictions/trade-200b/resolve"');
      const res = await app.request(
        '/predictions/trade-200b/resolve',
        form({ status: 'true', date: '2024-01-12', note: 'Trade hit $240bn in 2023', _csrf: csrf }, { cookie: session }),
      );
      expect(res.status).toBe(303);
      const api = (await (await app.request('/api/predictions')).json()) as { id: string; status: string }[];
      expect(api.find((p) => p.id === 'trade-200b')!.status).toBe('resolved-true');
      expect(await (await app.request('/predictions/trade-200b')).text()).toContain('set from the dashboard');
      const before = runs.length;
      const run = await app.request('/admin/run', form({ _csrf: csrf }, { cookie: session }));
      expect(run.status).toBe(303);
      expect(run.headers.get('location')).toBe(`/admin?run=run-${before + 1}`);
      expect(runs.length).toBe(before + 1);
    });

    it('the admin API takes a bearer token and JSON', async () => {
      const app = makeApp(TOKEN);
      const post = (path: string, body: unknown, auth?: string) =>
        app.request(path, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) },
          body: JSON.stringify(body),
        });
      const body = { articleId: fixture.ids.a1, predictionId: 'no-sanctions', stance: 'discuss', note: 'on topic only' };
      expect((await post('/api/admin/overrides', body)).status).toBe(401);
      expect((await post('/api/admin/overrides', body, 'Bearer wrong-token')).status).toBe(401);
      const ok = await post('/api/admin/overrides', body, `Bearer ${TOKEN}`);
      expect(ok.status).toBe(200);
      const evidence = (await (await app.request('/api/predictions/no-sanctions/evidence')).json()) as {
        articleId: number;
        stance: string;
      }[];
      expect(evidence.find((e) => e.articleId === fixture.ids.a1)!.stance).toBe('discuss');
      const bad = await post('/api/admin/predictions/no-sanctions/resolution', { status: 'perhaps' }, `Bearer ${TOKEN}`);
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { error: string }).error).toMatch(/^admin: status must be/);
      expect((await post('/api/admin/run', {}, `Bearer ${TOKEN}`)).status).toBe(202);
    });

    it('says what is wrong with an override or a resolution, the first problem in the order of the fields', async () => {
      const app = makeApp(TOKEN);
      const error = async (path: string, body: unknown) => {
        const res = await app.request(path, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
          body: JSON.stringify(body),
        });
        expect(res.status, JSON.stringify(body)).toBe(400);
        return ((await res.json()) as { error: string }).error;
      };
      const good = { articleId: fixture.ids.a1, predictionId: 'no-sanctions', stance: 'agree' };
      const positive = 'admin: articleId must be an article id (a positive whole number)';
      for (const articleId of [0, -3, 1.5, 'x', null, 2 ** 60]) {
        expect(await error('/api/admin/overrides', { ...good, articleId, stance: 'maybe' })).toBe(positive);
      }
      expect(await error('/api/admin/overrides', { ...good, stance: 'maybe' })).toBe(
        'admin: stance must be one of agree, disagree, discuss, unrelated',
      );
      expect(await error('/api/admin/overrides', { ...good, note: 'a\u0000b' })).toBe(
        'admin: note must not contain control characters (found U+0000)',
      );
      expect(await error('/api/admin/overrides', { ...good, predictionId: 'nope' })).toBe('admin: no forecast with id "nope"');
      expect(await error('/api/admin/overrides', { ...good, articleId: 999_999 })).toBe('admin: no article with id 999999');
      const resolution = '/api/admin/predictions/no-sanctions/resolution';
      expect(await error(resolution, { status: 'true', date: '2026-02-31x' })).toBe('admin: date must be YYYY-MM-DD (got "2026-02-31x")');
      expect(await error(resolution, { status: 'true', note: '\u0007' })).toBe(
        'admin: note must not contain control characters (found U+0007)',
      );
      expect(await error('/api/admin/predictions/nope/resolution', { status: 'true', date: '' })).toBe('admin: no forecast with id "nope"');
    });

    it('redirects only to local paths after login', () => {
      expect(safeNext('/review')).toBe('/review');
      expect(safeNext('/predictions/a?stance=agree#evidence-3')).toBe('/predictions/a?stance=agree#evidence-3');
      expect(safeNext('//evil.example/x')).toBe('/');
      expect(safeNext('https://evil.example')).toBe('/');
      expect(safeNext('/\\evil.example')).toBe('/');
      // Browsers drop tabs and newlines from URLs: "/\t/evil.example" is "//evil.example" to them.
      for (const sneaky of ['/\t/evil.example/x', '/\n/evil.example', '/\r/x', '/ /evil.example', '/\u3000/x', '/%09/ok', '/a\\b']) {
        expect(safeNext(sneaky.replace('%09', '\t')), JSON.stringify(sneaky)).toBe('/');
      }
    });
  });

  // Issue #14: the admin side, tried as an attacker would.
  describe('admin hardening', () => {
    const from = (address: string) => ({ incoming: { socket: { remoteAddress: address } } });

    it('locks out failed logins per client address: the guesser waits, the real admin elsewhere logs in', async () => {
      const app = makeApp(TOKEN);
      for (let i = 0; i < 10; i++)
        expect((await app.request('/login', form({ token: `guess-${i}` }), from('203.0.113.7'))).status).toBe(401);
      const locked = await app.request('/login', form({ token: TOKEN }), from('203.0.113.7'));
      expect(locked.status).toBe(429);
      expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await locked.text()).toContain('Too many failed attempts from your address');
      // The same host over IPv6 (another address in its /64) is the same guesser; others are not.
      for (let i = 0; i < 10; i++) await app.request('/login', form({ token: `guess-${i}` }), from('2001:db8:1:2::5'));
      expect((await app.request('/login', form({ token: TOKEN }), from('2001:db8:1:2:ffff::9'))).status).toBe(429);
      expect((await app.request('/login', form({ token: TOKEN }), from('198.51.100.20'))).status).toBe(303);
      expect((await app.request('/login', form({ token: TOKEN }), from('2001:db8:1:3::5'))).status).toBe(303);
      // A correct login costs nothing: an admin logging in often is never locked out.
      for (let i = 0; i < 12; i++) expect((await app.request('/login', form({ token: TOKEN }), from('198.51.100.21'))).status).toBe(303);
    });

    it('limits bearer tokens per address: wrong ones as failed logins, and every call per minute', async () => {
      const app = makeApp(TOKEN);
      const run = (auth: string, address: string) =>
        app.request(
          '/api/admin/run',
          { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: '{}' },
          from(address),
        );
      for (let i = 0; i < 10; i++) expect((await run(`Bearer guess-${i}-${'x'.repeat(20)}`, '203.0.113.8')).status).toBe(401);
      const locked = await run(`Bearer ${TOKEN}`, '203.0.113.8');
      expect(locked.status).toBe(429);
      expect(((await locked.json()) as { error: string }).error).toMatch(/^auth: Too many failed attempts/);
      // Guesses at the digest preview count the same way.
      expect(
        (await app.request('/admin/digest', { headers: { authorization: 'Bearer nope-nope-nope-nope' } }, from('203.0.113.8'))).status,
      ).toBe(429);
      expect((await run(`Bearer ${TOKEN}`, '198.51.100.30')).status).toBe(202);
      const answers: number[] = [];
      for (let i = 0; i < 61; i++) answers.push((await run(`Bearer ${TOKEN}`, '198.51.100.31')).status);
      expect(answers.slice(0, 60).every((s) => s === 202)).toBe(true);
      expect(answers[60]).toBe(429);
    });

    it('logging out ends the session on the server: the old cookie, sent again, is no session', async () => {
      const app = makeApp(TOKEN);
      const { session, csrf } = await login(app);
      expect((await app.request('/admin', { headers: { cookie: session } })).status).toBe(200);
      const out = await app.request('/logout', form({ _csrf: csrf }, { cookie: session }));
      expect(out.status).toBe(303);
      expect(out.headers.get('set-cookie')).toMatch(/^signpost_session=;/);
      // Someone who kept a copy of the cookie:
      const again = await app.request('/admin', { headers: { cookie: session } });
      expect(again.status).toBe(303);
      expect(again.headers.get('location')).toBe('/login?next=/admin');
      expect((await app.request('/admin/run', form({ _csrf: csrf }, { cookie: session }))).status).toBe(403);
      // Another login is a session of its own, unaffected.
      const other = await login(app);
      expect((await app.request('/admin', { headers: { cookie: other.session } })).status).toBe(200);
    });

    it('never redirects outside after login, however `next` is written, and never fails on it', async () => {
      const app = makeApp(TOKEN);
      for (const next of [
        '/%09/evil.example/x',
        '/\t/evil.example/x',
        '/\n/x',
        '/%0a/x',
        '//evil.example',
        '/\\evil.example',
        'https://evil.example/',
      ]) {
        const body = `token=${encodeURIComponent(TOKEN)}&next=${next.startsWith('/%') ? next : encodeURIComponent(next)}`;
        const res = await app.request('/login', {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN },
          body,
        });
        expect(res.status, next).toBe(303);
        expect(res.headers.get('location'), next).toBe('/admin');
      }
    });

    it('pauses and resumes a feed from the feeds page and through the API, and the overview says when every feed fails', async () => {
      const app = makeApp(TOKEN);
      const { session, csrf } = await login(app);
      const page = await (await app.request('/feeds', { headers: { cookie: session } })).text();
      expect(page).toContain(`action="/feeds/${fixture.feeds.news}/pause"`);
      expect(page).toContain('<th scope="col">Last success</th>');
      expect((await app.request(`/feeds/${fixture.feeds.news}/pause`, form({}, { cookie: session }))).status).toBe(403); // no CSRF token
      const res = await app.request(`/feeds/${fixture.feeds.news}/pause`, form({ _csrf: csrf }, { cookie: session }));
      expect(res.status).toBe(303);
      const after = await (await app.request('/feeds', { headers: { cookie: session } })).text();
      expect(after).toContain(`action="/feeds/${fixture.feeds.news}/resume"`);
      expect(after).toContain('Paused by an admin');
      expect(await (await app.request('/')).text()).toContain('1 feed is paused.');
      const api = await app.request(`/api/admin/feeds/${fixture.feeds.news}/resume`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect(await api.json()).toEqual({ ok: true, feedId: fixture.feeds.news, paused: false });
      const bad = await app.request('/api/admin/feeds/12345678/pause', { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } });
      expect(bad.status).toBe(400);
      expect((await bad.json()).error).toBe('admin: no feed with id 12345678');
      expect(await (await app.request('/')).text()).not.toContain('class="banner"');

      // Every feed failing (a fresh install without network): the overview says so, and since when.
      for (const id of [fixture.feeds.news, fixture.feeds.wire]) {
        await recordFeedError(database.db, id, { kind: 'dns', message: 'feeds: news.example: no such host', nextCheckAt: NOW }, NOW);
      }
      const overview = await (await makeApp(TOKEN).request('/')).text(); // a fresh app: nothing cached
      expect(overview).toContain('<strong>No feed can be fetched:</strong> all 2 feeds are failing since');
      expect(overview).toContain('<a href="/feeds">See feed health</a>');
    });
  });
});
