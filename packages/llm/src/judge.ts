/**
 * The model as a second judge: one chat-completions request per (claim, article) pair over any
 * OpenAI-compatible endpoint (Ollama's /v1, llama.cpp's server, vLLM, OpenAI), through the `openai`
 * client. Pure of the database: the caller brings the pair and stores the outcome.
 *
 * What protects the endpoint and the cycle:
 * - the client's own timeout and retries (exponential backoff on 408/409/429/5xx and dropped
 *   connections, honouring Retry-After and retry-after-ms), with a Retry-After longer than
 *   `maxRetryAfterMs` treated as "not now" rather than slept through;
 * - a concurrency limit (p-limit) on requests in flight;
 * - a circuit breaker (cockatiel): after `breakerFailures` requests in a row fail, no request is
 *   sent for `breakerHalfOpenMs`, and every pair is answered `unavailable` at once; then one trial
 *   request decides whether it closes again.
 * An answer that fails the schema or the quote check is asked for once more; a second failure is
 * `invalid` (the built-in judgment stands). `unavailable` means the endpoint did not answer: the
 * caller keeps the pair for later.
 */
import OpenAI from 'openai';
import pLimit from 'p-limit';
import { BrokenCircuitError, CircuitState, ConsecutiveBreaker, circuitBreaker, handleAll, type CircuitBreakerPolicy } from 'cockatiel';
import { AnswerError, ANSWER_JSON_SCHEMA, parseAnswer, type LlmAnswer } from './answer.ts';
import {
  buildMessages,
  buildRetryMessage,
  llmScorerId,
  MAX_ARTICLE_CHARS,
  type ChatMessage,
  type LlmArticle,
  type LlmClaim,
} from './prompt.ts';

export interface LlmJudgeOptions {
  /** OpenAI-compatible base URL, e.g. http://127.0.0.1:11434/v1 (Ollama). */
  baseURL: string;
  model: string;
  /** Sent as a bearer token; local servers need none. */
  apiKey?: string;
  /** Per request, including reading the answer (default 60 s). */
  timeoutMs?: number;
  /** Retries of a request on 429, 5xx, timeouts and dropped connections (default 2). */
  maxRetries?: number;
  /** Requests in flight at once (default 2). */
  concurrency?: number;
  /** Most tokens the answer may take (default 400). */
  maxAnswerTokens?: number;
  /** Consecutive failed requests that open the circuit (default 5). */
  breakerFailures?: number;
  /** How long an open circuit stays open before a trial request (default 30 s). */
  breakerHalfOpenMs?: number;
  /** A Retry-After longer than this gives up on the pair for now instead of waiting (default 60 s). */
  maxRetryAfterMs?: number;
  /** Used instead of the global fetch (tests). */
  fetch?: typeof fetch;
}

export interface LlmUsage {
  /** HTTP requests that returned an answer (retries by the client included only when answered). */
  requests: number;
  promptTokens: number;
  completionTokens: number;
}

export type LlmOutcome =
  | { status: 'judged'; answer: LlmAnswer; attempts: number; usage: LlmUsage }
  /** The model answered, twice, with something unusable: the built-in judgment stands. */
  | { status: 'invalid'; problem: string; attempts: number; usage: LlmUsage }
  /**
   * The endpoint did not answer (down, timing out, rate limiting), or nothing was sent because the
   * circuit is open (`sent: false`): try later.
   */
  | { status: 'unavailable'; problem: string; attempts: number; usage: LlmUsage; sent: boolean };

export interface LlmJudge {
  /** `llm:<model>@<prompt version>`, recorded with every judgment. */
  readonly scorerId: string;
  readonly model: string;
  judge(claim: LlmClaim, article: LlmArticle, options?: { signal?: AbortSignal }): Promise<LlmOutcome>;
  /** Tokens and requests spent since the judge was made. */
  usage(): LlmUsage;
  /** closed | open | half-open: open means the endpoint is treated as down. */
  circuit(): 'closed' | 'open' | 'half-open';
}

export class LlmError extends Error {
  override name = 'LlmError';
}

/** Rough tokens of a text (about four characters a token in English), for budgets before sending. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** Tokens a pair will likely cost before it is sent: the prompt's estimate plus the answer cap. */
export function estimatePairTokens(claim: LlmClaim, article: LlmArticle, maxAnswerTokens = 400): number {
  const messages = buildMessages(claim, { ...article, body: article.body.slice(0, MAX_ARTICLE_CHARS) });
  return messages.reduce((n, m) => n + estimateTokens(m.content), 0) + maxAnswerTokens;
}

