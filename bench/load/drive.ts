/**
 * The load benches' driver (bench/load, bench/backfill): an open-model load at a fixed rate over a
 * list of requests, with latency from each request's scheduled moment.
 */
import http from 'node:http';

export interface Figures {
  label: string;
  seconds: number;
  /** Requests sent on schedule, and the rate they went out at (first to last send). */
  requests: number;
  rps: number;
  errors: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** What went wrong, by kind: `HTTP 500 /feeds`, `socket: ECONNRESET /`. */
  failures: Map<string, number>;
  /** p99 latency of the requests scheduled in each 5 s of the run, ms (where in a cycle the slow ones were). */
  timeline: number[];
}

export type Request = { path: string; headers?: Record<string, string> };

/** The dashboard's five routes for each forecast, in turn: HTML pages asked for gzipped as a browser would. */
export function dashboardRequests(ids: readonly string[]): Request[] {
  const html = { 'accept-encoding': 'gzip' };
  return ids.flatMap((id) => [
    { path: '/', headers: html },
    { path: `/predictions/${id}`, headers: html },
    { path: '/api/predictions' },
    { path: `/api/predictions/${id}/evidence?limit=50` },
    { path: '/feeds', headers: html },
  ]);
}

/**
 * An open-model load: request i goes out at start + i/RATE whatever became of the earlier ones
 * (a closed loop such as autocannon's slows down with the server and then under-reports), over at
 * most CONNECTIONS keep-alive sockets. Latency runs from the scheduled moment to the end of the
 * body, so waiting for a socket or a late send counts (no coordinated omission).
 */
export async function drive(
  label: string,
  url: string,
  requests: Request[],
  seconds: number,
  load: { rate: number; connections: number },
): Promise<Figures> {
  const { rate: RATE, connections: CONNECTIONS } = load;
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const total = Math.round(RATE * seconds);
  const interval = 1000 / RATE;
  const latencies: number[] = [];
  let errors = 0;
  const failures = new Map<string, number>();
  const fail = (kind: string) => failures.set(kind, (failures.get(kind) ?? 0) + 1);
  let lastSend = 0;
  const inFlight: Promise<void>[] = [];
  const buckets: number[][] = [];
  const send = (i: number, scheduled: number) =>
    new Promise<void>((resolve) => {
      const r = requests[i % requests.length]!;
      let settled = false;
      const done = (failure: string | null) => {
        if (settled) return;
        settled = true;
        if (failure === null) {
          latencies.push(performance.now() - scheduled);
          (buckets[Math.floor((scheduled - start) / 5000)] ??= []).push(performance.now() - scheduled);
        } else {
          errors++;
          fail(`${failure} ${r.path.replace(/\?.*/, '')}`);
        }
        resolve();
      };
      const req = http.get(`${url}${r.path}`, { agent, headers: r.headers }, (res) => {
        res.resume();
        res.once('end', () => done(res.statusCode! >= 200 && res.statusCode! < 300 ? null : `HTTP ${res.statusCode}`));
        res.once('error', (e) => done(`response: ${e.message}`));
      });
      req.setTimeout(10_000, () => req.destroy(new Error('timeout (10 s)')));
      req.once('error', (e) => done(`socket: ${(e as NodeJS.ErrnoException).code ?? e.message}`));
    });
  const start = performance.now();
  await new Promise<void>((resolve) => {
    let i = 0;
    const tick = () => {
      const due = Math.min(total, Math.floor((performance.now() - start) / interval) + 1);
      for (; i < due; i++) inFlight.push(send(i, start + i * interval));
      lastSend = performance.now();
      if (i < total) setTimeout(tick, Math.max(0, start + i * interval - performance.now()));
      else resolve();
    };
    tick();
  });
  await Promise.all(inFlight);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0);
  return {
    label,
    seconds,
    requests: total,
    rps: (total - 1) / ((lastSend - start) / 1000),
    errors,
    p50: at(0.5),
    p90: at(0.9),
    p99: at(0.99),
    max: Math.round(latencies.at(-1) ?? 0),
    failures,
    timeline: [...buckets].map((b) => {
      const sorted = (b ?? []).sort((x, y) => x - y);
      return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(0.99 * sorted.length))] ?? 0);
    }),
  };
}
