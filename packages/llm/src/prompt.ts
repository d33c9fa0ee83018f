/**
 * The prompt the model judges with, and what it is told about the forecast. One versioned file:
 * PROMPT_VERSION is part of the scorer id (`llm:<model>@<PROMPT_VERSION>`), so changing a word of
 * the instructions below, or of how the forecast and article are laid out, calls for a new version
 * (the old judgments stay, recorded under the old id, and cached answers are not reused).
 */
import { createHash } from 'node:crypto';

export const PROMPT_VERSION = 'p1';

/** What the prompt says about the claim. Deadline and signposts come from the forecast record. */
export interface LlmClaim {
  statement: string;
  /** `forecast` (about the future; the default) or `report` (a headline stating an event). */
  kind?: 'forecast' | 'report';
  /** The forecast's shape: binary, threshold or trend (predictions.yaml `kind`). */
  forecastKind?: string;
  /** For a threshold forecast: what is measured and the bar it must pass. */
  threshold?: { metric: string; operator: string; value: number; unit: string };
  signposts?: { text: string; direction: 'holds' | 'fails' }[];
  /** YYYY-MM-DD, when the forecast says by when. */
  deadline?: string | null;
  /** The horizon in words, when there is no date or to explain it. */
  horizon?: string | null;
}

export interface LlmArticle {
  title?: string;
  body: string;
  /** YYYY-MM-DD */
  published?: string;
}

/**
 * Longest article text sent (characters). Most of a news story's bearing on a forecast is in its
 * first screens; the cap bounds the tokens a pair costs (about a quarter of this many).
 */
export const MAX_ARTICLE_CHARS = 6000;

const SYSTEM = `You judge whether a news article bears on a claim, and which way.
Answer with JSON only, matching the schema you are given:
- "stance": one of
  "agree": the article reports facts that make the claim more likely to be (or to have come) true;
  "disagree": the article reports facts that make the claim less likely, or show it failed;
  "discuss": the article is about the claim's subject but takes no side (background, opinions both ways, plans not yet acted on);
  "unrelated": the article is not about the claim's subject.
- "confidence": your probability (0 to 1) that the stance is right.
- "evidence": one to three sentences copied word for word from the article that show the stance (empty only when unrelated). Copy them exactly; do not paraphrase, shorten or join sentences.
- "reason": one short line saying why.
A signpost is an observable event named by the forecast: if the article shows a signpost marked "holds" happening, that supports the claim; one marked "fails" happening undermines it.
Judge the article as of its date; the claim's deadline tells you whether it can still come true.`;

/** The claim as the prompt lays it out (also what the cache's claim key hashes). */
export function formatClaim(claim: LlmClaim): string {
  const lines = [`Claim (${claim.kind ?? 'forecast'}${claim.forecastKind ? `, ${claim.forecastKind}` : ''}): ${claim.statement.trim()}`];
  if (claim.threshold)
    lines.push(
      `Threshold: ${claim.threshold.metric} ${claim.threshold.operator} ${claim.threshold.value} ${claim.threshold.unit}`.trimEnd(),
    );
  if (claim.deadline) lines.push(`Deadline: ${claim.deadline}`);
  if (claim.horizon) lines.push(`Horizon: ${claim.horizon.trim()}`);
  if (claim.signposts?.length) {
    lines.push('Signposts:');
    for (const s of claim.signposts)
      lines.push(`- [${s.direction === 'holds' ? 'holds: supports the claim' : 'fails: undermines the claim'}] ${s.text.trim()}`);
  }
  return lines.join('\n');
}

/** The article as the prompt lays it out (title, date, body cut at MAX_ARTICLE_CHARS). */
export function formatArticle(article: LlmArticle): string {
  const body = article.body.length > MAX_ARTICLE_CHARS ? `${article.body.slice(0, MAX_ARTICLE_CHARS)} [...]` : article.body;
  return [`Article date: ${article.published ?? 'unknown'}`, `Title: ${article.title?.trim() || '(none)'}`, '', body.trim()].join('\n');
}

export type ChatMessage = { role: 'system' | 'user' | 'assistant'; content: string };

/** The chat messages for one (claim, article) pair. */
export function buildMessages(claim: LlmClaim, article: LlmArticle): ChatMessage[] {
  return [
    { role: 'system', content: SYSTEM },
    { role: 'user', content: `${formatClaim(claim)}\n\n---\n${formatArticle(article)}` },
  ];
}

/** The follow-up that asks once more after an answer failed the schema or the quote check. */
export function buildRetryMessage(problem: string): ChatMessage {
  return {
    role: 'user',
    content: `Your answer could not be used: ${problem}. Answer again with JSON only, copying evidence sentences exactly as they appear in the article.`,
  };
}

/** sha256 (hex) of text: the cache keys (claim and article as the prompt shows them). */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Cache keys for a pair: equal keys mean an identical prompt, hence a reusable answer. */
export function pairKeys(claim: LlmClaim, article: LlmArticle): { claimKey: string; articleKey: string } {
  return { claimKey: sha256(formatClaim(claim)), articleKey: sha256(formatArticle(article)) };
}

/** The scorer id recorded with the model's judgments. */
export function llmScorerId(model: string): string {
  return `llm:${model}@${PROMPT_VERSION}`;
}
