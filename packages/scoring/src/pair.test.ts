import { describe, expect, it } from 'vitest';
import type { ScorerWeights } from './model.ts';
import { pairFeatureNames, pairVector, prepareArticleData, prepareClaimData } from './pair.ts';
import { featureContext } from './scorer.ts';
import committed from './weights/model.json' with { type: 'json' };

const weights = committed as unknown as ScorerWeights;
const ctx = featureContext(weights);
const names = pairFeatureNames(ctx);

const forecast = {
  statement: 'China will not impose its own sanctions on Russia over the war against Ukraine.',
  signposts: [
    { text: 'China announces sanctions on Russian officials or companies over Ukraine', direction: 'fails' as const },
    { text: 'Beijing rejects Western calls to join sanctions against Russia', direction: 'holds' as const },
  ],
};

function features(article: { title: string; body: string }, claim = forecast): Record<string, number> {
  const v = pairVector(ctx, prepareClaimData(ctx, claim), prepareArticleData(ctx, article)).x;
  return Object.fromEntries(names.map((n, i) => [n, v[i] ?? NaN]));
}

describe('signpost features, by the signpost direction', () => {
  const fails = features({
    title: 'China freezes assets of Russian arms makers',
    body: 'Beijing announced sanctions on three Russian defence companies and two officials on Monday, citing the war in Ukraine.',
  });
  const holds = features({
    title: 'Beijing rebuffs Western call to join sanctions',
    body: 'China rejected calls from Washington and Brussels to join the sanctions against Russia, its foreign ministry said on Monday.',
  });

  it('has one value per name', () => {
    expect(pairVector(ctx, prepareClaimData(ctx, forecast), prepareArticleData(ctx, { title: 't', body: 'b' })).x.length).toBe(
      names.length,
    );
  });

  it('covers the signposts that undermine the forecast apart from those that confirm it', () => {
    expect(fails['f_sp_cov_fails']).toBeGreaterThan(fails['f_sp_cov_holds']!);
    expect(holds['f_sp_cov_holds']).toBeGreaterThan(holds['f_sp_cov_fails']!);
  });

  it('finds the closest sentence to each direction by word vectors', () => {
    expect(fails['f_sp_vec_fails']).toBeGreaterThan(fails['f_sp_vec_holds']!);
    expect(holds['f_sp_vec_holds']).toBeGreaterThan(holds['f_sp_vec_fails']!);
    expect(holds['f_sp_vec_holds']).toBeLessThanOrEqual(1);
  });

  it('marks a forecast without signposts as such', () => {
    const bare = features(
      { title: 'Beijing rebuffs Western call to join sanctions', body: 'China rejected calls to join the sanctions against Russia.' },
      { statement: forecast.statement, signposts: [] },
    );
    for (const n of ['f_sp_cov_holds', 'f_sp_cov_fails', 'f_sp_vec_holds', 'f_sp_vec_fails']) expect(bare[n]).toBe(-1);
  });
});
