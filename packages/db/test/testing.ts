/**
 * Test helpers: fresh, migrated databases that are cheap to make.
 * PGlite's initdb takes seconds, so the first call writes a migrated data-dir dump to the temp
 * folder and every later call (in any test worker) loads it. PostgreSQL tests get a database of
 * their own on the server named by TEST_PG_URL, dropped on close.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { createDb, migrationsFolder, type Database } from '../src/create-db.ts';

export type Backend = 'pglite' | 'postgres';

function migrationsHash(): string {
  const h = createHash('sha256');
  for (const f of fs
    .readdirSync(migrationsFolder)
    .filter((f) => f.endsWith('.sql'))
    .sort()) {
    h.update(f).update(fs.readFileSync(path.join(migrationsFolder, f)));
  }
  return h.digest('hex').slice(0, 16);
}

let templatePromise: Promise<Blob> | undefined;

async function pgliteTemplate(): Promise<Blob> {
  const file = path.join(os.tmpdir(), `signpost-pglite-template-${migrationsHash()}.tar.gz`);
  if (fs.existsSync(file)) return new Blob([fs.readFileSync(file)]);
  const database = await createDb('memory://');
  const client = (database.db as unknown as { $client: PGlite }).$client;
  const dump = await client.dumpDataDir('gzip');
  await database.close();
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  fs.writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
  fs.renameSync(tmp, file);
  return dump;
}

/** The PostgreSQL server for server-mode tests, or null (tests then skip, saying so). */
export const testPgUrl: string | null = process.env.TEST_PG_URL || null;

/** The backends to run a suite against: PGlite always, PostgreSQL when TEST_PG_URL is set. */
export const testBackends: Backend[] = testPgUrl ? ['pglite', 'postgres'] : ['pglite'];

export const skipPostgresReason = 'TEST_PG_URL is not set: PostgreSQL-mode tests are skipped (PGlite tests still run)';

/** A fresh, migrated, empty database on the given backend. Close it when done. */
export async function createTestDb(backend: Backend = 'pglite'): Promise<Database> {
  if (backend === 'pglite') {
    templatePromise ??= pgliteTemplate();
    return createDb('memory://', { loadDataDir: await templatePromise });
  }
  if (!testPgUrl) throw new Error(skipPostgresReason);
  const name = `signpost_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: testPgUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(testPgUrl);
  url.pathname = `/${name}`;
  const database = await createDb(url.toString());
  return {
    ...database,
    close: async () => {
      await database.close();
      const a = new pg.Client({ connectionString: testPgUrl });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}
