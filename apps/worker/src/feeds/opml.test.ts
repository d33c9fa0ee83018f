import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseFeedsFile } from '@signpost/config';
import { describe, expect, it } from 'vitest';
import { feedsImportCommand } from '../commands/feeds-import.ts';
import { importOpml, OpmlImportError } from './opml.ts';
import { readFixture, TESTDATA } from '../../test/test-server.ts';
import { captureStream } from '../../test/test-streams.ts';

const opml = readFixture('subscriptions.opml').toString('utf8');
const existing = `# Feeds Signpost follows.
# Keep this comment.
feeds:
  # Independent Russian outlet in English
  - url: https://www.themoscowtimes.com/rss/news
    title: The Moscow Times
    tags: [russia] # inline comment
`;

describe('importOpml', () => {
  it('appends new feeds with folder tags, keeps comments, skips duplicates and bad URLs', () => {
    const r = importOpml(opml, existing, { source: 'subscriptions.opml' });
    expect(r.added).toEqual([
      { url: 'https://meduza.io/rss/en/all', title: 'Meduza in English', tags: ['russia'] },
      { url: 'https://tass.com/rss/v2.xml', title: 'TASS', language: 'en', tags: ['russia'] },
      { url: 'https://thediplomat.com/feed/', title: 'The Diplomat', tags: ['china-asia', 'think-tanks', 'asia-pacific'] },
      { url: 'https://www.cgtn.com/subscribe/rss/section/world.xml', title: 'CGTN World', tags: ['china-asia', 'nested-folder'] },
    ]);
    expect(r.skipped).toEqual([
      { url: 'https://TASS.com/rss/v2.xml#x', title: 'Duplicate of TASS', reason: 'listed twice in the OPML file' },
      { url: 'gopher://old.example/feed', title: 'Gopher feed', reason: 'not an http(s) URL' },
      { url: null, title: 'No URL at all', reason: 'no xmlUrl' },
      { url: 'https://www.themoscowtimes.com/rss/news', title: 'Already followed', reason: 'already in feeds.yaml' },
    ]);
    expect(r.yamlText.startsWith('# Feeds Signpost follows.\n# Keep this comment.\n')).toBe(true);
    expect(r.yamlText).toContain('# Independent Russian outlet in English');
    expect(r.yamlText).toContain('tags: [russia] # inline comment');
    expect(r.yamlText).toContain('# imported from subscriptions.opml');
    const { feeds, problems } = parseFeedsFile(r.yamlText, 'feeds.yaml');
    expect(problems).toEqual([]);
    expect(feeds.map((f) => f.url)).toEqual([
      'https://www.themoscowtimes.com/rss/news',
      'https://meduza.io/rss/en/all',
      'https://tass.com/rss/v2.xml',
      'https://thediplomat.com/feed/',
      'https://www.cgtn.com/subscribe/rss/section/world.xml',
    ]);
  });

  it('skips a feed URL with a user name or password, never writing or printing the credentials', () => {
    const withCredentials =
      '<opml version="2.0"><body><outline type="rss" text="Private" xmlUrl="https://reader:s3cret@private.example/rss"/><outline type="rss" text="Open" xmlUrl="https://open.example/rss"/></body></opml>';
    const r = importOpml(withCredentials, '');
    expect(r.added.map((f) => f.url)).toEqual(['https://open.example/rss']);
    expect(r.skipped).toEqual([
      {
        url: 'https://***@private.example/rss',
        title: 'Private',
        reason: 'holds a user name or password, which feeds.yaml must not (they would show on the dashboard and in logs)',
      },
    ]);
    expect(r.yamlText).not.toContain('s3cret');
  });

  it('is idempotent: a second import adds nothing and leaves the text alone', () => {
    const once = importOpml(opml, existing).yamlText;
    const twice = importOpml(opml, once);
    expect(twice.added).toEqual([]);
    expect(twice.yamlText).toBe(once);
  });

  it('creates the list in an empty file, a comment-only file and a flow-style empty list', () => {
    for (const start of ['', '# only a comment\n', 'feeds: []\n']) {
      const r = importOpml(opml, start);
      expect(r.added).toHaveLength(5);
      const { feeds, problems } = parseFeedsFile(r.yamlText, 'feeds.yaml');
      expect(problems).toEqual([]);
      expect(feeds).toHaveLength(5);
    }
  });

  it('rejects a file that is not OPML and a broken feeds.yaml with clear errors', () => {
    expect(() => importOpml('<html><body/></html>', '')).toThrow(OpmlImportError);
    expect(() => importOpml('<html><body/></html>', '', { source: 'x.opml' })).toThrow(/^feeds: x\.opml is not an OPML file/);
    expect(() => importOpml(opml, 'feeds:\n  - url: [unclosed\n')).toThrow(/^feeds: feeds\.yaml:\d+: cannot read it/);
    expect(() => importOpml(opml, 'feeds: 3\n')).toThrow('feeds: feeds.yaml: "feeds" must be a list');
  });
});

describe('feedsImportCommand', () => {
  it('writes feeds.yaml in the data dir and reports', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'signpost-import-'));
    await fs.writeFile(path.join(dir, 'feeds.yaml'), existing);
    const out = captureStream();
    const code = await feedsImportCommand({ file: path.join(TESTDATA, 'subscriptions.opml'), dataDir: dir, out: out.stream });
    expect(code).toBe(0);
    const printed = out.text();
    expect(printed).toMatch(/^feeds: added 4 feeds from .*subscriptions\.opml to .*feeds\.yaml, skipped 4\n/);
    expect(printed).toContain('  + https://tass.com/rss/v2.xml  (TASS)  [russia]');
    expect(printed).toContain('  - gopher://old.example/feed: not an http(s) URL');
    const written = await fs.readFile(path.join(dir, 'feeds.yaml'), 'utf8');
    expect(parseFeedsFile(written, 'feeds.yaml').feeds).toHaveLength(5);
    expect(written).toContain('# Keep this comment.');
    expect((await fs.readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    const missing = captureStream();
    expect(await feedsImportCommand({ file: path.join(dir, 'nope.opml'), dataDir: dir, out: missing.stream })).toBe(1);
    expect(missing.text()).toMatch(/^feeds: cannot read .*nope\.opml: ENOENT/);
    await fs.rm(dir, { recursive: true, force: true });
  });
});
