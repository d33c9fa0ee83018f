import { formatProblem } from '@signpost/predictions';
import { describe, expect, it } from 'vitest';
import { parseFeedsFile, parseIntervalMinutes } from './feeds.ts';

const lines = (text: string) => parseFeedsFile(text, 'feeds.yaml').problems.map((p) => formatProblem(p));

describe('parseFeedsFile', () => {
  it('reads feeds with defaults and intervals in minutes', () => {
    const { feeds, problems } = parseFeedsFile(
      'feeds:\n  - url: https://a.example/rss\n    interval: 2h\n  - { url: http://b.example/feed, tags: [ru], language: ru, fullText: true, interval: 45 }\n',
      'feeds.yaml',
    );
    expect(problems).toEqual([]);
    expect(feeds).toEqual([
      { url: 'https://a.example/rss', tags: [], interval: 120, fullText: false },
      { url: 'http://b.example/feed', tags: ['ru'], language: 'ru', interval: 45, fullText: true },
    ]);
  });

  it('treats an empty file or an empty list as no feeds', () => {
    expect(parseFeedsFile('', 'feeds.yaml')).toEqual({ feeds: [], problems: [] });
    expect(parseFeedsFile('feeds: []\n', 'feeds.yaml')).toEqual({ feeds: [], problems: [] });
  });

  it('rejects non-http URLs, duplicates, bad intervals and unknown fields', () => {
    const text = [
      'feeds:',
      '  - url: ftp://files.example/feed',
      '  - url: https://a.example/rss',
      '  - url: https://A.example/rss',
      '  - url: https://c.example/rss',
      '    interval: 2 weeks',
      '  - url: https://d.example/rss',
      '    titel: D',
      '  - url: not a url',
      '    language: english!',
    ].join('\n');
    expect(lines(text)).toEqual([
      'feeds.yaml:2: entry ftp://files.example/feed: url: must be http or https (got ftp)',
      'feeds.yaml:4: entry https://A.example/rss: url: duplicate URL (first listed at feeds.yaml:3)',
      'feeds.yaml:6: entry https://c.example/rss: interval: "2 weeks" is not an interval (use whole minutes such as 30, or "30m", "2h", "1h30m", "1d")',
      'feeds.yaml:8: entry https://d.example/rss: titel: unknown field (did you mean "title"?)',
      'feeds.yaml:9: entry not a url: url: "not a url" is not a URL',
      'feeds.yaml:10: entry not a url: language: expected a language tag such as en or zh-CN',
    ]);
  });

  it('refuses a URL with a user name or password, and names the entry without them', () => {
    expect(lines('feeds:\n  - url: https://reader:s3cret@private.example/rss\n  - url: http://token@other.example/feed\n')).toEqual([
      'feeds.yaml:2: entry https://***@private.example/rss: url: must not hold a user name or password ("user:pass@"): the URL is shown on the dashboard, in /api/feeds and in logs',
      'feeds.yaml:3: entry http://***@other.example/feed: url: must not hold a user name or password ("user:pass@"): the URL is shown on the dashboard, in /api/feeds and in logs',
    ]);
  });

  it('reports a missing url and a wrong top level', () => {
    expect(lines('feeds:\n  - title: no url\n')).toEqual(['feeds.yaml:2: entry #1: url: required field is missing']);
    expect(lines('feed:\n  - url: https://a.example\n')).toEqual(['feeds.yaml:1: feed: unknown field (did you mean "feeds"?)']);
  });
});

describe('parseIntervalMinutes', () => {
  it('parses minutes, hours, days and combinations', () => {
    expect([30, '30m', '2h', '1h30m', '1d', '90', '15min'].map(parseIntervalMinutes)).toEqual([30, 30, 120, 90, 1440, 90, 15]);
    expect([0, 1.5, '', 'h', '2 weeks', -5].map(parseIntervalMinutes)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});
