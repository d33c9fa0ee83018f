import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { sql, type SQL } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { lockDataDir, type DataDirLock } from './data-dir-lock.ts';
import { takeTurns } from './take-turns.ts';
import * as schema from './schema.ts';

export const migrationsFolder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../migrations');

export type PgliteDb = ReturnType<typeof drizzlePglite<typeof schema>>;
export type PgDb = ReturnType<typeof drizzlePg<typeof schema>>;
/**
 * The drizzle database, whichever driver is behind it (both drivers share pg-core's query builder).
 * Only this package uses it directly.
 */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Where it lives, without credentials (for logs). */
  location: string;
  close(): Promise<void>;
}

export class DatabaseError extends Error {
  override name = 'DatabaseError';
}

/** True when the URL names a PostgreSQL server rather than an embedded PGlite directory. */
export function isServerUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/** Lock id for migrations, so that several processes starting at once migrate one after another. */
const MIGRATION_LOCK_ID = 0x5167_0001;

export interface CreateDbOptions {
  /** Apply committed migrations (default true). */
  migrate?: boolean;
  /** For PGlite: open from a data-dir dump instead of running initdb (tests use a migrated template). */
  loadDataDir?: Blob;
  /** Pool size for PostgreSQL. */
  maxConnections?: number;
  /** PGlite's shared_buffers (default PGLITE_SHARED_BUFFERS). */
  pgliteSharedBuffers?: string;
}

/**
 * PGlite's buffer pool. Postgres's default (128MB) is sized for a server sharing its pool among many
 * connections; an embedded single-user database reads the rest through the OS page cache at little
 * cost, and the default pool alone was a third of a worker's memory (bench/ingest: 16MB takes
 * about 100 MB off the resident size, docs/ingest.md).
 */
export const PGLITE_SHARED_BUFFERS = '16MB';

/**
 * Opens the database: `postgres://...` selects a PostgreSQL server, `memory://` an in-memory PGlite,
 * anything else is a PGlite data directory (created as needed), which this process then holds
 * exclusively until `close()` (another holder: DatabaseInUseError; see data-dir-lock.ts). Applies
 * the committed migrations and refuses to run against a database migrated by a newer Signpost.
 */
export async function createDb(url: string, options: CreateDbOptions = {}): Promise<Database> {
  const database = isServerUrl(url) ? await openPostgres(url, options) : await openPglite(url, options);
  if (options.migrate !== false) {
    try {
      await applyMigrations(database);
    } catch (error) {
      await database.close();
      throw error;
    }
  }
  return database;
}

async function openPostgres(url: string, options: CreateDbOptions): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: options.maxConnections ?? 5 });
  // A server that goes away must not crash the process through an idle client's error event.
  pool.on('error', () => {});
  const db = drizzlePg(pool, { schema });
  try {
    await pool.query('select 1');
  } catch (error) {
    await pool.end();
    throw new DatabaseError(`db: cannot connect to ${redactUrl(url)}: ${(error as Error).message}`, { cause: error });
  }
  return { db, kind: 'postgres', location: redactUrl(url), close: () => pool.end() };
}

