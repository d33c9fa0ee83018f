import { createLlmJudge, type LlmJudge } from '@signpost/llm';
import type { WorkerEnv } from './env.ts';

/** The model judge and what a cycle may spend on it, from the environment; null when no model is set. */
export interface LlmSetup {
  judge: LlmJudge;
  minRelevance: number;
  budget: { pairs: number; tokens: number };
  maxAnswerTokens: number;
  price: { input?: number; output?: number };
  /** SIGNPOST_JUDGE=llm: the model's judgments count where they exist. */
  counts: boolean;
}

const MAX_ANSWER_TOKENS = 400;

export function createLlmSetup(env: WorkerEnv, options: { fetch?: typeof fetch } = {}): LlmSetup | null {
  if (!env.SIGNPOST_LLM_URL || !env.SIGNPOST_LLM_MODEL) return null;
  return {
    judge: createLlmJudge({
      baseURL: env.SIGNPOST_LLM_URL,
      model: env.SIGNPOST_LLM_MODEL,
      apiKey: env.SIGNPOST_LLM_API_KEY,
      timeoutMs: env.SIGNPOST_LLM_TIMEOUT_MS,
      concurrency: env.SIGNPOST_LLM_CONCURRENCY,
      maxAnswerTokens: MAX_ANSWER_TOKENS,
      fetch: options.fetch,
    }),
    minRelevance: env.SIGNPOST_LLM_MIN_RELEVANCE,
    budget: { pairs: env.SIGNPOST_LLM_PAIRS_PER_CYCLE, tokens: env.SIGNPOST_LLM_TOKENS_PER_CYCLE },
    maxAnswerTokens: MAX_ANSWER_TOKENS,
    price: { input: env.SIGNPOST_LLM_PRICE_INPUT, output: env.SIGNPOST_LLM_PRICE_OUTPUT },
    counts: env.SIGNPOST_JUDGE === 'llm',
  };
}

/** The scorer id whose judgments the ledger prefers (SIGNPOST_JUDGE=llm), or null. */
export function preferredScorer(llm: LlmSetup | null): string | null {
  return llm?.counts ? llm.judge.scorerId : null;
}
