import { AsyncLocalStorage } from 'node:async_hooks';
import { nextTurn } from '@signpost/db';

/**
 * Rendered pages and query results kept while the stored standings stay the same. Reading is cheap
 * now (the worker stores each forecast's standing; nothing is recomputed on read), so this only
 * saves rendering: an entry lives until the version moves. The database version is read at most
 * once per `ttlMs` (concurrent requests share one read), so a cycle's new standings show within that
 * time; writes made through the dashboard call `bump()` and show at once.
 *
 * When the database version moves (the worker committed judgments or standings), a page of the
 * previous version may still be served for up to `staleMs` while it is rendered again in the
 * background, one page at a time with a turn of the event loop between two. Rendering every page
 * of a new version at once, as the first requests for each arrived, held the thread the dashboard
 * shares with a PGlite worker for a few hundred ms after every scoring batch (bench/load).
 */
export interface LedgerCache {
  get<T>(key: string, compute: () => Promise<T>): Promise<T>;
  /** Forget everything now (after a write through the dashboard). */
  bump(): void;
  /** The version the cache currently serves. */
  version(): Promise<string>;
}

interface Entry {
  /** The bump count and the database version it was computed under. */
  local: number;
  dbVersion: string;
  value: Promise<unknown>;
}

export function createLedgerCache(options: {
  readVersion: () => Promise<string>;
  ttlMs?: number;
  /** How long after a database version change a page of the previous one may be served (default 0: never). */
  staleMs?: number;
  clock?: () => number;
  maxEntries?: number;
}): LedgerCache {
  const ttlMs = options.ttlMs ?? 1000;
  const staleMs = options.staleMs ?? 0;
  const clock = options.clock ?? Date.now;
  const maxEntries = options.maxEntries ?? 500;
  let entries = new Map<string, Entry>();
  let dbVersion: string | undefined;
  let checkedAt = -Infinity;
  /** When the database version last changed (as seen here). */
  let changedAt = -Infinity;
  let reading: Promise<string> | undefined;
  let local = 0;
  /** Pages to render again for the current version, in the order they were asked for. */
  const stale = new Map<string, () => Promise<unknown>>();
  let refreshing = false;
  /**
   * Set while an entry is computed: what it reads from the cache (a page reads the forecasts' views)
   * must be of the current version, or the page would be stored as current with old contents.
   */
  const computing = new AsyncLocalStorage<true>();

  async function readDbVersion(): Promise<string> {
    if (dbVersion !== undefined && clock() - checkedAt < ttlMs) return dbVersion;
    reading ??= options
      .readVersion()
      .then((v) => {
        if (v !== dbVersion) {
          if (staleMs <= 0) entries = new Map();
          changedAt = clock();
        }
        dbVersion = v;
        checkedAt = clock();
        return v;
      })
      .finally(() => {
        reading = undefined;
      });
    return reading;
  }

  function store(key: string, entry: Entry) {
    if (!entries.has(key) && entries.size >= maxEntries) entries = new Map();
    entries.set(key, entry);
    entry.value.catch(() => {
      if (entries.get(key) === entry) entries.delete(key);
    });
  }

  /** Renders the stale pages again, one at a time, each after a turn of the event loop. */
  async function refreshStale() {
    if (refreshing) return;
    refreshing = true;
    try {
      while (stale.size > 0) {
        await nextTurn();
        const next = stale.entries().next();
        if (next.done) break; // bumped meanwhile
        const [key, compute] = next.value;
        stale.delete(key);
        const [v, atLocal] = [await readDbVersion(), local];
        const entry = entries.get(key);
        if (!entry || entry.local !== atLocal || entry.dbVersion === v) continue; // dropped, or fresh already
        const value = computing.run(true, compute);
        // Swapped in once rendered: until then the stale page is still the one served.
        await value.then(
          () => entries.get(key) === entry && store(key, { local: atLocal, dbVersion: v, value }),
          () => {}, // failed: the stale page stays, and the next request for it queues it again
        );
      }
    } finally {
      refreshing = false;
    }
  }

  return {
    async version() {
      return `${local}.${await readDbVersion()}`;
    },
    async get<T>(key: string, compute: () => Promise<T>): Promise<T> {
      const v = await readDbVersion();
      const entry = entries.get(key);
      if (entry && entry.local === local) {
        if (entry.dbVersion === v) return entry.value as Promise<T>;
        if (clock() - changedAt < staleMs && !computing.getStore()) {
          stale.set(key, compute);
          void refreshStale();
          return entry.value as Promise<T>;
        }
      }
      const made = computing.run(true, compute);
      store(key, { local, dbVersion: v, value: made });
      return made;
    },
    bump() {
      local++;
      entries = new Map();
      stale.clear();
      checkedAt = -Infinity;
    },
  };
}