export function createLlmJudge(options: LlmJudgeOptions): LlmJudge {
  if (!options.model.trim()) throw new LlmError('llm: the model name is empty');
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
  const baseFetch = options.fetch ?? fetch;
  const client = new OpenAI({
    baseURL: options.baseURL,
    // The client insists on a key; local servers ignore the header.
    apiKey: options.apiKey || 'none',
    timeout: options.timeoutMs ?? 60_000,
    maxRetries: options.maxRetries ?? 2,
    logLevel: 'off',
    fetch: (async (url: string | URL | Request, init?: RequestInit) =>
      capRetryAfter(await baseFetch(url, init), maxRetryAfterMs)) as typeof fetch,
  });
  const limit = pLimit(Math.max(1, options.concurrency ?? 2));
  const halfOpenMs = options.breakerHalfOpenMs ?? 30_000;
  const breaker: CircuitBreakerPolicy = circuitBreaker(handleAll, {
    halfOpenAfter: halfOpenMs,
    breaker: new ConsecutiveBreaker(Math.max(1, options.breakerFailures ?? 5)),
  });
  // cockatiel moves an open circuit to half-open only when the next call comes: remember when it
  // opened, so that callers asking "is it open?" before sending learn that a trial call is due.
  let openedAt = 0;
  breaker.onBreak(() => {
    openedAt = Date.now();
  });
  const maxTokens = options.maxAnswerTokens ?? 400;
  const total: LlmUsage = { requests: 0, promptTokens: 0, completionTokens: 0 };

  async function ask(messages: ChatMessage[], signal: AbortSignal | undefined, usage: LlmUsage): Promise<string | null> {
    const completion = await breaker.execute(() =>
      client.chat.completions.create(
        {
          model: options.model,
          messages,
          temperature: 0,
          max_tokens: maxTokens,
          response_format: {
            type: 'json_schema',
            json_schema: { name: 'stance_judgment', strict: true, schema: ANSWER_JSON_SCHEMA as unknown as Record<string, unknown> },
          },
        },
        { signal },
      ),
    );
    const prompt = completion.usage?.prompt_tokens ?? messages.reduce((n, m) => n + estimateTokens(m.content), 0);
    const answer = completion.usage?.completion_tokens ?? 0;
    for (const u of [usage, total]) {
      u.requests++;
      u.promptTokens += prompt;
      u.completionTokens += answer;
    }
    return completion.choices[0]?.message?.content ?? null;
  }

  async function judgeNow(claim: LlmClaim, article: LlmArticle, signal: AbortSignal | undefined): Promise<LlmOutcome> {
    const usage: LlmUsage = { requests: 0, promptTokens: 0, completionTokens: 0 };
    const messages = buildMessages(claim, article);
    const articleText = `${article.title ?? ''}\n${article.body}`;
    let attempts = 0;
    let problem = '';
    while (attempts < 2) {
      attempts++;
      let content: string | null;
      try {
        content = await ask(messages, signal, usage);
      } catch (error) {
        return { status: 'unavailable', problem: describeFailure(error), attempts, usage, sent: !(error instanceof BrokenCircuitError) };
      }
      try {
        return { status: 'judged', answer: parseAnswer(content, articleText), attempts, usage };
      } catch (error) {
        if (!(error instanceof AnswerError)) throw error;
        problem = error.message;
        messages.push({ role: 'assistant', content: content ?? '' }, buildRetryMessage(problem));
      }
    }
    return { status: 'invalid', problem, attempts, usage };
  }

  return {
    scorerId: llmScorerId(options.model),
    model: options.model,
    judge: (claim, article, opts = {}) => limit(() => judgeNow(claim, article, opts.signal)),
    usage: () => ({ ...total }),
    circuit: () => {
      if (breaker.state === CircuitState.Closed) return 'closed';
      if (breaker.state === CircuitState.HalfOpen || (breaker.state === CircuitState.Open && Date.now() - openedAt >= halfOpenMs))
        return 'half-open';
      return 'open';
    },
  };
}

/** What went wrong with a request, in a line for logs and the queue's last error. */
function describeFailure(error: unknown): string {
  if (error instanceof BrokenCircuitError) return 'llm: the endpoint is treated as down (circuit open after repeated failures)';
  if (error instanceof OpenAI.APIConnectionTimeoutError) return 'llm: request timed out';
  if (error instanceof OpenAI.APIUserAbortError) return 'llm: request aborted';
  if (error instanceof OpenAI.APIConnectionError)
    return `llm: connection failed (${error.cause instanceof Error ? error.cause.message : error.message})`;
  if (error instanceof OpenAI.APIError) return `llm: HTTP ${error.status ?? '?'}: ${error.message.slice(0, 200)}`;
  return `llm: ${error instanceof Error ? error.message.slice(0, 200) : String(error)}`;
}

/**
 * A response whose Retry-After asks for longer than `maxMs` is marked not to be retried (the
 * client would otherwise sleep through it, holding up the whole cycle): the pair stays queued.
 */
function capRetryAfter(response: Response, maxMs: number): Response {
  const header = response.headers.get('retry-after-ms') ?? response.headers.get('retry-after');
  if (!header) return response;
  const seconds = Number(header);
  const waitMs = response.headers.has('retry-after-ms')
    ? seconds
    : Number.isNaN(seconds)
      ? Date.parse(header) - Date.now()
      : seconds * 1000;
  if (!(waitMs > maxMs)) return response;
  const headers = new Headers(response.headers);
  headers.set('x-should-retry', 'false');
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
