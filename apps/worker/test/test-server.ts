// Test helper: a real HTTP server on 127.0.0.1, port 0, serving fixtures. Used only by *.test.ts.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FeedFetchError } from '../src/feeds/errors.ts';

/** The feed layer's fixtures, beside its tests. */
export const TESTDATA = path.join(path.dirname(fileURLToPath(import.meta.url)), '../src/feeds/testdata');

export function readFixture(name: string): Buffer {
  return fs.readFileSync(path.join(TESTDATA, name));
}

export type Route = (req: http.IncomingMessage, res: http.ServerResponse) => void | Promise<void>;

export interface TestServer {
  origin: string;
  url(p: string): string;
  /** Requests seen, in order: method, path and headers. */
  requests: Array<{ path: string; headers: http.IncomingHttpHeaders }>;
  close(): Promise<void>;
}

export async function startTestServer(routes: Record<string, Route>, host = '127.0.0.1'): Promise<TestServer> {
  const requests: TestServer['requests'] = [];
  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer((req, res) => {
    const p = (req.url ?? '/').split('?')[0]!;
    requests.push({ path: req.url ?? '/', headers: req.headers });
    const route = routes[p];
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    Promise.resolve(route(req, res)).catch((err: unknown) => {
      res.destroy(err as Error);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as import('node:net').AddressInfo;
  const origin = `http://${host.includes(':') ? `[${host}]` : host}:${addr.port}`;
  return {
    origin,
    url: (p) => origin + p,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A route that serves a body with the given headers. */
export function serve(body: string | Buffer, headers: Record<string, string> = {}, status = 200): Route {
  return (_req, res) => {
    res.writeHead(status, headers);
    res.end(body);
  };
}

/** The FeedFetchError a fetch rejects with (anything else, or no failure, fails the test). */
export async function failure(p: Promise<unknown>): Promise<FeedFetchError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof FeedFetchError) return err;
    throw err;
  }
  throw new Error('expected the fetch to fail');
}
