import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncFeeds, syncPredictions, type Database } from '@signpost/db';
import { createTestDb } from '@signpost/db/testing';
import { createLogger } from '@signpost/log';
import { MAX_BODY_BYTES, createApp } from './app.tsx';
import { serveApp } from './serve.ts';
import { scaled } from '@signpost/testing';

let database: Database;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  database = await createTestDb();
  await syncPredictions(database.db, [
    { id: 'no-sanctions', statement: 'China will not sanction Russia <b>ever</b>', record: { id: 'no-sanctions' } },
  ]);
  await syncFeeds(database.db, [{ url: 'https://example.org/rss', title: 'Пример 例子' }]);
  app = createApp({ db: database.db, logger: createLogger({ level: 'silent' }) });
});
afterAll(async () => database?.close());

describe('dashboard routes', () => {
  it('GET /healthz answers 200 with ok:true while the database answers', async () => {
    const res = await app.request('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, database: 'up' });
  });

  it('GET / lists forecasts, escaped, in a page with a doctype and security headers', async () => {
    const res = await app.request('/');
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(body).toContain('China will not sanction Russia &lt;b&gt;ever&lt;/b&gt;');
    expect(body).toContain('href="/predictions/no-sanctions"');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('GET /feeds and /api/feeds show feed health with Cyrillic and CJK intact', async () => {
    expect(await (await app.request('/feeds')).text()).toContain('Пример 例子');
    const feeds = (await (await app.request('/api/feeds')).json()) as Record<string, unknown>[];
    expect(feeds).toHaveLength(1);
    expect(feeds[0]).toMatchObject({ url: 'https://example.org/rss', title: 'Пример 例子', status: 'new', errorCount: 0, articles: 0 });
    // The contract's fields (docs/contracts.md), plus `warnings` (issue #14: what the last fetch cut or skipped).
    expect(Object.keys(feeds[0]!).sort()).toEqual([
      'articles',
      'errorCount',
      'id',
      'lastError',
      'lastFetchedAt',
      'lastSuccessAt',
      'nextCheckAt',
      'pausedAt',
      'pausedBy',
      'status',
      'title',
      'url',
      'warnings',
    ]);
    expect(feeds[0]!.warnings).toEqual([]);
  });

  it('unknown paths get the 404 page', async () => {
    const res = await app.request('/no/such/page');
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('Not found');
  });

  it('/healthz answers 503 when the database is gone', async () => {
    const other = await createTestDb();
    const broken = createApp({ db: other.db, logger: createLogger({ level: 'silent' }) });
    await other.close();
    const res = await broken.request('/healthz');
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ ok: false });
  });

  it('serves over HTTP on a real port', async () => {
    const server = await serveApp(app, { host: '127.0.0.1', port: 0 });
    try {
      const res = await fetch(`${server.url}/healthz`);
      expect(res.status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it(
    'keeps an idle keep-alive connection open longer than the 6 s Node would',
    async () => {
      const server = await serveApp(app, { host: '127.0.0.1', port: 0 });
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      const get = () =>
        new Promise<{ status: number; socket: unknown }>((resolve, reject) => {
          const req = http.get(`${server.url}/healthz`, { agent }, (res) => {
            res.resume();
            res.on('end', () => resolve({ status: res.statusCode ?? 0, socket: req.socket }));
          });
          req.on('error', reject);
        });
      try {
        const first = await get();
        // Node closes an idle socket after keepAliveTimeout plus a 1 s grace: 6 s by default.
        await sleep(7_000);
        const second = await get();
        expect(second.status).toBe(200);
        // The same socket: the server did not close it while it sat idle.
        expect(second.socket).toBe(first.socket);
      } finally {
        agent.destroy();
        await server.close();
      }
    },
    scaled(20_000),
  );
});

describe('request size limit', () => {
  it('refuses a body over the limit before reading it, on pages and on the API', async () => {
    const big = 'x'.repeat(MAX_BODY_BYTES + 1);
    const page = await app.request('/login', {
      method: 'POST',
      body: big,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(page.status).toBe(413);
    const api = await app.request('/api/admin/run', { method: 'POST', body: big, headers: { 'content-type': 'application/json' } });
    expect(api.status).toBe(413);
    expect(await api.json()).toEqual({ error: `request body over ${MAX_BODY_BYTES} bytes` });
    // A small body still reaches the route (read-only dashboard: admin routes answer 403).
    const small = await app.request('/api/admin/run', { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(small.status).toBe(403);
  });
});
