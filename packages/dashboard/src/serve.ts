import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';

export interface RunningServer {
  /** e.g. http://127.0.0.1:3000 */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Listens with the app's fetch handler; resolves once the port is bound. */
export function serveApp(
  app: { fetch: (req: Request) => Response | Promise<Response> },
  options: { host: string; port: number },
): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) =>
      reject(new Error(`dashboard: cannot listen on ${options.host}:${options.port}: ${error.message}`, { cause: error }));
    const server: ServerType = serve({ fetch: app.fetch, hostname: options.host, port: options.port }, (info: AddressInfo) => {
      server.off('error', onError);
      const host = info.family === 'IPv6' ? `[${info.address}]` : info.address;
      resolve({
        url: `http://${host}:${info.port}`,
        port: info.port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            // Keep-alive connections would hold close() open; they carry no unfinished writes.
            (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
          }),
      });
    });
    server.once('error', onError);
    keepIdleConnections(server);
  });
}

/**
 * How long an idle keep-alive connection stays open. Node's 5 s (6 s with its grace second) is
 * shorter than what clients and proxies keep (nginx and load balancers 60 s), so a client often
 * reuses a socket the server is closing at that moment, and the request fails with ECONNRESET. The event loop makes it worse:
 * after a busy stretch (a PGlite cycle), the expired idle timers run before the requests that
 * arrived meanwhile are read (bench/load saw 3-7 resets a minute). The server outlasts the usual
 * 60 s of a client or proxy instead; headers must still arrive within a minute.
 */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

function keepIdleConnections(server: ServerType): void {
  if (!('keepAliveTimeout' in server)) return;
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;
}
