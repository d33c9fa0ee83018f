import { describe, expect, it } from 'vitest';
import { AnswerError, normaliseQuoteText, parseAnswer } from './answer.ts';
import { buildMessages, formatClaim, llmScorerId, pairKeys, PROMPT_VERSION } from './prompt.ts';

const article = 'Moscow said on Monday that “talks will resume” next week.\nThe ministry’s statement — issued late — gave no date.';

describe('parseAnswer', () => {
  it('accepts a quote that differs only in quote marks, dashes, case, spacing and the final stop', () => {
    const a = parseAnswer(
      JSON.stringify({
        stance: 'agree',
        confidence: 0.7,
        evidence: ['moscow said on Monday that "talks  will resume" next week'],
        reason: 'says so',
      }),
      article,
    );
    expect(a).toEqual({
      stance: 'agree',
      confidence: 0.7,
      evidence: ['moscow said on Monday that "talks  will resume" next week'],
      reason: 'says so',
    });
    expect(
      parseAnswer(
        JSON.stringify({
          stance: 'discuss',
          confidence: 0.5,
          evidence: ["The ministry's statement - issued late - gave no date."],
          reason: 'x',
        }),
        article,
      ).stance,
    ).toBe('discuss');
  });

  it('rejects an invented or paraphrased quote, naming it', () => {
    expect(() =>
      parseAnswer(JSON.stringify({ stance: 'agree', confidence: 0.9, evidence: ['Talks resumed on Monday.'], reason: 'x' }), article),
    ).toThrow(/"Talks resumed on Monday\." does not occur/);
  });

  it('rejects malformed JSON, schema misses and a related stance without evidence', () => {
    expect(() => parseAnswer('{"stance": "agree", ', article)).toThrow(AnswerError);
    expect(() => parseAnswer('{"stance": "supports", "confidence": 0.5, "evidence": [], "reason": ""}', article)).toThrow(
      /schema \(stance/,
    );
    expect(() =>
      parseAnswer('{"stance": "agree", "confidence": 1.5, "evidence": ["Moscow said on Monday"], "reason": ""}', article),
    ).toThrow(/confidence/);
    expect(() => parseAnswer('{"stance": "disagree", "confidence": 0.5, "evidence": [], "reason": ""}', article)).toThrow(
      /at least one evidence/,
    );
    expect(() => parseAnswer('', article)).toThrow(/empty/);
  });

  it('takes a fenced JSON block and an unrelated answer without quotes', () => {
    const a = parseAnswer(
      '```json\n{"stance": "unrelated", "confidence": 0.9, "evidence": [], "reason": "other topic\\nmore"}\n```',
      article,
    );
    expect(a).toEqual({ stance: 'unrelated', confidence: 0.9, evidence: [], reason: 'other topic' });
  });

  it('normalises text for the check', () => {
    expect(normaliseQuoteText('  “Hello”\u2014World…  ')).toBe('hello"-world');
  });
});

describe('prompt', () => {
  const claim = {
    statement: 'Russia and Ukraine sign a ceasefire by 2027.',
    deadline: '2027-01-01',
    signposts: [
      { text: 'Talks resume', direction: 'holds' as const },
      { text: 'A new offensive', direction: 'fails' as const },
    ],
  };

  it('lays out statement, kind, deadline, signposts with directions and the article date', () => {
    const [system, user] = buildMessages(claim, { title: 'T', body: 'B.', published: '2026-05-01' });
    expect(system!.content).toMatch(/"agree"/);
    expect(user!.content).toContain('Claim (forecast): Russia and Ukraine sign a ceasefire by 2027.');
    expect(user!.content).toContain('Deadline: 2027-01-01');
    expect(user!.content).toContain('- [holds: supports the claim] Talks resume');
    expect(user!.content).toContain('- [fails: undermines the claim] A new offensive');
    expect(user!.content).toContain('Article date: 2026-05-01');
  });

  it('keys the cache by what the prompt shows, and puts the prompt version in the scorer id', () => {
    const a = pairKeys(claim, { body: 'B.' });
    expect(pairKeys({ ...claim }, { body: 'B.' })).toEqual(a);
    expect(pairKeys({ ...claim, deadline: '2028-01-01' }, { body: 'B.' }).claimKey).not.toBe(a.claimKey);
    expect(pairKeys(claim, { body: 'C.' }).articleKey).not.toBe(a.articleKey);
    expect(formatClaim({ statement: 'x', kind: 'report' })).toBe('Claim (report): x');
    expect(
      formatClaim({
        statement: 'x',
        forecastKind: 'threshold',
        threshold: { metric: 'GDP growth', operator: '>=', value: 3, unit: '%' },
        horizon: 'this decade',
      }),
    ).toBe('Claim (forecast, threshold): x\nThreshold: GDP growth >= 3 %\nHorizon: this decade');
    expect(llmScorerId('qwen2.5:7b')).toBe(`llm:qwen2.5:7b@${PROMPT_VERSION}`);
  });
});
