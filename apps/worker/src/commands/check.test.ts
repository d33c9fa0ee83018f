import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkCommand } from './check.ts';
import { captureStream } from '../../test/test-streams.ts';

const repoData = path.resolve(import.meta.dirname, '../../../../data');
const guide = path.resolve(import.meta.dirname, '../../../../docs/adding-a-forecast.md');
let dir = '';

function capture() {
  const { stream, text } = captureStream();
  return { out: stream, text };
}

afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = '';
});

const forecast = (id: string) => `  - id: ${id}
    statement: Something observable happens by 2030.
    quote: Something will happen.
    author: Someone
    outlet: Somewhere
    published: 2025-01-01
    source: s.txt
    kind: binary
    deadline: 2030-01-01
    hedge: likely
    signposts:
      - { text: Something happens, direction: holds }
    keywords: [something]
    tags: [test]
`;

describe('checkCommand', () => {
  it('prints a one-line summary and returns 0 for a valid config', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'signpost-check-'));
    await writeFile(path.join(dir, 'predictions.yaml'), `predictions:\n${forecast('a')}${forecast('b')}`);
    await writeFile(path.join(dir, 'feeds.yaml'), 'feeds:\n  - url: https://example.org/rss\n');
    await writeFile(path.join(dir, 'digest.yaml'), 'subscribers:\n  - email: a@example.org\n    follow: [test]\n');
    const io = capture();
    expect(await checkCommand({ dataDir: dir, out: io.out })).toBe(0);
    expect(io.text()).toBe('ok: 2 forecasts, 1 feed, 1 subscriber\n');
  });

  it('prints every problem, one per line, and a count; returns 1', async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'signpost-check-'));
    await writeFile(
      path.join(dir, 'predictions.yaml'),
      `predictions:\n${forecast('a')}${forecast('a').replace('kind: binary', 'kind: binery')}`,
    );
    await writeFile(path.join(dir, 'feeds.yaml'), 'feeds:\n  - url: https://example.org/rss\n  - url: https://example.org/rss\n');
    const io = capture();
    expect(await checkCommand({ dataDir: dir, out: io.out })).toBe(1);
    const file = (name: string) => {
      const full = path.join(dir, name);
      const rel = path.relative(process.cwd(), full);
      return rel.startsWith('..') ? full : rel;
    };
    expect(io.text().split('\n')).toEqual([
      `${file('feeds.yaml')}:3: entry https://example.org/rss: url: duplicate URL (first listed at ${path.join(dir, 'feeds.yaml')}:2)`,
      `${file('predictions.yaml')}:16: entry a: id: duplicate id (first defined at ${path.join(dir, 'predictions.yaml')}:2)`,
      `${file('predictions.yaml')}:23: entry a: kind: "binery" is not one of: binary, threshold, trend (did you mean "binary"?)`,
      '3 problems in 2 files',
      '',
    ]);
  });

  it('passes on the repository data directory', async () => {
    const io = capture();
    const code = await checkCommand({ dataDir: repoData, out: io.out });
    expect(io.text()).toMatch(/^ok: \d+ forecasts, \d+ feeds?, \d+ subscribers?\n$/);
    expect(code).toBe(0);
  });
});

const readme = path.resolve(import.meta.dirname, '../../../../README.md');

describe.each([guide, readme])('the worked example in %s', (file) => {
  async function setupExample(edit: (yaml: string) => string = (y) => y) {
    const doc = await readFile(file, 'utf8');
    const blocks = [...doc.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1], body: m[2]! }));
    const example = blocks.find((b) => b.lang === 'yaml');
    const expected = blocks.find((b) => b.lang === 'text');
    expect(example).toBeDefined();
    dir = await mkdtemp(path.join(tmpdir(), 'signpost-guide-'));
    const data = path.join(dir, 'data');
    await mkdir(path.join(data, 'predictions.d'), { recursive: true });
    await copyFile(path.join(repoData, 'predictions.yaml'), path.join(data, 'predictions.yaml'));
    await writeFile(path.join(data, 'predictions.d', 'energy.yaml'), edit(example!.body));
    return { data, expected: expected!.body };
  }

  it('passes check next to the real forecasts', async () => {
    const { data } = await setupExample();
    const io = capture();
    expect(await checkCommand({ dataDir: data, out: io.out })).toBe(0);
    const count = (await readFile(path.join(repoData, 'predictions.yaml'), 'utf8')).match(/^ {2}- id: /gm)!.length;
    expect(io.text()).toBe(`ok: ${count + 1} forecasts, 0 feeds, 0 subscribers\n`);
  });

  it('fails with exactly the output the guide shows for the dedline typo', async () => {
    const { expected } = await setupExample((y) => y.replace('    deadline:', '    dedline:'));
    const io = capture();
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      expect(await checkCommand({ dataDir: 'data', out: io.out })).toBe(1);
    } finally {
      process.chdir(cwd);
    }
    expect(io.text()).toBe(expected);
  });
});
