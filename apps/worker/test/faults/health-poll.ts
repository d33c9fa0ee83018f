// Fault-suite helper: GET /healthz polled one request at a time while a test runs, to show that
// the worker keeps answering whatever it is chewing on. Used only by test/faults.

export interface HealthStats {
  /** Answers of 200. */
  ok: number;
  /** Other answers and failed requests. */
  failed: string[];
  /** Answers slower than `slowMs`: how slow, and when (seconds after polling began). */
  slow: string[];
  maxMs: number;
}

export function pollHealth(origin: string, options: { everyMs: number; slowMs?: number; timeoutMs?: number }) {
  const stats: HealthStats = { ok: 0, failed: [], slow: [], maxMs: 0 };
  const began = Date.now();
  let polling = true;
  const loop = (async () => {
    while (polling) {
      const started = Date.now();
      try {
        const res = await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(options.timeoutMs ?? 15_000) });
        await res.arrayBuffer();
        if (res.status === 200) stats.ok++;
        else stats.failed.push(`HTTP ${res.status}`);
      } catch (error) {
        if (polling) stats.failed.push(String(error));
      }
      const ms = Date.now() - started;
      stats.maxMs = Math.max(stats.maxMs, ms);
      if (options.slowMs !== undefined && ms > options.slowMs) stats.slow.push(`${ms} ms at ${((Date.now() - began) / 1000).toFixed(1)} s`);
      await new Promise((r) => setTimeout(r, options.everyMs));
    }
  })();
  return {
    stats,
    async stop(): Promise<HealthStats> {
      polling = false;
      await loop;
      return stats;
    },
  };
}