async function openPglite(url: string, options: CreateDbOptions): Promise<Database> {
  const memory = url === 'memory://' || url === '';
  let dataDir: string | undefined;
  let lock: DataDirLock | undefined;
  if (!memory) {
    dataDir = path.resolve(url.replace(/^file:\/\//, ''));
    fs.mkdirSync(dataDir, { recursive: true });
    // Before anything reads or writes the directory: PGlite has no locking of its own.
    lock = await lockDataDir(dataDir);
  }
  let client: PGlite;
  try {
    const sharedBuffers = options.pgliteSharedBuffers ?? PGLITE_SHARED_BUFFERS;
    if (!/^\d+(kB|MB|GB)$/.test(sharedBuffers)) throw new Error(`shared_buffers must be a size such as 16MB, not "${sharedBuffers}"`);
    const startParams = [...PGlite.defaultStartParams, '-c', `shared_buffers=${sharedBuffers}`];
    if (dataDir && !options.loadDataDir && !fs.existsSync(path.join(dataDir, 'PG_VERSION'))) await initDataDirInChild(dataDir, startParams);
    client = await PGlite.create(dataDir, { ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}), startParams });
  } catch (error) {
    await lock?.release();
    throw new DatabaseError(`db: cannot open the embedded database at ${dataDir ?? 'memory'}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  // Queries and transactions take turns with the event loop (take-turns.ts): the dashboard shares the thread.
  const db = drizzlePglite(takeTurns(client), { schema });
  let closed = false;
  return {
    db,
    kind: 'pglite',
    location: dataDir ?? 'memory://',
    close: async () => {
      if (closed) return;
      closed = true;
      try {
        await client.close();
      } finally {
        await lock?.release();
      }
    },
  };
}

/**
 * Creates and migrates a new PGlite data directory in a child process. initdb grows PGlite's WASM
 * memory to about 800 MB, and a WebAssembly memory never shrinks: done here, the worker would keep
 * that for its lifetime. Done in a child that exits, the worker opens the directory at about a third
 * of the size (docs/ingest.md, "Memory").
 */
export function initDataDirInChild(dataDir: string, startParams: string[]): Promise<void> {
  const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'init-data-dir.mjs');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, dataDir, migrationsFolder, JSON.stringify(startParams)], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0) return resolve();
      const why =
        stderr.match(/^Error: (.*)$/m)?.[1] ??
        (stderr.trim().split('\n').filter(Boolean).slice(-3).join(' / ') || `exit ${code ?? signal}`);
      reject(new Error(`creating the data directory failed: ${why}`));
    });
  });
}

interface JournalEntry {
  idx: number;
  when: number;
  tag: string;
}

function readJournal(): JournalEntry[] {
  const file = path.join(migrationsFolder, 'meta/_journal.json');
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { entries: JournalEntry[] }).entries;
}

async function applyMigrations(database: Database): Promise<void> {
  const known = readJournal();
  const newestKnown = Math.max(...known.map((e) => e.when));
  const run = async () => {
    const applied = await appliedMigrationTimes(database.db);
    const newestApplied = applied.length ? Math.max(...applied) : 0;
    if (newestApplied > newestKnown) {
      throw new DatabaseError(
        `db: the database at ${database.location} was migrated by a newer Signpost (migration from ${new Date(newestApplied).toISOString()}); ` +
          'upgrade Signpost or point DATABASE_URL elsewhere',
      );
    }
    if (database.kind === 'postgres') await migratePg(database.db as PgDb, { migrationsFolder });
    else await migratePglite(database.db as PgliteDb, { migrationsFolder });
  };
  if (database.kind === 'pglite') return run();
  // Several workers may start together against one server: take turns.
  const db = database.db as PgDb;
  const client = await (db.$client as pg.Pool).connect();
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    await run();
  } finally {
    await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => {});
    client.release();
  }
}

async function appliedMigrationTimes(db: Db): Promise<number[]> {
  const [exists] = await queryRows<{ present: boolean }>(
    db,
    sql`select to_regclass('drizzle.__drizzle_migrations') is not null as present`,
  );
  if (!exists?.present) return [];
  const rows = await queryRows<{ created_at: string | number }>(db, sql`select created_at from drizzle.__drizzle_migrations`);
  return rows.map((r) => Number(r.created_at));
}

/** Raw SQL rows; both drivers answer with `{ rows }`. */
export async function queryRows<T>(db: Db, query: SQL): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

/**
 * A database error in one short line, for messages stored on a feed and logged: the driver's own
 * message and SQLSTATE, never drizzle's "Failed query: <SQL> params: <every parameter>", which
 * for a feed's batch ran to megabytes (issue #14).
 */
export function describeDbError(error: unknown, max = 300): string {
  let e: unknown = error;
  // drizzle wraps the driver's error as "Failed query: <SQL>\nparams: <parameters>" (DrizzleQueryError).
  const wrapped = (x: unknown) => x instanceof Error && x.message.startsWith('Failed query: ');
  while (wrapped(e) && (e as Error).cause instanceof Error) e = (e as Error).cause;
  const code = (e as { code?: unknown })?.code;
  const message = e instanceof Error ? (wrapped(e) ? 'a database query failed' : e.message) : String(e);
  const line = message.split('\n')[0]!.trim();
  const text = typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? `${line} (SQLSTATE ${code})` : line;
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * `text` with the user name and password of every URL in it replaced by `***` (`http://***@host/`):
 * a feed URL with credentials, stored before `check` refused them, or met in a redirect, must not
 * reach a page, an API answer or a log line (issue #14).
 */
export function hideCredentials(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]*@/gi, '$1***@');
}

/** The URL without its password, for logs and messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url;
  }
}
