// Creates and migrates a new PGlite data directory, then exits: run by createDb in a child process
// (see initDataDirInChild in create-db.ts). Plain JavaScript so that it runs on bare Node.
// argv: dataDir migrationsFolder startParams(JSON)
//
// The directory is built beside its final place and renamed into it when complete, so a process
// killed half-way never leaves a half-made database at dataDir, and two of these (say a worker's
// orphaned child and the restarted worker's) never write the same directory: the first to finish
// renames, the other finds a database there and drops its copy.
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';

const [dataDir, migrationsFolder, startParams] = process.argv.slice(2);
const building = `${dataDir}.init-${process.pid}`;
fs.rmSync(building, { recursive: true, force: true });
try {
  const client = await PGlite.create(building, { startParams: JSON.parse(startParams) });
  try {
    await migrate(drizzle(client), { migrationsFolder });
  } finally {
    await client.close();
  }
  try {
    // Replaces the empty directory createDb made; fails if anything is in it.
    fs.renameSync(building, dataDir);
  } catch (error) {
    if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
      throw new Error(`${dataDir} is not empty and holds no database (${error.message}); move its files away or choose another directory`, {
        cause: error,
      });
    }
  }
} finally {
  fs.rmSync(building, { recursive: true, force: true });
}
