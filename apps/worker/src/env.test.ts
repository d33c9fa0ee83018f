import { describe, expect, it } from 'vitest';
import { EnvError, loadWorkerEnv } from './env.ts';
import { createLlmSetup, preferredScorer } from './llm-setup.ts';

const problems = (env: NodeJS.ProcessEnv) => {
  try {
    loadWorkerEnv(env);
    return [];
  } catch (e) {
    if (!(e instanceof EnvError)) throw e;
    return e.problems;
  }
};

describe('the language model settings', () => {
  it('are off by default: the built-in scorer alone counts', () => {
    const env = loadWorkerEnv({});
    expect(env).toMatchObject({ SIGNPOST_JUDGE: 'builtin', SIGNPOST_LLM_PAIRS_PER_CYCLE: 200, SIGNPOST_LLM_MIN_RELEVANCE: 0.03 });
    expect(createLlmSetup(env)).toBeNull();
  });

  it('make a judge with its budget and say whose judgment counts', () => {
    const env = loadWorkerEnv({
      SIGNPOST_LLM_URL: 'http://127.0.0.1:11434/v1',
      SIGNPOST_LLM_MODEL: 'qwen2.5:7b-instruct',
      SIGNPOST_LLM_PAIRS_PER_CYCLE: '50',
      SIGNPOST_LLM_TOKENS_PER_CYCLE: '90000',
      SIGNPOST_LLM_PRICE_INPUT: '0.15',
      SIGNPOST_JUDGE: 'llm',
    });
    const setup = createLlmSetup(env)!;
    expect(setup.judge.scorerId).toBe('llm:qwen2.5:7b-instruct@p1');
    expect(setup.budget).toEqual({ pairs: 50, tokens: 90_000 });
    expect(setup.price).toEqual({ input: 0.15, output: undefined });
    expect(preferredScorer(setup)).toBe('llm:qwen2.5:7b-instruct@p1');
    expect(preferredScorer(createLlmSetup({ ...env, SIGNPOST_JUDGE: 'builtin' }))).toBeNull();
  });

  it('name every mistake', () => {
    expect(problems({ SIGNPOST_LLM_URL: 'http://127.0.0.1:11434/v1' })).toEqual([
      'SIGNPOST_LLM_MODEL: is required when SIGNPOST_LLM_URL is set (e.g. qwen2.5:7b-instruct)',
    ]);
    expect(problems({ SIGNPOST_JUDGE: 'llm' })).toEqual([
      'SIGNPOST_JUDGE: is llm but no model is configured (set SIGNPOST_LLM_URL and SIGNPOST_LLM_MODEL)',
    ]);
    expect(
      problems({
        SIGNPOST_JUDGE: 'gpt',
        SIGNPOST_LLM_URL: 'ftp://x',
        SIGNPOST_LLM_MODEL: 'm',
        SIGNPOST_LLM_PAIRS_PER_CYCLE: '-1',
        SIGNPOST_LLM_MIN_RELEVANCE: '2',
      }),
    ).toEqual([
      'SIGNPOST_LLM_URL: must be an http(s) URL such as http://127.0.0.1:11434/v1',
      'SIGNPOST_LLM_PAIRS_PER_CYCLE: must be 0 or more',
      'SIGNPOST_LLM_MIN_RELEVANCE: must be a number between 0 and 1',
      'SIGNPOST_JUDGE: must be builtin or llm',
    ]);
  });
});
