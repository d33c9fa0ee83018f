export {
  PROMPT_VERSION,
  MAX_ARTICLE_CHARS,
  buildMessages,
  formatClaim,
  formatArticle,
  pairKeys,
  llmScorerId,
  sha256,
  type LlmClaim,
  type LlmArticle,
  type ChatMessage,
} from './prompt.ts';
export { ANSWER_JSON_SCHEMA, AnswerError, normaliseQuoteText, parseAnswer, type LlmAnswer } from './answer.ts';
export {
  createLlmJudge,
  estimatePairTokens,
  estimateTokens,
  LlmError,
  type LlmJudge,
  type LlmJudgeOptions,
  type LlmOutcome,
  type LlmUsage,
} from './judge.ts';
