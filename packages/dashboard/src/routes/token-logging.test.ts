import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@signpost/db';
import { createTestDb } from '@signpost/db/testing';
import { createLogger } from '@signpost/log';
import { createApp } from '../app.tsx';
import { NOW, SCORER, buildFixture } from '../../test/fixture.ts';

const TOKEN = 'never-log-this-admin-token-4f9c2';

describe('the admin token is never logged', () => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDb();
    await buildFixture(database.db);
  });
  afterAll(async () => database?.close());

  it('whatever a client sends: wrong and right logins, bearer calls, bad bodies, failing runs', async () => {
    const sink = new PassThrough();
    let logs = '';
    sink.on('data', (d: Buffer) => (logs += d.toString()));
    const logger = createLogger({ level: 'trace', destination: sink });
    let fail = false;
    const app = createApp({
      db: database.db,
      logger,
      scorer: SCORER,
      now: () => NOW,
      adminToken: TOKEN,
      triggerRun: async () => {
        if (fail) throw new Error('worker: cycle could not start');
        return 'run-1';
      },
    });
    const form = (body: Record<string, string>) => ({
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost' },
      body: new URLSearchParams(body).toString(),
    });
    await app.request('/login', form({ token: `${TOKEN}-wrong` }));
    await app.request('/login', form({ token: TOKEN }));
    const bearer = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
    expect((await app.request('/api/admin/run', { method: 'POST', headers: bearer, body: '{}' })).status).toBeLessThan(300);
    fail = true;
    expect((await app.request('/api/admin/run', { method: 'POST', headers: bearer, body: '{}' })).status).toBeGreaterThanOrEqual(500);
    await app.request('/api/admin/overrides', { method: 'POST', headers: bearer, body: `{"token": "${TOKEN}", ` });
    await app.request('/api/admin/run', { method: 'POST', headers: { authorization: `Bearer ${TOKEN}x` }, body: '{}' });
    await new Promise((r) => setImmediate(r));
    // Something was logged (the failed login, the failed run), and the token appears nowhere in it.
    expect(logs).toContain('failed admin login');
    expect(logs).toContain('cycle could not start');
    expect(logs).not.toContain(TOKEN);
    expect(logs).not.toContain(TOKEN.slice(0, 16));
  });
});
