/**
 * `signpost score --input F.jsonl [--output F.jsonl]`: batch scoring per docs/contracts.md.
 * Streams the input line by line and writes one output line per input line, in order; a line
 * that cannot be read or scored becomes `{"id", "error"}` and the run goes on.
 */
import fs from 'node:fs';
import readline from 'node:readline';
import { once } from 'node:events';
import { isoDateSchema } from '@signpost/predictions';
import { createScorer, forecastRecord, type ClaimKind, type Scorer } from '@signpost/scoring';

export class ScoreCommandError extends Error {
  override name = 'ScoreCommandError';
}

interface InputRecord {
  id: string;
  claim: string;
  title?: string;
  body: string;
  published?: string;
  /** `forecast` (default) or `report` (a headline stating an event, as in FNC-1). */
  kind?: ClaimKind;
  signposts?: { text: string; direction: 'holds' | 'fails' }[];
  keywords?: string[];
  /** When the forecast falls due (YYYY-MM-DD); without it the scorer reads a deadline from the claim's words. */
  deadline?: string;
}

/**
 * An article's date: YYYY-MM-DD, a real day (checked as a forecast's deadline is), or an ISO timestamp that
 * starts with one. Anything else would leave the article silently undated.
 */
function isArticleDate(value: unknown): boolean {
  if (typeof value !== 'string' || !isoDateSchema.safeParse(value.slice(0, 10)).success) return false;
  return value.length === 10 || (value[10] === 'T' && !Number.isNaN(Date.parse(value)));
}

function parseRecord(line: string): { id: string | null; record?: InputRecord; error?: string } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (e) {
    return { id: null, error: `invalid JSON: ${(e as Error).message}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { id: null, error: 'expected a JSON object' };
  const v = value as Record<string, unknown>;
  const id = typeof v.id === 'string' ? v.id : typeof v.id === 'number' ? String(v.id) : null;
  const problems: string[] = [];
  if (id === null) problems.push('id: expected a string');
  if (typeof v.claim !== 'string' || v.claim.trim() === '') problems.push('claim: expected a non-empty string');
  if (typeof v.body !== 'string') problems.push('body: expected a string');
  if (v.title !== undefined && v.title !== null && typeof v.title !== 'string') problems.push('title: expected a string');
  if (v.published !== undefined && v.published !== null && !isArticleDate(v.published)) problems.push('published: expected YYYY-MM-DD');
  // A forecast's deadline is checked as a config entry's is (an impossible date is no deadline either).
  if (v.deadline !== undefined && v.deadline !== null && !isoDateSchema.safeParse(v.deadline).success) {
    problems.push('deadline: expected YYYY-MM-DD');
  }
  if (v.kind !== undefined && v.kind !== 'forecast' && v.kind !== 'report') problems.push('kind: expected "forecast" or "report"');
  const signposts = v.signposts;
  if (
    signposts !== undefined &&
    (!Array.isArray(signposts) ||
      !signposts.every((sp) => typeof sp?.text === 'string' && (sp.direction === 'holds' || sp.direction === 'fails')))
  ) {
    problems.push('signposts: expected [{text, direction: "holds" | "fails"}]');
  }
  if (v.keywords !== undefined && (!Array.isArray(v.keywords) || !v.keywords.every((k) => typeof k === 'string')))
    problems.push('keywords: expected an array of strings');
  if (problems.length > 0) return { id, error: problems.join('; ') };
  const record: InputRecord = { id: id as string, claim: v.claim as string, body: v.body as string };
  if (typeof v.title === 'string') record.title = v.title;
  if (typeof v.published === 'string') record.published = v.published;
  if (v.kind === 'forecast' || v.kind === 'report') record.kind = v.kind;
  if (Array.isArray(signposts)) record.signposts = signposts as InputRecord['signposts'];
  if (Array.isArray(v.keywords)) record.keywords = v.keywords as string[];
  if (typeof v.deadline === 'string') record.deadline = v.deadline;
  return { id, record };
}

function scoreLine(scorer: Scorer, line: string, lineNo: number): string {
  const parsed = parseRecord(line);
  if (!parsed.record) return JSON.stringify({ id: parsed.id, error: `score: line ${lineNo}: ${parsed.error}` });
  const r = parsed.record;
  try {
    const article = {
      body: r.body,
      ...(r.title !== undefined ? { title: r.title } : {}),
      ...(r.published !== undefined ? { published: r.published } : {}),
    };
    const claim = forecastRecord({ statement: r.claim, signposts: r.signposts, keywords: r.keywords, deadline: r.deadline });
    const j = scorer.score(claim, article, { claimKind: r.kind ?? 'forecast' });
    return JSON.stringify({
      id: r.id,
      stance: j.stance,
      relevance: j.relevance,
      confidence: j.confidence,
      evidence: j.evidence,
      scorer: j.scorer,
    });
  } catch (e) {
    return JSON.stringify({ id: r.id, error: `score: line ${lineNo}: ${(e as Error).message}` });
  }
}

/** Scores every line of `input`; writes to `output` (a file) or to `out`. Resolves to the exit code. */
export async function scoreCommand(opts: { input: string; output?: string; out: NodeJS.WritableStream }): Promise<number> {
  let input: fs.ReadStream;
  try {
    await fs.promises.access(opts.input, fs.constants.R_OK);
    input = fs.createReadStream(opts.input, { encoding: 'utf8' });
  } catch (e) {
    throw new ScoreCommandError(`score: cannot read input ${opts.input}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const sink: NodeJS.WritableStream = opts.output ? fs.createWriteStream(opts.output, { encoding: 'utf8' }) : opts.out;
  const scorer = createScorer();
  const lines = readline.createInterface({ input, crlfDelay: Infinity });
  let lineNo = 0;
  try {
    for await (const raw of lines) {
      lineNo++;
      const line = raw.replace(/^\uFEFF/, '');
      if (line.trim() === '') continue;
      if (!sink.write(scoreLine(scorer, line, lineNo) + '\n')) await once(sink, 'drain');
    }
  } finally {
    lines.close();
    input.destroy();
    if (opts.output) {
      const file = sink as fs.WriteStream;
      await new Promise<void>((resolve, reject) => file.end((err?: Error | null) => (err ? reject(err) : resolve())));
    }
  }
  return 0;
}
