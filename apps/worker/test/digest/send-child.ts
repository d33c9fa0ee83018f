/**
 * One `sendDigests` run in a process of its own, for the crash test: the parent kills it with
 * SIGKILL in the middle of a send and then starts another. Arguments: one JSON object.
 * Prints one JSON line per subscriber result.
 */
import nodemailer from 'nodemailer';
import { createDb } from '@signpost/db';
import { sendDigests } from '../../src/digest/send-digests.ts';
import { PUBLIC_URL, TEST_SCORER, WEEK } from './seed.ts';

const args = JSON.parse(process.argv[2] ?? '{}') as {
  dbDir: string;
  port: number;
  subscribers: { email: string; name?: string }[];
  leaseMs: number;
  now: string;
};
const database = await createDb(args.dbDir);
const report = await sendDigests({
  db: database.db,
  transport: nodemailer.createTransport({ host: '127.0.0.1', port: args.port, secure: false, ignoreTLS: true }),
  from: 'digest@signpost.example.org',
  subscribers: args.subscribers,
  week: WEEK,
  publicUrl: PUBLIC_URL,
  scorer: TEST_SCORER,
  leaseMs: args.leaseMs,
  now: () => new Date(args.now),
  retry: { attempts: 1 },
  onResult: (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
});
await database.close();
process.exit(report.failed ? 1 : 0);
