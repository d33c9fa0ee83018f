/**
 * A local HTTP server that speaks the chat-completions API with scripted answers, for tests of the
 * judge and of the worker's model stage (a real server on 127.0.0.1, port 0; no mocks).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChatRequest {
  model: string;
  messages: { role: string; content: string }[];
  response_format?: unknown;
}

/** What the server does with one request. */
export type ScriptStep =
  /** Answer 200 with this message content (and usage). */
  | { content: string; promptTokens?: number; completionTokens?: number; delayMs?: number }
  /** Answer with this status, headers and body. */
  | { status: number; headers?: Record<string, string>; body?: string; delayMs?: number }
  /** Close the connection without answering. */
  | { drop: true };

export interface ChatServer {
  /** Base URL ending in /v1, for the judge's baseURL. */
  url: string;
  /** Every request received, in order. */
  requests: ChatRequest[];
  /** Steps used for the next requests, one each, before falling back to the default. */
  script(...steps: (ScriptStep | ((request: ChatRequest) => ScriptStep))[]): void;
  /** Used when the script is empty (default: a valid answer quoting the article's first sentence). */
  setDefault(step: (request: ChatRequest) => ScriptStep): void;
  close(): Promise<void>;
}

/** The article body as the prompt carries it (after the blank line following the title). */
export function articleOf(request: ChatRequest): { title: string; body: string } {
  const user = request.messages.find((m) => m.role === 'user')?.content ?? '';
  const article = user.split('\n---\n')[1] ?? '';
  const title = /^Title: (.*)$/m.exec(article)?.[1] ?? '';
  const body = article.split('\n\n').slice(1).join('\n\n');
  return { title, body };
}

/** A valid answer that quotes the article's first sentence with the given stance. */
export function quotingAnswer(stance = 'agree', confidence = 0.8): (request: ChatRequest) => ScriptStep {
  return (request) => {
    const { body } = articleOf(request);
    const first = (body.match(/[^.!?]+[.!?]/)?.[0] ?? body).trim();
    return {
      content: JSON.stringify({ stance, confidence, evidence: stance === 'unrelated' ? [] : [first], reason: 'scripted' }),
      promptTokens: 120,
      completionTokens: 30,
    };
  };
}

export async function startChatServer(): Promise<ChatServer> {
  const requests: ChatRequest[] = [];
  const queue: (ScriptStep | ((request: ChatRequest) => ScriptStep))[] = [];
  let fallback: (request: ChatRequest) => ScriptStep = quotingAnswer();
  const sockets = new Set<import('node:net').Socket>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not found"}}');
        return;
      }
      const request = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChatRequest;
      requests.push(request);
      const next = queue.shift() ?? fallback;
      const step = typeof next === 'function' ? next(request) : next;
      const send = () => {
        if ('drop' in step) {
          req.socket.destroy();
          return;
        }
        if ('status' in step) {
          res
            .writeHead(step.status, { 'content-type': 'application/json', ...step.headers })
            .end(step.body ?? JSON.stringify({ error: { message: `scripted ${step.status}` } }));
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            id: `chatcmpl-${requests.length}`,
            object: 'chat.completion',
            created: 0,
            model: request.model,
            choices: [{ index: 0, message: { role: 'assistant', content: step.content }, finish_reason: 'stop' }],
            usage: {
              prompt_tokens: step.promptTokens ?? 100,
              completion_tokens: step.completionTokens ?? 20,
              total_tokens: (step.promptTokens ?? 100) + (step.completionTokens ?? 20),
            },
          }),
        );
      };
      const delay = 'delayMs' in step ? step.delayMs : undefined;
      if (delay) setTimeout(send, delay);
      else send();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    script: (...steps) => queue.push(...steps),
    setDefault: (step) => {
      fallback = step;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
