/**
 * The model's structured answer: the JSON schema sent with the request (response_format
 * json_schema, which Ollama, llama.cpp's server, vLLM and OpenAI all accept), the zod schema that
 * checks what comes back (servers that ignore the schema exist), and the quote check: every
 * evidence sentence must occur in the article.
 */
import { STANCES, type Stance } from '@signpost/vocabulary';
import { z } from 'zod';

/** Sent as response_format.json_schema.schema (strict: every property required, nothing else). */
export const ANSWER_JSON_SCHEMA = {
  type: 'object',
  properties: {
    stance: { type: 'string', enum: [...STANCES] },
    confidence: { type: 'number' },
    evidence: { type: 'array', items: { type: 'string' } },
    reason: { type: 'string' },
  },
  required: ['stance', 'confidence', 'evidence', 'reason'],
  additionalProperties: false,
} as const;

const answerSchema = z.object({
  stance: z.enum(STANCES),
  confidence: z.number().min(0).max(1),
  evidence: z.array(z.string()).max(5),
  reason: z.string().max(1000),
});

export interface LlmAnswer {
  stance: Stance;
  confidence: number;
  /** Sentences quoted from the article (checked to occur in it). */
  evidence: string[];
  /** One line: why. */
  reason: string;
}

/** Why an answer cannot be used; the message is shown to the model when it is asked again. */
export class AnswerError extends Error {
  override name = 'AnswerError';
}

/**
 * Parses and checks one answer: JSON, the schema, and the quotes against the article text.
 * Tolerates a fenced ```json block (small local models add one despite the schema).
 */
export function parseAnswer(content: string | null | undefined, articleText: string): LlmAnswer {
  if (!content?.trim()) throw new AnswerError('the answer was empty');
  const raw = content
    .trim()
    .replace(/^```(?:json)?\s*/i, '')
    .replace(/\s*```$/, '');
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (e) {
    throw new AnswerError(`the answer is not JSON (${(e as Error).message.slice(0, 120)})`);
  }
  const parsed = answerSchema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new AnswerError(
      `the answer does not match the schema (${first ? `${first.path.join('.') || 'answer'}: ${first.message}` : 'invalid'})`,
    );
  }
  const answer = parsed.data;
  const evidence = answer.evidence
    .map((q) => q.trim())
    .filter(Boolean)
    .slice(0, 3);
  if (answer.stance !== 'unrelated' && evidence.length === 0)
    throw new AnswerError(`a "${answer.stance}" answer needs at least one evidence sentence from the article`);
  const haystack = normaliseQuoteText(articleText);
  for (const quote of evidence) {
    if (!haystack.includes(normaliseQuoteText(quote)))
      throw new AnswerError(`the evidence sentence "${quote.slice(0, 80)}" does not occur in the article`);
  }
  return { stance: answer.stance, confidence: answer.confidence, evidence, reason: answer.reason.trim().split('\n')[0]!.slice(0, 300) };
}

/**
 * Text as the quote check compares it: Unicode-normalised, case-folded, curly quotes and dashes made
 * plain, ellipses and the trailing stop dropped, and every run of whitespace one space. A model that
 * copies a sentence faithfully but retypes its quote marks, or drops its full stop, still passes; one
 * that paraphrases does not.
 */
export function normaliseQuoteText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2018\u2019\u201a\u201b\u2032`´]/g, "'")
    .replace(/[\u201c\u201d\u201e\u201f\u2033«»]/g, '"')
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/\u2026|\.\.\./g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^["']+|[.!?;:,"'\s]+$/g, '');
}
