import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb } from '@signpost/db/testing';
import { loadWorkerEnv } from '../env.ts';
import { startFeedFarm, type FeedFarm } from '../../test/feed-farm.ts';
import { runCommand } from './run.ts';

/** A stream that keeps what is written; `isTTY` as a terminal or a pipe would say. */
function capture(isTTY: boolean) {
  let text = '';
  const stream = Object.assign(
    new Writable({
      write(chunk, _enc, cb) {
        text += chunk;
        cb();
      },
    }),
    { isTTY, columns: 120 },
  );
  return { stream, text: () => text };
}

describe('signpost run', () => {
  let farm: FeedFarm;
  let dataDir: string;

  beforeAll(async () => {
    farm = await startFeedFarm({ feeds: 5, items: 4 });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-run-'));
    fs.writeFileSync(path.join(dataDir, 'feeds.yaml'), `feeds:\n${farm.urls.map((u) => `  - url: ${u}\n`).join('')}`);
    fs.writeFileSync(path.join(dataDir, 'predictions.yaml'), 'predictions: []\n');
  });
  afterAll(async () => {
    await farm?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const env = () => loadWorkerEnv({ SIGNPOST_DATA_DIR: dataDir, SIGNPOST_ALLOW_PRIVATE_NETWORKS: '1', LOG_LEVEL: 'silent' });

  it('on a terminal shows feed progress on stderr and prints only the summary line on stdout', async () => {
    const out = capture(false);
    const err = capture(true);
    const code = await runCommand(env(), { all: true, out: out.stream, err: err.stream, database: await createTestDb('pglite') });
    expect(code).toBe(0);
    expect(out.text()).toMatch(/^feeds: 5 fetched, 0 not modified, 0 failed; articles: 20 new, 0 duplicate; [^\n]*\n$/);
    // The bar ends on the last feed with the running counts.
    expect(err.text()).toContain('5/5 | 5 fetched, 0 not modified, 0 failed | 20 new articles');
  });

  it('when stderr is not a terminal (a pipe, cron) writes no progress at all', async () => {
    const out = capture(false);
    const err = capture(false);
    const code = await runCommand(env(), { all: true, out: out.stream, err: err.stream, database: await createTestDb('pglite') });
    expect(code).toBe(0);
    expect(out.text()).toMatch(/^feeds: 5 fetched, 0 not modified, 0 failed; articles: 20 new/);
    expect(err.text()).toBe('');
  });
});
