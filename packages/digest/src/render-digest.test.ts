import { describe, expect, it } from 'vitest';
import { buildDigest, weekWindow, type DigestInput } from './build-digest.ts';
import { digestSubject, renderDigest, shorten } from './render-digest.tsx';
import { summarizeDigest } from './build-digest.ts';

const evil = 'Sanctions <script>alert(1)</script> & "quotes"';
const input: DigestInput = {
  week: '2026-W47',
  window: weekWindow('2026-W47'),
  forecasts: [
    { id: 'a/b', statement: evil, tags: ['t'] },
    { id: 'quiet', statement: 'Nothing happens here.', tags: ['q'] },
  ],
  ledger: [1, 2, 3, 4, 5, 6, 7].map((n) => ({
    predictionId: 'a/b',
    articleId: n,
    stance: 'agree' as const,
    confidence: 0.5 + n / 20,
    publishedAt: new Date(`2026-11-${16 + (n % 7)}T00:00:00Z`),
    titleKey: `k${n}`,
    evidence: [{ text: `Quote ${n} <b>bold</b>`, stance: 'agree' }],
    overridden: n === 7,
  })),
  articles: [1, 2, 3, 4, 5, 6, 7].map((n) => ({
    id: n,
    title: `Статья ${n} 新闻`,
    url: n === 3 ? null : `https://n.example/${n}?x=1&y="2"`,
    publishedAt: new Date('2026-11-18T00:00:00Z'),
    feeds: ['ТАСС'],
  })),
  revisions: [],
  feeds: [],
};

describe('renderDigest', () => {
  const digest = buildDigest(input);
  const out = renderDigest(
    digest,
    { email: 'z@example.org', name: 'Zoë <Z>' },
    { publicUrl: 'https://s.example/base/', unsubscribeUrl: 'https://s.example/base/unsubscribe?token=t.k' },
  );

  it('escapes everything that comes from config and the news, and uses no scripts or external styles', () => {
    expect(out.html).not.toContain('<script>alert');
    expect(out.html).toContain('Sanctions &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;');
    expect(out.html).toContain('Hello Zoë &lt;Z&gt;,');
    expect(out.html).toContain('href="https://n.example/6?x=1&amp;y=&quot;2&quot;"');
    expect(out.html).not.toMatch(/<script|<style|<link|javascript:/i);
    expect(out.html).toMatch(/^<!DOCTYPE html>/);
    expect(out.text).toContain(evil);
  });

  it('links forecasts absolutely with their ids encoded, and shows the strongest five items with a link to the rest', () => {
    expect(out.html).toContain('href="https://s.example/base/predictions/a%2Fb"');
    expect(out.text).toContain('https://s.example/base/predictions/a%2Fb');
    expect(out.text).toContain('Supports the forecast (7):');
    expect(out.text).toContain('> “Quote 6 <b>bold</b>”');
    expect(out.text).not.toContain('Quote 1 ');
    expect(out.text).toContain('and 2 more articles: https://s.example/base/predictions/a%2Fb');
    expect(out.text).toContain('analyst’s verdict');
    expect(out.text).toContain('confidence 80 %');
    // An article without a link shows its title without an anchor.
    expect(out.html).not.toContain('href="null"');
    expect(out.text).toContain('Unsubscribe: https://s.example/base/unsubscribe?token=t.k');
  });

  it('writes subjects that say what happened', () => {
    expect(out.subject).toBe('Signpost 2026-W47: “Sanctions <script>alert(1)</script> & "quotes"” now holding up');
    const quiet = renderDigest(digest, { email: 'q@example.org', follow: ['q'] }, { publicUrl: 'https://s.example' });
    expect(quiet.subject).toBe('Signpost 2026-W47: no change in the forecasts you follow');
    expect(quiet.unchanged).toBe(true);
    expect(quiet.text).toContain('No forecast you follow changed status or moved, and no new evidence arrived.');
    expect(quiet.text).not.toContain('Unsubscribe:');
    expect(digestSubject(digest, summarizeDigest(digest))).toBe(out.subject);
  });

  it('shortens long statements at a word boundary', () => {
    expect(shorten('China will not impose sanctions on Russia over the war in Ukraine in the foreseeable future', 40)).toBe(
      'China will not impose sanctions on…',
    );
    expect(shorten('short', 40)).toBe('short');
  });
});
