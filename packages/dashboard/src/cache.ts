/**
 * Rendered pages and query results kept while the stored standings stay the same. Reading is cheap
 * now (the worker stores each forecast's standing; nothing is recomputed on read), so this only
 * saves rendering: an entry lives until the version moves. The database version is read at most
 * once per `ttlMs` (concurrent requests share one read), so a cycle's new standings show within that
 * time; writes made through the dashboard call `bump()` and show at once.
 */
export interface LedgerCache {
  get<T>(key: string, compute: () => Promise<T>): Promise<T>;
  /** Forget everything now (after a write through the dashboard). */
  bump(): void;
  /** The version the cache currently serves. */
  version(): Promise<string>;
}

export function createLedgerCache(options: {
  readVersion: () => Promise<string>;
  ttlMs?: number;
  clock?: () => number;
  maxEntries?: number;
}): LedgerCache {
  const ttlMs = options.ttlMs ?? 1000;
  const clock = options.clock ?? Date.now;
  const maxEntries = options.maxEntries ?? 500;
  let entries = new Map<string, Promise<unknown>>();
  let dbVersion: string | undefined;
  let checkedAt = -Infinity;
  let reading: Promise<string> | undefined;
  let local = 0;

  async function version(): Promise<string> {
    if (dbVersion !== undefined && clock() - checkedAt < ttlMs) return `${local}.${dbVersion}`;
    reading ??= options
      .readVersion()
      .then((v) => {
        if (v !== dbVersion) entries = new Map();
        dbVersion = v;
        checkedAt = clock();
        return v;
      })
      .finally(() => {
        reading = undefined;
      });
    return `${local}.${await reading}`;
  }

  return {
    version,
    async get<T>(key: string, compute: () => Promise<T>): Promise<T> {
      const full = `${await version()}:${key}`;
      const hit = entries.get(full);
      if (hit) return hit as Promise<T>;
      if (entries.size >= maxEntries) entries = new Map();
      const made = compute();
      entries.set(full, made);
      made.catch(() => entries.delete(full));
      return made;
    },
    bump() {
      local++;
      entries = new Map();
      checkedAt = -Infinity;
    },
  };
}
