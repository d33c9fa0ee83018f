import { describe, expect, it } from 'vitest';
import { parseFeedDate } from './dates.ts';
import { htmlToText, truncateText } from './html-text.ts';
import { canonicalizeUrl, contentHash, detectBrokenGuids, itemKey, titleKey } from './identity.ts';

describe('canonicalizeUrl', () => {
  it.each([
    ['https://News.Example.COM/a/b?utm_source=rss&utm_medium=x&id=7#top', 'https://news.example.com/a/b?id=7'],
    ['https://example.com/x?fbclid=1&gclid=2&msclkid=3&yclid=4', 'https://example.com/x'],
    ['https://example.com:443/x?b=2&a=1', 'https://example.com/x?b=2&a=1'],
    ['http://example.com:80/x/', 'http://example.com/x/'],
    ['https://user:pw@example.com/x', 'https://example.com/x'],
    ['https://www.example.cn/news?spm=a2c4&id=5', 'https://www.example.cn/news?id=5'],
    ['https://пример.рф/новости', 'https://xn--e1afmkfd.xn--p1ai/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8'],
  ])('%s', (input, expected) => {
    expect(canonicalizeUrl(input)).toBe(expected);
  });

  it('resolves against a base and rejects non-http(s)', () => {
    expect(canonicalizeUrl('/a?utm_campaign=z', 'https://s.example/feed')).toBe('https://s.example/a');
    expect(canonicalizeUrl('javascript:alert(1)')).toBeNull();
    expect(canonicalizeUrl('mailto:a@b.c')).toBeNull();
    expect(canonicalizeUrl('not a url')).toBeNull();
    expect(canonicalizeUrl(null)).toBeNull();
  });
});

describe('titleKey', () => {
  it('folds case, punctuation, whitespace and width', () => {
    expect(titleKey('  Putin meets Xi: "No limits"! ')).toBe(titleKey('putin MEETS xi — no limits'));
    expect(titleKey('ＡＢＣ　１２３')).toBe('abc 123'); // NFKC folds full-width forms
  });
  it('works for Cyrillic (ё = е) and CJK', () => {
    expect(titleKey('Путин и Си: «Всё решено»')).toBe(titleKey('ПУТИН и СИ — все решено.'));
    expect(titleKey('中俄签署“西伯利亚力量2号”协议')).toBe(titleKey('中俄签署《西伯利亚力量２号》协议'));
    expect(titleKey('中俄签署协议')).not.toBe(titleKey('中美签署协议'));
  });
});

describe('itemKey and detectBrokenGuids', () => {
  const published = new Date('2026-11-10T00:00:00Z');
  it('prefers GUID, then canonical URL, then a title+date hash', () => {
    expect(itemKey({ guid: ' g1 ', link: 'https://a.example/x' })).toBe('guid:g1');
    expect(itemKey({ link: 'https://A.example/x?utm_source=y' })).toBe('url:https://a.example/x');
    expect(itemKey({ guid: 'g1', link: 'https://a.example/x' }, { ignoreGuid: true })).toBe('url:https://a.example/x');
    const h1 = itemKey({ title: 'Hello, World', published });
    expect(h1).toMatch(/^hash:[0-9a-f]{64}$/);
    expect(itemKey({ title: 'hello world', published })).toBe(h1);
    expect(itemKey({ title: 'hello world', published: new Date('2026-11-11T00:00:00Z') })).not.toBe(h1);
    // a missing date (replaced by the fetch time) must not change the key from fetch to fetch
    expect(itemKey({ title: 'x', published, dateMissing: true })).toBe(itemKey({ title: 'x', published: new Date(), dateMissing: true }));
  });

  it('detects GUIDs that all changed while the links stayed', () => {
    const previous = { guids: ['a1', 'a2', 'a3'], urls: ['https://s/1', 'https://s/2', 'https://s/3'] };
    const rewritten = [
      { guid: 'b1', canonicalUrl: 'https://s/1' },
      { guid: 'b2', canonicalUrl: 'https://s/2' },
      { guid: 'b4', canonicalUrl: 'https://s/4' },
    ];
    expect(detectBrokenGuids(previous, rewritten)).toBe(true);
    const stable = [
      { guid: 'a1', canonicalUrl: 'https://s/1' },
      { guid: 'a2', canonicalUrl: 'https://s/2' },
      { guid: 'a5', canonicalUrl: 'https://s/5' },
    ];
    expect(detectBrokenGuids(previous, stable)).toBe(false);
    expect(detectBrokenGuids(previous, [{ guid: 'b1', canonicalUrl: 'https://s/1' }])).toBe(false); // too little evidence
    expect(detectBrokenGuids({ guids: [], urls: [] }, rewritten)).toBe(false);
  });

  it('contentHash changes with the text', () => {
    expect(contentHash({ title: 'a', summary: 'b' })).not.toBe(contentHash({ title: 'a', summary: 'c' }));
    expect(contentHash({ title: 'a', content: 'b', summary: 'x' })).toBe(contentHash({ title: 'a', content: 'b' }));
  });
});

describe('parseFeedDate', () => {
  it.each([
    ['Tue, 10 Nov 2026 08:15:00 +0300', '2026-11-10T05:15:00.000Z'],
    ['Tue, 10 Nov 2026 08:15:00 GMT', '2026-11-10T08:15:00.000Z'],
    ['10 Nov 2026 08:15:00 MSK', '2026-11-10T05:15:00.000Z'],
    ['Tue, 10 Nov 26 08:15 EST', '2026-11-10T13:15:00.000Z'],
    ['Tue, 10 Nov 2026 08:15:00', '2026-11-10T08:15:00.000Z'],
    ['Вт, 10 ноя 2026 08:15:00 +0300', '2026-11-10T05:15:00.000Z'],
    ['2026-11-10T08:15:00+08:00', '2026-11-10T00:15:00.000Z'],
    ['2026-11-10T08:15:00Z', '2026-11-10T08:15:00.000Z'],
    ['2026-11-10T08:15:00', '2026-11-10T08:15:00.000Z'],
    ['2026-11-10 08:15:00', '2026-11-10T08:15:00.000Z'],
    ['2026-11-10 08:15:00 +0300', '2026-11-10T05:15:00.000Z'],
    ['2026-11-10', '2026-11-10T00:00:00.000Z'],
  ])('%s', (input, iso) => {
    expect(parseFeedDate(input)?.toISOString()).toBe(iso);
  });
  it.each(['', '   ', 'yesterday-ish', 'Thu, 01 Jan 1970 00:00:00 GMT', null])('unreadable: %s', (input) => {
    expect(parseFeedDate(input)).toBeNull();
  });
});

describe('htmlToText', () => {
  it('strips tags and scripts, decodes entities, keeps paragraphs in block mode', () => {
    expect(htmlToText('<b>Xi</b> &amp; Putin<script>alert("x")</script><style>p{}</style>', 'inline')).toBe('Xi & Putin');
    expect(htmlToText('<p>One&nbsp;two</p><p>Three<br>four</p>')).toBe('One two\n\nThree\nfour');
    expect(htmlToText('plain text, no tags', 'inline')).toBe('plain text, no tags');
    expect(htmlToText('&lt;not a tag&gt; &#1056;&#x43e;', 'inline')).toBe('<not a tag> Ро');
    expect(htmlToText(null)).toBe('');
  });
  it('truncates at a word boundary', () => {
    expect(truncateText('alpha beta gamma delta', 12)).toBe('alpha beta…');
    expect(truncateText('short', 12)).toBe('short');
  });
});
