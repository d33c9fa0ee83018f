import { execFileSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { formatProblem } from '@signpost/predictions';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, loadDigestSettings, loadValidConfig } from './load-config.ts';

const basic = path.resolve(import.meta.dirname, '../testdata/basic');
const now = new Date('2026-01-01');
let dir = '';

async function copyBasic(): Promise<string> {
  dir = await mkdtemp(path.join(tmpdir(), 'signpost-config-'));
  await cp(basic, dir, { recursive: true });
  return dir;
}

afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = '';
});

/** copyBasic, with a predictions.d/ folder and these files written over it. */
async function setup(extra: Record<string, string | Buffer> = {}): Promise<string> {
  await copyBasic();
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

describe('loadConfig', () => {
  it('loads all three files into one config', async () => {
    const { config, problems } = await loadConfig(basic, { now });
    expect(problems).toEqual([]);
    expect(config.predictions.map((p) => p.id)).toEqual(['trade-200b', 'no-alliance']);
    expect(config.feeds.map((f) => [f.url, f.interval])).toEqual([
      ['https://example.org/world.rss', 30],
      ['http://example.net/feed.xml', 120],
    ]);
    expect(config.digest.schedule).toEqual({ day: 'friday', hour: 7, timezone: 'Europe/Berlin' });
    expect(config.digest.subscribers.map((s) => s.email)).toEqual(['ana@example.org', 'bo@example.org']);
  });

  it('treats missing feeds.yaml and digest.yaml as empty', async () => {
    await copyBasic();
    await unlink(path.join(dir, 'feeds.yaml'));
    await unlink(path.join(dir, 'digest.yaml'));
    const { config, problems } = await loadConfig(dir, { now });
    expect(problems).toEqual([]);
    expect(config.feeds).toEqual([]);
    expect(config.digest).toEqual({
      subscribers: [],
      schedule: { day: 'monday', hour: 8, timezone: 'UTC' },
      options: { skipWhenUnchanged: true, includeFeedHealth: true },
    });
  });

  it('reports every problem in every file at once, sorted by file and line', async () => {
    await copyBasic();
    await writeFile(path.join(dir, 'feeds.yaml'), 'feeds:\n  - url: gopher://old.example\n');
    await writeFile(path.join(dir, 'digest.yaml'), 'subscribers:\n  - email: a@example.org\n    follow: [no-alliance, trade-200c]\n');
    await writeFile(
      path.join(dir, 'predictions.yaml'),
      (await import('node:fs')).readFileSync(path.join(basic, 'predictions.yaml'), 'utf8').replace('kind: binary', 'kind: bnary'),
    );
    const { problems } = await loadConfig(dir, { now });
    expect(problems.map((p) => formatProblem(p, { cwd: dir }))).toEqual([
      'digest.yaml:3: entry a@example.org: follow[1]: "trade-200c" matches no forecast id or tag (did you mean "trade-200b"?)',
      'feeds.yaml:2: entry gopher://old.example: url: must be http or https (got gopher)',
      'predictions.yaml:29: entry no-alliance: kind: "bnary" is not one of: binary, threshold, trend (did you mean "binary"?)',
    ]);
  });

  it('does not blame digest follow lists for a broken predictions file', async () => {
    await copyBasic();
    await writeFile(path.join(dir, 'predictions.yaml'), 'predictions: [\n');
    const { problems } = await loadConfig(dir, { now });
    expect(problems.map((p) => formatProblem(p, { cwd: dir }))).toEqual([
      'predictions.yaml:2: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ]);
  });

  it('loadValidConfig throws a ConfigError listing the problems', async () => {
    await copyBasic();
    await writeFile(path.join(dir, 'feeds.yaml'), 'feeds: 3\n');
    const error = await loadValidConfig(dir, { now }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe(
      `config: 1 problem:\n${path.relative(process.cwd(), path.join(dir, 'feeds.yaml')).startsWith('..') ? path.join(dir, 'feeds.yaml') : path.relative(process.cwd(), path.join(dir, 'feeds.yaml'))}:1: feeds: expected a list, got number 3`,
    );
  });
});

// Issue #14: config loading contains every file. An alias bomb, a huge file, a FIFO and bytes that
// are not UTF-8 each become one problem with FILE:LINE; nothing throws, nothing huge is read, and
// the other files still load.
describe('loadDigestSettings', () => {
  it('reads digest.yaml alone: its settings, the defaults when it is missing, null when it cannot be read', async () => {
    const settings = await loadDigestSettings(basic);
    expect(settings?.schedule).toEqual({ day: 'friday', hour: 7, timezone: 'Europe/Berlin' });
    expect(settings?.subscribers.map((s) => s.email)).toEqual(['ana@example.org', 'bo@example.org']);
    const empty = await mkdtemp(path.join(tmpdir(), 'signpost-digest-'));
    try {
      expect(await loadDigestSettings(empty)).toEqual({
        subscribers: [],
        schedule: { day: 'monday', hour: 8, timezone: 'UTC' },
        options: { skipWhenUnchanged: true, includeFeedHealth: true },
      });
      await writeFile(path.join(empty, 'digest.yaml'), 'x'.repeat(2048));
      expect(await loadDigestSettings(empty, { maxBytes: 1024 })).toBeNull();
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});

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
      'feeds.yaml': Buffer.concat([
        Buffer.from('feeds:\n  - url: https://a.example/rss\n    title: "'),
        Buffer.from([0xff, 0xfe]),
        Buffer.from('"\n'),
      ]),
    });
    expect(await lines()).toEqual([
      'feeds.yaml:3: invalid UTF-8 (byte 0xFF at column 13); save the file as UTF-8',
      'predictions.d/latin1.yaml:2: invalid UTF-8 (byte 0xE9 at column 6); save the file as UTF-8',
    ]);
  });
});

describe('formatProblem forms', () => {
  it('leaves out the parts that do not apply', () => {
    expect(formatProblem({ file: 'data/predictions.yaml', line: 4, entry: 'a', field: 'kind', message: 'm' })).toBe(
      'data/predictions.yaml:4: entry a: kind: m',
    );
    expect(formatProblem({ file: 'data/predictions.yaml', line: 4, entry: 'a', message: 'm' })).toBe('data/predictions.yaml:4: entry a: m');
    expect(formatProblem({ file: 'data/feeds.yaml', line: 1, field: 'feeds', message: 'm' })).toBe('data/feeds.yaml:1: feeds: m');
    expect(formatProblem({ file: 'data/feeds.yaml', line: 3, message: 'YAML syntax error: x' })).toBe(
      'data/feeds.yaml:3: YAML syntax error: x',
    );
    expect(formatProblem({ file: 'data/predictions.yaml', message: 'file not found' })).toBe('data/predictions.yaml: file not found');
    expect(formatProblem({ file: '/srv/signpost/data/feeds.yaml', line: 2, message: 'm' }, { cwd: '/srv/signpost' })).toBe(
      'data/feeds.yaml:2: m',
    );
    expect(formatProblem({ file: '/etc/feeds.yaml', line: 2, message: 'm' }, { cwd: '/srv/signpost' })).toBe('/etc/feeds.yaml:2: m');
  });
});
