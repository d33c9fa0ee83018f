// Issue #14: every route, every parameter, a table of hostile values. Nothing may answer 500: a
// malformed parameter or path is a 400 or 404 with a JSON (API) or HTML (pages) error. Run as a
// visitor, as a logged-in admin (cookie and CSRF token) and with the bearer token, on each backend.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '@signpost/db';
import { createTestDb, testBackends } from '@signpost/db/testing';
import { createLogger } from '@signpost/log';
import { createApp } from './app.tsx';
import { NOW, SCORER, buildFixture } from '../test/fixture.ts';
import { scaled } from '@signpost/testing';

const TOKEN = 'correct-horse-battery-staple';

/** Hostile values as they appear in a URL or form body (already percent-encoded where needed). */
const HOSTILE = [
  '%00',
  'a%00b',
  '%ff',
  '%',
  '%zz',
  '%ED%A0%80',
  '%F0%9F%92%A5',
  '%0d%0aSet-Cookie:%20x=1',
  '%09',
  '/%0a/x',
  '/%09/evil.example/x',
  '2147483648',
  '9223372036854775808',
  '-1',
  '1e309',
  'NaN',
  '0x10',
  '__proto__',
  'constructor',
  'toString',
  '..%2F..%2Fetc%2Fpasswd',
  '%5C',
  '%3Cscript%3Ealert(1)%3C%2Fscript%3E',
  "'%20or%201=1--",
  '[]',
  'x'.repeat(5000),
  '%C3%A9'.repeat(2000),
  '2026-W99',
  'javascript:alert(1)',
];

/** GET routes with the query parameters each reads. */
const GET_ROUTES: Array<[string, string[]]> = [
  ['/', ['tag', 'status', 'author', 'sort']],
  ['/predictions/no-sanctions', ['stance', 'limit']],
  ['/predictions/no-sanctions/feed.atom', []],
  ['/track-record', []],
  ['/feeds', []],
  ['/healthz', []],
  ['/assets/style.css', []],
  ['/api/predictions', []],
  ['/api/predictions/no-sanctions/evidence', ['limit', 'stance']],
  ['/api/articles', ['feed', 'q', 'limit']],
  ['/api/feeds', []],
  ['/login', ['next']],
  ['/admin', ['run']],
  ['/review', []],
  ['/admin/digest', ['week', 'email']],
  ['/admin/digest/message.html', ['week', 'email']],
  ['/unsubscribe', ['token']],
];

/** Paths whose segments are parameters: the hostile value goes where ID is. */
const PATH_ROUTES = [
  '/predictions/ID',
  '/predictions/ID/feed.atom',
  '/api/predictions/ID/evidence',
  '/ID',
  '/api/ID',
  '/assets/ID',
  '/admin/ID',
];

/** Form posts and their fields (logout last: once it works, the admin's session is over). */
const FORM_ROUTES: Array<[string, string[]]> = [
  ['/login', ['token', 'next']],
  ['/admin/run', ['_csrf']],
  ['/review', ['articleId', 'predictionId', 'stance', 'note', 'back']],
  ['/predictions/no-sanctions/resolve', ['status', 'date', 'note']],
  ['/predictions/ID/resolve', ['status']],
  ['/unsubscribe', ['token', 'List-Unsubscribe']],
  ['/logout', ['_csrf']],
];
/** Valid values for the fields not under test, so that each hostile value reaches its own check. */
const FORM_DEFAULTS: Record<string, string> = {
  next: '/admin',
  articleId: '1',
  predictionId: 'no-sanctions',
  stance: 'agree',
  note: 'n',
  back: '/review',
  status: 'open',
  date: '2024-01-01',
  token: 'x',
  'List-Unsubscribe': 'One-Click',
};

/** JSON values of every shape, for the admin API. */
const JSON_VALUES: unknown[] = [
  null,
  true,
  0,
  -1,
  2147483648,
  Number('9007199254740993'),
  1e308,
  -1e308,
  1.5,
  '',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x'.repeat(100_000),
  '__proto__',
  [],
  [1, 2],
  {},
  { __proto__: { polluted: true } },
  '2026-02-30',
  '9999-99-99',
  '2026-01-01T00:00:00Z',
];
const JSON_ROUTES: Array<[string, string[]]> = [
  ['/api/admin/overrides', ['articleId', 'predictionId', 'stance', 'note']],
  ['/api/admin/predictions/no-sanctions/resolution', ['status', 'date', 'note']],
  ['/api/admin/predictions/ID/resolution', ['status']],
  ['/api/admin/run', ['x']],
];

