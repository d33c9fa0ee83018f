/**
 * A cache of computed views keyed on the ledger version: entries live until the version changes.
 * The database version is read at most once per `ttlMs` (concurrent requests share one read), so a
 * judgment written by the worker shows within that time; writes made through the dashboard call
 * `bump()` and show at once.
 *
 * Stale-while-revalidate: when the worker has moved the version, a route that allows it gets the
 * last value computed for its key at once while the new one is computed (recomputing the standings
 * of a large ledger takes seconds). After `bump()` nothing stale is served.
 */
export interface LedgerCache {
  get<T>(key: string, compute: () => Promise<T>, options?: { allowStale?: boolean }): Promise<T>;
  /** Forget everything now (after a write through the dashboard). */
  bump(): void;
  /** The version the cache currently serves. */
  version(): Promise<string>;
}

export function createLedgerCache(options: { readVersion: () => Promise<string>; ttlMs?: number; clock?: () => number; maxEntries?: number }): LedgerCache {
  const ttlMs = options.ttlMs ?? 1000;
  const clock = options.clock ?? Date.now;
  const maxEntries = options.maxEntries ?? 500;
  let entries = new Map<string, Promise<unknown>>();
  /** The last value each key resolved to, whatever its version. */
  let latest = new Map<string, unknown>();
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
    async get<T>(key: string, compute: () => Promise<T>, getOptions: { allowStale?: boolean } = {}): Promise<T> {
      const v = await version();
      const full = `${v}:${key}`;
      const hit = entries.get(full);
      if (hit && !(getOptions.allowStale && latest.has(key) && !settled.has(hit))) return hit as Promise<T>;
      if (!hit) {
        if (entries.size >= maxEntries) entries = new Map();
        if (latest.size >= maxEntries) latest = new Map();
        const made = compute();
        entries.set(full, made);
        const myLocal = local;
        made.then(
          (value) => {
            settled.add(made);
            if (myLocal === local) latest.set(key, value);
          },
          () => entries.delete(full),
        );
        if (!(getOptions.allowStale && latest.has(key))) return made;
      }
      return latest.get(key) as T;
    },
    bump() {
      local++;
      entries = new Map();
      latest = new Map();
      checkedAt = -Infinity;
    },
  };
}

const settled = new WeakSet<Promise<unknown>>();
