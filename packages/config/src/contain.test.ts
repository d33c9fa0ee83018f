// Issue #14: config loading contains every file. An alias bomb, a huge file, a FIFO and bytes that
// are not UTF-8 each become one problem with FILE:LINE; nothing throws, nothing huge is read, and
// the other files still load.
import { execFileSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { formatProblem } from '@signpost/predictions';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from './load-config.ts';
import { createConfigWatcher, fingerprintConfig, type ConfigWatcher } from './watcher.ts';

const basic = path.resolve(import.meta.dirname, '../testdata/basic');
const now = new Date('2026-01-01');
let dir = '';
let watcher: ConfigWatcher | undefined;

afterEach(async () => {
  watcher?.close();
  watcher = undefined;
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = '';
});

async function setup(extra: Record<string, string | Buffer> = {}): Promise<string> {
  dir = await mkdtemp(path.join(tmpdir(), 'signpost-contain-'));
  await cp(basic, dir, { recursive: true });
  await mkdir(path.join(dir, 'predictions.d'));
  for (const [name, content] of Object.entries(extra)) await writeFile(path.join(dir, name), content);
  return dir;
}

/** A "billion laughs" of YAML aliases: nine levels, each nine of the one before. */
function aliasBomb(): string {
  const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 9; i++) {
    const prev = String.fromCharCode(96 + i);
    const cur = String.fromCharCode(97 + i);
    lines.push(`${cur}: &${cur} [${Array(9).fill(`*${prev}`).join(', ')}]`);
  }
  return `predictions: []\n${lines.join('\n')}\n`;
}

const lines = async (options: Parameters<typeof loadConfig>[1] = {}) =>
  (await loadConfig(dir, { now, ...options })).problems.map((p) => formatProblem(p, { cwd: dir }));

describe('every config file is contained', () => {
  it('an alias bomb is a problem on the line of its first alias, and the other files still load', async () => {
    await setup({ 'predictions.d/bomb.yaml': aliasBomb() });
    const { config, problems } = await loadConfig(dir, { now });
    expect(problems.map((p) => formatProblem(p, { cwd: dir }))).toEqual([
      'predictions.d/bomb.yaml:3: YAML aliases expand too far (over 100 expansions, the first alias on this line): an alias bomb, or an anchor reused too often; file not read',
    ]);
    expect(config.predictions.map((p) => p.id)).toEqual(['trade-200b', 'no-alliance']);
    expect(config.feeds).toHaveLength(2);
  });

  it('a file over the size cap is refused unread, with the cap in the message', async () => {
    await setup({ 'predictions.d/big.yaml': `predictions: []\n# ${'x'.repeat(3000)}\n` });
    expect(await lines({ maxBytes: 2048 })).toEqual([
      'predictions.d/big.yaml: file is 2.9 KiB, over the 2 KiB limit for a config file; not read (split it, or raise SIGNPOST_CONFIG_MAX_BYTES)',
    ]);
    expect(await lines()).toEqual([]);
  });

  it('a FIFO (or any file that is not a regular file) is a problem, never opened', async () => {
    await setup();
    execFileSync('mkfifo', [path.join(dir, 'predictions.d', 'pipe.yaml')]);
    expect(await lines()).toEqual(['predictions.d/pipe.yaml: not a regular file']);
  });

  it('bytes that are not UTF-8 are a problem with their line and column, in any of the files', async () => {
    await setup({
      'predictions.d/latin1.yaml': Buffer.concat([Buffer.from('predictions: []\n# caf'), Buffer.from([0xe9]), Buffer.from(' au lait\n')]),
      'feeds.yaml': Buffer.concat([Buffer.from('feeds:\n  - url: https://a.example/rss\n    title: "'), Buffer.from([0xff, 0xfe]), Buffer.from('"\n')]),
    });
    expect(await lines()).toEqual([
      'feeds.yaml:3: invalid UTF-8 (byte 0xFF at column 13); save the file as UTF-8',
      'predictions.d/latin1.yaml:2: invalid UTF-8 (byte 0xE9 at column 6); save the file as UTF-8',
    ]);
  });

  it('change detection does not read a file over the cap: a 3 GiB sparse file is seen by its size and times', async () => {
    await setup();
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
    watcher = createConfigWatcher({ dataDir: dir, intervalMs: 0, now: () => now, onChange: () => {}, onInvalid: (p) => invalid.push(p.map((x) => formatProblem(x, { cwd: dir }))) });
    expect(await watcher.check()).toEqual({ status: 'unchanged' });
    expect(invalid).toEqual([['predictions.d/huge.yaml: file is 3 GiB, over the 1 MiB limit for a config file; not read (split it, or raise SIGNPOST_CONFIG_MAX_BYTES)']]);
  });
});
