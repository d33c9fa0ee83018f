// Creates and migrates a new PGlite data directory, then exits: run by createDb in a child process
// (see initDataDirInChild in create-db.ts). Plain JavaScript so that it runs on bare Node.
// argv: dataDir migrationsFolder startParams(JSON)
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';

const [dataDir, migrationsFolder, startParams] = process.argv.slice(2);
const client = await PGlite.create(dataDir, { startParams: JSON.parse(startParams) });
try {
  await migrate(drizzle(client), { migrationsFolder });
} finally {
  await client.close();
}
