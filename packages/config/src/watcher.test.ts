import { cp, mkdir, mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { formatProblem, type ConfigProblem } from '@signpost/predictions';
import { afterEach, describe, expect, it } from 'vitest';
import type { SignpostConfig } from './load-config.ts';
import { createConfigWatcher, fingerprintConfig, type ConfigWatcher } from './watcher.ts';
import { waitFor as waitUntil } from '@signpost/testing';

const basic = path.resolve(import.meta.dirname, '../testdata/basic');
const now = () => new Date('2026-01-01');
let dir = '';
let watcher: ConfigWatcher | undefined;

afterEach(async () => {
  watcher?.close();
  watcher = undefined;
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A copy of testdata/basic in a temporary folder; `watch` starts the watcher on it, recording what it reports. */
async function setup() {
  dir = await mkdtemp(path.join(tmpdir(), 'signpost-watch-'));
  await cp(basic, dir, { recursive: true });
  const changes: SignpostConfig[] = [];
  const invalid: ConfigProblem[][] = [];
  const watch = (intervalMs = 0) => {
    watcher = createConfigWatcher({
      dataDir: dir,
      intervalMs,
      now,
      onChange: (c) => changes.push(c),
      onInvalid: (p) => invalid.push(p),
    });
    return watcher;
  };
  return { changes, invalid, watch };
}

/** Resolves when `predicate` holds, polling every 10 ms; rejects after 5 s on a quiet machine (scaled). */
const waitFor = (predicate: () => boolean) => waitUntil(predicate, 'the watcher to report the change', { timeoutMs: 5_000, everyMs: 10 });

const newForecast = `predictions:
  - id: new-forecast
    statement: A new forecast added while the watcher runs.
    quote: Something will happen.
    author: Someone
    outlet: Somewhere
    published: 2025-01-01
    source: new.txt
    kind: binary
    horizon: the next year
    hedge: likely
    signposts:
      - { text: Something happens, direction: holds }
    keywords: [something]
    tags: [test]
`;

describe('createConfigWatcher', () => {
  it('loads at once, then applies valid changes found by check()', async () => {
    const { changes, invalid, watch } = await setup();
    const w = watch();
    expect(await w.check()).toEqual({ status: 'unchanged' });
    expect(changes).toHaveLength(1);
    expect(w.current()?.predictions).toHaveLength(2);
    await writeFile(path.join(dir, 'feeds.yaml'), 'feeds:\n  - url: https://only.example/rss\n');
    const result = await w.check();
    expect(result.status).toBe('applied');
    expect(w.current()?.feeds.map((f) => f.url)).toEqual(['https://only.example/rss']);
    expect(changes).toHaveLength(2);
    expect(invalid).toEqual([]);
  });

  it('keeps serving the last good config when a file breaks, and reports the problems once', async () => {
    const { changes, invalid, watch } = await setup();
    const w = watch();
    await w.check();
    const good = w.current();
    expect(good?.predictions.map((p) => p.id)).toEqual(['trade-200b', 'no-alliance']);
    const text = await readFile(path.join(dir, 'predictions.yaml'), 'utf8');
    await writeFile(path.join(dir, 'predictions.yaml'), text.replace('id: no-alliance', 'id: trade-200b'));
    const result = await w.check();
    expect(result.status).toBe('invalid');
    expect(invalid).toHaveLength(1);
    expect(invalid[0]!.map((p) => [p.entry, p.field, p.message])).toEqual([
      ['trade-200b', 'related[0]', 'links to unknown forecast "no-alliance"'],
      ['trade-200b', 'id', `duplicate id (first defined at ${path.join(dir, 'predictions.yaml')}:2)`],
    ]);
    expect(w.current()).toBe(good);
    expect(await w.check()).toEqual({ status: 'unchanged' });
    expect(invalid).toHaveLength(1);
    // Fixing the file applies it again.
    await writeFile(path.join(dir, 'predictions.yaml'), text);
    expect((await w.check()).status).toBe('applied');
    expect(changes).toHaveLength(2);
  });

  it('picks up a new forecast file dropped into predictions.d while it polls', async () => {
    const { changes, invalid, watch } = await setup();
    const w = watch(25);
    await waitFor(() => changes.length === 1);
    await mkdir(path.join(dir, 'predictions.d'));
    await writeFile(path.join(dir, 'predictions.d', 'mine.yaml'), newForecast);
    await waitFor(() => changes.length === 2);
    expect(w.current()?.predictions.map((p) => p.id)).toEqual(['trade-200b', 'no-alliance', 'new-forecast']);
    expect(invalid).toEqual([]);
  });

  it('starts with no config when the first load is invalid', async () => {
    const { changes, invalid, watch } = await setup();
    await writeFile(path.join(dir, 'digest.yaml'), 'schedule: { hour: 25 }\n');
    const w = watch();
    await w.check();
    expect(w.current()).toBeNull();
    expect(changes).toEqual([]);
    expect(invalid[0]!.map((p) => p.field)).toEqual(['schedule.hour']);
  });

  // Issue #14: each poll read and hashed a 50 MB forecast file (1–2 s every 5 s).
  it('change detection does not read a file over the cap: a 3 GiB sparse file is seen by its size and times', async () => {
    await setup();
    await mkdir(path.join(dir, 'predictions.d'));
    const huge = path.join(dir, 'predictions.d', 'huge.yaml');
    const handle = await open(huge, 'w');
    await handle.truncate(3 * 1024 ** 3);
    await handle.close();
    const before = await fingerprintConfig(dir);
    expect(await fingerprintConfig(dir)).toBe(before);
    const grown = await open(huge, 'r+');
    await grown.truncate(3 * 1024 ** 3 + 1);
    await grown.close();
    expect(await fingerprintConfig(dir)).not.toBe(before);

    const invalid: string[][] = [];
    watcher = createConfigWatcher({
      dataDir: dir,
      intervalMs: 0,
      now,
      onChange: () => {},
      onInvalid: (p) => invalid.push(p.map((x) => formatProblem(x, { cwd: dir }))),
    });
    expect(await watcher.check()).toEqual({ status: 'unchanged' });
    expect(invalid).toEqual([
      [
        'predictions.d/huge.yaml: file is 3 GiB, over the 1 MiB limit for a config file; not read (split it, or raise SIGNPOST_CONFIG_MAX_BYTES)',
      ],
    ]);
  });
});
