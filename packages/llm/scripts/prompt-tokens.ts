/**
 * What a pair costs: the prompt's tokens (o200k_base, the tokenizer of OpenAI's current models; other
 * models' tokenizers differ by some tens of percent) for the built-in scorer's candidate pairs of a
 * forecast-stance corpus split, as `eval corpus --scorer llm` and a cycle would send them, and the
 * price per 1,000 pairs asked at the prices given.
 *
 *   pnpm --filter @signpost/llm prompt-tokens [--split dev] [--min-relevance 0.03] [--price-in 0.15] [--price-out 0.60]
 *
 * The answer's tokens are estimated from a typical answer: the built-in scorer's evidence sentences
 * (one to three, as the prompt asks) as the quotes and a reason of about fifteen words.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { encode } from 'gpt-tokenizer';
import { createScorer, parseCorpus, type PreparedArticle } from '@signpost/scoring';
import { ANSWER_JSON_SCHEMA } from '../src/answer.ts';
import { buildMessages, type LlmClaim } from '../src/prompt.ts';

const { values } = parseArgs({
  options: {
    split: { type: 'string', default: 'dev' },
    'min-relevance': { type: 'string', default: '0.03' },
    'price-in': { type: 'string', default: '0.15' },
    'price-out': { type: 'string', default: '0.60' },
    data: { type: 'string' },
  },
});
const dir = values.data ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../datasets/forecast-stance');
const read = (name: string) => fs.readFileSync(path.join(dir, name), 'utf8');
const corpus = parseCorpus({ forecasts: read('forecasts.jsonl'), articles: read('articles.jsonl'), pairs: read('pairs.jsonl') });
const pairs = corpus.pairs.filter((p) => p.split === values.split);
const minRelevance = Number(values['min-relevance']);
const scorer = createScorer();
const prepared = new Map<string, PreparedArticle>();
/** Chat formatting adds a few tokens per message (role, separators) and per reply. */
const PER_MESSAGE = 4;
const schemaTokens = encode(JSON.stringify(ANSWER_JSON_SCHEMA)).length;
const prompt: number[] = [];
const answer: number[] = [];
let related = 0;
let relatedKept = 0;
for (const p of pairs) {
  const f = corpus.forecasts.get(p.forecast)!;
  const a = corpus.articles.get(p.article)!;
  let article = prepared.get(a.id);
  if (!article) prepared.set(a.id, (article = scorer.prepareArticle({ title: a.title, body: a.body, published: a.published })));
  const j = scorer.score({ statement: f.statement, signposts: f.signposts, keywords: f.keywords }, article, { claimKind: 'forecast' });
  if (p.stance !== 'unrelated') related++;
  if (j.relevance < minRelevance) continue;
  if (p.stance !== 'unrelated') relatedKept++;
  const claim: LlmClaim = { statement: f.statement, kind: 'forecast', signposts: f.signposts, deadline: f.deadline };
  const messages = buildMessages(claim, { title: a.title, body: a.body, published: a.published });
  prompt.push(messages.reduce((n, m) => n + encode(m.content).length + PER_MESSAGE, 3) + schemaTokens);
  const quotes = j.evidence.slice(0, 3).map((e) => e.text);
  const typical = {
    stance: j.stance === 'unrelated' ? 'discuss' : j.stance,
    confidence: 0.72,
    evidence: quotes.length ? quotes : [a.body.split(/(?<=[.!?])\s/)[0] ?? ''],
    reason: 'The article reports talks continuing without a deal, which leaves the forecast open.',
  };
  answer.push(encode(JSON.stringify(typical)).length);
}
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);
const pct = (xs: number[], q: number) => [...xs].sort((x, y) => x - y)[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? 0;
const priceIn = Number(values['price-in']);
const priceOut = Number(values['price-out']);
const per1000 = (mean(prompt) * priceIn + mean(answer) * priceOut) / 1000;
console.log(
  `forecast-stance ${values.split}: ${pairs.length} pairs; ${prompt.length} candidates at built-in relevance >= ${minRelevance} (${((prompt.length / pairs.length) * 100).toFixed(1)} %), keeping ${relatedKept} of ${related} related pairs (recall ${(relatedKept / Math.max(1, related)).toFixed(4)})`,
);
console.log(
  `prompt tokens a pair (o200k_base, schema included): mean ${mean(prompt).toFixed(0)}, median ${pct(prompt, 0.5)}, p90 ${pct(prompt, 0.9)}, max ${pct(prompt, 1)}`,
);
console.log(`answer tokens a pair (typical answer): mean ${mean(answer).toFixed(0)}, p90 ${pct(answer, 0.9)}`);
console.log(
  `per 1,000 pairs asked: ${(mean(prompt) + mean(answer)).toFixed(0)}k tokens; at $${priceIn}/M in and $${priceOut}/M out: $${per1000.toFixed(3)}`,
);
