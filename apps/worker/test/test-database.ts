// Test helper: an empty database of its own on the TEST_PG_URL server, by URL, so that a test can
// open several connections to it or hand it to a child process. Used only by *.test.ts.
import { randomBytes } from 'node:crypto';
import { createDb } from '@signpost/db';
import { skipPostgresReason, testPgUrl } from '@signpost/db/testing';

async function onServer(statement: string) {
  if (!testPgUrl) throw new Error(skipPostgresReason);
  const admin = await createDb(testPgUrl, { migrate: false, maxConnections: 1 });
  try {
    await admin.db.execute(statement);
  } finally {
    await admin.close();
  }
}

/** Creates a fresh, empty (unmigrated) database on the test server; `drop()` removes it. */
export async function createServerDatabase(prefix = 'signpost_test'): Promise<{ url: string; drop(): Promise<void> }> {
  if (!testPgUrl) throw new Error(skipPostgresReason);
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  await onServer(`create database ${name}`);
  const url = new URL(testPgUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => onServer(`drop database if exists ${name} with (force)`) };
}
