import { describe, expect, it } from 'vitest';
import type { EvidenceItem } from '../forecasts.ts';
import { renderEvidenceAtom } from './atom.ts';

describe('renderEvidenceAtom', () => {
  it('escapes every value and drops the characters XML 1.0 forbids', () => {
    const item = {
      articleId: 1,
      stance: 'agree',
      confidence: 0.5,
      foundAt: new Date(0),
      publishedAt: new Date(0),
      evidence: [{ text: 'a <b>', stance: 'agree' }],
      article: { url: 'https://e.example/?a=1&b=2', title: 'T\u0002 & co', feeds: [{ title: 'F', url: 'https://f.example/' }] },
    } as unknown as EvidenceItem;
    const xml = renderEvidenceAtom({
      origin: 'http://x.example',
      id: 'a',
      statement: `A & B's <"q">\u0001`,
      updated: new Date(0),
      items: [item],
    });
    expect(xml).toContain('<title>Signpost evidence: A &amp; B&#39;s &lt;&quot;q&quot;&gt;</title>');
    expect(xml).toContain('<link rel="alternate" href="https://e.example/?a=1&amp;b=2"/>');
    expect(xml).toContain('<title>[supports] T &amp; co</title>');
    expect(xml).toContain('[supports] a &lt;b&gt;</summary>');
    expect(xml).not.toMatch(/[\u0001\u0002]/);
  });
});
