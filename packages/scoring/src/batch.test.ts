import { describe, expect, it } from 'vitest';
import { scoreArticleAgainstClaims, scoreArticleBatch } from './batch.ts';
import { createScorer } from './scorer.ts';

const scorer = createScorer();
const claims = [
  { claim: { statement: 'China will not sanction Russia.' }, throughArticleId: 0 },
  { claim: { statement: 'Arctic sea ice will vanish in summer by 2030.' }, throughArticleId: 0 },
  { claim: { statement: 'China will sanction Russia.' }, throughArticleId: 5 },
];
const article = (id: number) => ({
  id,
  article: {
    title: 'China refuses to sanction Russia',
    body: 'Beijing said it would not join Western sanctions against Moscow, officials in China said.',
  },
});

describe('scoring a batch', () => {
  it('judges an article against the claims whose watermark lies before it, sending back only related judgments', () => {
    const out = scoreArticleAgainstClaims(scorer, claims, article(3));
    expect(out.articleId).toBe(3);
    expect(out.claims).toEqual([0, 1]); // claim 2 has already judged articles up to 5
    expect(out.related[0]).toEqual(scorer.score(claims[0]!.claim, article(3).article));
    expect(out.related[0]!.stance).not.toBe('unrelated');
    expect(out.related[1]).toBeUndefined(); // unrelated: not sent back
  });

  it('scores a batch in article order, each article against every claim it has not reached', () => {
    const out = scoreArticleBatch(scorer, claims, [article(4), article(6)]);
    expect(out.map((a) => [a.articleId, a.claims])).toEqual([
      [4, [0, 1]],
      [6, [0, 1, 2]],
    ]);
  });
});
