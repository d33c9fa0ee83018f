import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLlmJudge } from './judge.ts';
import { quotingAnswer, startChatServer, type ChatServer } from '../test/testing.ts';
import { waitFor } from '@signpost/testing';

const claim = {
  statement: 'China will sanction Russia by 2027.',
  deadline: '2027-12-31',
  signposts: [{ text: 'China freezes Russian assets', direction: 'holds' as const }],
};
const article = {
  title: 'Beijing freezes accounts',
  body: 'Chinese banks froze accounts of Russian firms on Tuesday. Officials gave no reason.',
  published: '2026-03-03',
};
const answer = (stance: string, evidence: string[]) => JSON.stringify({ stance, confidence: 0.8, evidence, reason: 'r' });

let server: ChatServer;
beforeEach(async () => {
  server = await startChatServer();
});
afterEach(async () => {
  await server.close();
});

const fast = { timeoutMs: 2000, maxRetries: 2, breakerFailures: 3, breakerHalfOpenMs: 60_000 };

describe('createLlmJudge against a chat-completions server', () => {
  it('sends the prompt with the JSON schema and returns a checked answer with its usage', async () => {
    const judge = createLlmJudge({ baseURL: server.url, model: 'm1', ...fast });
    const out = await judge.judge(claim, article);
    expect(out).toMatchObject({
      status: 'judged',
      attempts: 1,
      answer: { stance: 'agree', evidence: ['Chinese banks froze accounts of Russian firms on Tuesday.'] },
      usage: { requests: 1, promptTokens: 120, completionTokens: 30 },
    });
    expect(judge.scorerId).toBe('llm:m1@p1');
    const req = server.requests[0]!;
    expect(req.model).toBe('m1');
    expect(req.response_format).toMatchObject({
      type: 'json_schema',
      json_schema: { strict: true, schema: { required: ['stance', 'confidence', 'evidence', 'reason'] } },
    });
    expect(req.messages[1]!.content).toContain('Deadline: 2027-12-31');
  });

  it('asks once more after malformed JSON or an invented quote, telling the model what was wrong', async () => {
    const judge = createLlmJudge({ baseURL: server.url, model: 'm1', ...fast });
    server.script({ content: '{"stance": "agree",' });
    const first = await judge.judge(claim, article);
    expect(first).toMatchObject({ status: 'judged', attempts: 2 });
    expect(server.requests[1]!.messages.at(-1)!.content).toMatch(/not JSON/);

    server.script(
      { content: answer('agree', ['China sanctioned Russia.']) },
      { content: answer('agree', ['Russia was sanctioned by China.']) },
    );
    const second = await judge.judge(claim, article);
    expect(second).toMatchObject({ status: 'invalid', attempts: 2 });
    expect(second.status === 'invalid' && second.problem).toMatch(/does not occur in the article/);
    expect(server.requests).toHaveLength(4);
  });

  it('waits as Retry-After says on 429, and retries 500s with backoff', async () => {
    const judge = createLlmJudge({ baseURL: server.url, model: 'm1', ...fast });
    server.script({ status: 429, headers: { 'retry-after': '1' } });
    const t0 = Date.now();
    expect((await judge.judge(claim, article)).status).toBe('judged');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
    server.script({ status: 500 }, { status: 503 });
    expect((await judge.judge(claim, article)).status).toBe('judged');
    expect(server.requests).toHaveLength(5);
  });

  it('does not sleep through a Retry-After beyond the cap: the pair is unavailable for now', async () => {
    const judge = createLlmJudge({ baseURL: server.url, model: 'm1', ...fast, maxRetryAfterMs: 5000 });
    server.script({ status: 429, headers: { 'retry-after': '3600' } });
    const t0 = Date.now();
    const out = await judge.judge(claim, article);
    expect(out).toMatchObject({ status: 'unavailable' });
    expect(out.status === 'unavailable' && out.problem).toMatch(/HTTP 429/);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(server.requests).toHaveLength(1);
  });

  it('times out a slow answer and survives a dropped connection', async () => {
    const judge = createLlmJudge({ baseURL: server.url, model: 'm1', ...fast, timeoutMs: 300, maxRetries: 1 });
    server.script({ ...quotingAnswer()(await placeholder()), delayMs: 1500 } as never, { drop: true });
    const out = await judge.judge(claim, article);
    expect(out).toMatchObject({ status: 'unavailable' });
    expect(out.status === 'unavailable' && out.problem).toMatch(/connection|timed out/);
    server.script({ drop: true });
    expect((await judge.judge(claim, article)).status).toBe('judged');
  });

  it('opens the circuit after repeated failures and then sends nothing', async () => {
    const judge = createLlmJudge({ baseURL: server.url, model: 'm1', ...fast, maxRetries: 0 });
    server.setDefault(() => ({ status: 500 }));
    for (let i = 0; i < 3; i++) expect((await judge.judge(claim, article)).status).toBe('unavailable');
    expect(judge.circuit()).toBe('open');
    const sent = server.requests.length;
    const out = await judge.judge(claim, article);
    expect(out.status === 'unavailable' && out.problem).toMatch(/circuit open/);
    expect(server.requests).toHaveLength(sent);
  });

  it('closes the circuit again once the endpoint answers', async () => {
    const judge = createLlmJudge({ baseURL: server.url, model: 'm1', ...fast, maxRetries: 0, breakerFailures: 1, breakerHalfOpenMs: 200 });
    server.script({ status: 500 });
    expect((await judge.judge(claim, article)).status).toBe('unavailable');
    expect(judge.circuit()).toBe('open');
    // A trial call comes due after breakerHalfOpenMs: callers that check before sending must not wait for ever.
    await waitFor(() => judge.circuit() === 'half-open', 'the circuit to half-open', { timeoutMs: 5_000, everyMs: 10 });
    expect((await judge.judge(claim, article)).status).toBe('judged');
    expect(judge.circuit()).toBe('closed');
  });

  it('keeps at most `concurrency` requests in flight', async () => {
    const judge = createLlmJudge({ baseURL: server.url, model: 'm1', ...fast, concurrency: 2 });
    let inFlight = 0;
    let most = 0;
    const base = quotingAnswer();
    server.setDefault((req) => {
      inFlight++;
      most = Math.max(most, inFlight);
      setTimeout(() => inFlight--, 100);
      return { ...(base(req) as object), delayMs: 100 } as never;
    });
    const outs = await Promise.all(Array.from({ length: 6 }, () => judge.judge(claim, article)));
    expect(outs.every((o) => o.status === 'judged')).toBe(true);
    expect(most).toBe(2);
    expect(judge.usage()).toEqual({ requests: 6, promptTokens: 720, completionTokens: 180 });
  });
});

/** A request shaped like the judge's, to script a valid delayed answer. */
async function placeholder() {
  return { model: 'm1', messages: [{ role: 'user', content: `x\n---\nArticle date: 2026-03-03\nTitle: t\n\n${article.body}` }] };
}