describe.each(testBackends)('hostile input over every route on %s', (backend) => {
  let database: Database;
  let app: ReturnType<typeof createApp>;
  let cookie = '';
  let csrf = '';
  let address = 0;
  const failures: string[] = [];
  /** Each request from an address of its own: the failed-login limits must not hide a handler behind a 429. */
  const env = () => ({ incoming: { socket: { remoteAddress: `10.${(++address >> 16) & 255}.${(address >> 8) & 255}.${address & 255}` } } });

  beforeAll(async () => {
    database = await createTestDb(backend);
    await buildFixture(database.db);
    app = createApp({
      db: database.db,
      logger: createLogger({ level: 'silent' }),
      scorer: SCORER,
      now: () => NOW,
      adminToken: TOKEN,
      triggerRun: async () => 'run-1',
    });
    const res = await app.request(
      '/login',
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost' },
        body: `token=${TOKEN}&next=/admin`,
      },
      env(),
    );
    cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    csrf = /name="_csrf" value="([^"]+)"/.exec(await (await app.request('/admin', { headers: { cookie } }, env())).text())![1]!;
  });
  afterAll(async () => database?.close());

  /** Sends one request; records it if it failed (5xx) or answered an error in a form nobody can read. */
  async function probe(label: string, path: string, init: RequestInit = {}) {
    let res: Response;
    try {
      res = await app.request(path, init, env());
    } catch (error) {
      failures.push(`${label} ${path.slice(0, 120)}: threw ${(error as Error).message}`);
      return;
    }
    const type = res.headers.get('content-type') ?? '';
    const body = await res.text();
    if (res.status >= 500) failures.push(`${label} ${path.slice(0, 120)}: ${res.status} ${body.slice(0, 120)}`);
    else if (
      res.status >= 400 &&
      !/^(application\/json|text\/html)/.test(type) &&
      !(path.startsWith('/unsubscribe') && type.startsWith('text/plain'))
    ) {
      failures.push(`${label} ${path.slice(0, 120)}: ${res.status} answered as "${type}"`);
    }
  }

  const identities = () =>
    [
      ['visitor', {}],
      ['admin', { cookie }],
      ['bearer', { authorization: `Bearer ${TOKEN}` }],
      ['bad bearer', { authorization: `Bearer ${'%00'}` }],
    ] as const;

  it(
    'GET: every query parameter of every route, and every path parameter, answers below 500',
    async () => {
      for (const [who, headers] of identities()) {
        // Bearer tokens are read only by the admin pages and API.
        for (const [route, params] of GET_ROUTES.filter(([r]) => !who.includes('bearer') || /^\/(admin|api)/.test(r))) {
          for (const value of HOSTILE) {
            for (const param of [...params, '__proto__']) await probe(`GET ${who}`, `${route}?${param}=${value}`, { headers });
            // Every parameter at once, and each twice.
            if (params.length > 1)
              await probe(`GET ${who}`, `${route}?${params.map((p) => `${p}=${value}&${p}=x`).join('&')}`, { headers });
          }
        }
        for (const route of PATH_ROUTES) for (const value of HOSTILE) await probe(`GET ${who}`, route.replace('ID', value), { headers });
      }
      expect(failures).toEqual([]);
    },
    scaled(240_000),
  );

  it(
    'POST: every form field and every JSON field, of every type, answers below 500',
    async () => {
      for (const [who, headers] of identities()) {
        for (const [route, fields] of FORM_ROUTES) {
          for (const value of HOSTILE) {
            for (const path of route.includes('ID') ? [route.replace('ID', value)] : [route]) {
              for (const field of fields) {
                const values = {
                  _csrf: encodeURIComponent(csrf),
                  ...Object.fromEntries(fields.map((f) => [f, encodeURIComponent(FORM_DEFAULTS[f] ?? 'x')])),
                  [field]: value,
                };
                const body = Object.entries(values)
                  .map(([k, v]) => `${k}=${v}`)
                  .join('&');
                await probe(`POST ${who} ${field}`, path, {
                  method: 'POST',
                  headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost' },
                  body,
                });
              }
            }
          }
          // Bodies that are not forms at all.
          for (const [type, body] of [
            ['application/x-www-form-urlencoded', '%'],
            ['multipart/form-data; boundary=x', '--x\r\nbroken'],
            ['application/json', '{"a":'],
            ['text/plain', '\u0000'],
          ]) {
            await probe(`POST ${who} ${type}`, route.replace('ID', 'no-sanctions'), {
              method: 'POST',
              headers: { ...headers, 'content-type': type!, origin: 'http://localhost' },
              body,
            });
          }
        }
        for (const [route, fields] of JSON_ROUTES) {
          for (const value of JSON_VALUES) {
            for (const field of fields) {
              const path = route.replace(
                'ID',
                typeof value === 'string'
                  ? encodeURIComponent(value.slice(0, 200).replace(/[\ud800-\udfff]/g, '\ufffd')) || '%00'
                  : String(value),
              );
              await probe(`POST ${who} ${field}=${JSON.stringify(value)?.slice(0, 30)}`, path, {
                method: 'POST',
                headers: { ...headers, 'content-type': 'application/json' },
                body: JSON.stringify({ articleId: 1, predictionId: 'no-sanctions', stance: 'agree', status: 'open', [field]: value }),
              });
            }
          }
          for (const body of ['', 'null', '[]', '"x"', '{"a":', '\u0000', '{"articleId":1e999}', '{"__proto__":{"x":1}}']) {
            await probe(`POST ${who} raw ${JSON.stringify(body)}`, route.replace('ID', 'no-sanctions'), {
              method: 'POST',
              headers: { ...headers, 'content-type': 'application/json' },
              body,
            });
          }
        }
      }
      expect(failures).toEqual([]);
    },
    scaled(240_000),
  );
});
