import { cp, mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { formatProblem } from '@signpost/predictions';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, loadValidConfig } from './load-config.ts';

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
    expect(config.digest).toEqual({ subscribers: [], schedule: { day: 'monday', hour: 8, timezone: 'UTC' }, options: { skipWhenUnchanged: true, includeFeedHealth: true } });
  });

  it('reports every problem in every file at once, sorted by file and line', async () => {
    await copyBasic();
    await writeFile(path.join(dir, 'feeds.yaml'), 'feeds:\n  - url: gopher://old.example\n');
    await writeFile(path.join(dir, 'digest.yaml'), 'subscribers:\n  - email: a@example.org\n    follow: [no-alliance, trade-200c]\n');
    await writeFile(path.join(dir, 'predictions.yaml'), (await import('node:fs')).readFileSync(path.join(basic, 'predictions.yaml'), 'utf8').replace('kind: binary', 'kind: bnary'));
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
    expect(problems.map((p) => formatProblem(p, { cwd: dir }))).toEqual(['predictions.yaml:2: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]']);
  });

  it('loadValidConfig throws a ConfigError listing the problems', async () => {
    await copyBasic();
    await writeFile(path.join(dir, 'feeds.yaml'), 'feeds: 3\n');
    const error = await loadValidConfig(dir, { now }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe(`config: 1 problem:\n${path.relative(process.cwd(), path.join(dir, 'feeds.yaml')).startsWith('..') ? path.join(dir, 'feeds.yaml') : path.relative(process.cwd(), path.join(dir, 'feeds.yaml'))}:1: feeds: expected a list, got number 3`);
  });
});

describe('formatProblem forms', () => {
  it('leaves out the parts that do not apply', () => {
    expect(formatProblem({ file: 'data/predictions.yaml', line: 4, entry: 'a', field: 'kind', message: 'm' })).toBe('data/predictions.yaml:4: entry a: kind: m');
    expect(formatProblem({ file: 'data/predictions.yaml', line: 4, entry: 'a', message: 'm' })).toBe('data/predictions.yaml:4: entry a: m');
    expect(formatProblem({ file: 'data/feeds.yaml', line: 1, field: 'feeds', message: 'm' })).toBe('data/feeds.yaml:1: feeds: m');
    expect(formatProblem({ file: 'data/feeds.yaml', line: 3, message: 'YAML syntax error: x' })).toBe('data/feeds.yaml:3: YAML syntax error: x');
    expect(formatProblem({ file: 'data/predictions.yaml', message: 'file not found' })).toBe('data/predictions.yaml: file not found');
    expect(formatProblem({ file: '/srv/signpost/data/feeds.yaml', line: 2, message: 'm' }, { cwd: '/srv/signpost' })).toBe('data/feeds.yaml:2: m');
    expect(formatProblem({ file: '/etc/feeds.yaml', line: 2, message: 'm' }, { cwd: '/srv/signpost' })).toBe('/etc/feeds.yaml:2: m');
  });
});
