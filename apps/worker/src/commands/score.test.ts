import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCORER_ID } from '@signpost/scoring';
import { ScoreCommandError, scoreCommand } from './score.ts';
import { captureStream } from '../../test/test-streams.ts';

const collect = captureStream;

/**
 * Runs `score --input` over these lines (objects written as JSON) and returns its exit code and output rows,
 * parsed JSON that the tests read field by field.
 */
async function scoreRows(input: readonly (string | object)[]): Promise<{ code: number; rows: ReturnType<typeof JSON.parse>[] }> {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'score-')), 'in.jsonl');
  fs.writeFileSync(file, input.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n');
  const out = collect();
  const code = await scoreCommand({ input: file, out: out.stream });
  const rows = out
    .text()
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  return { code, rows };
}

const lines = [
  JSON.stringify({
    id: 'a',
    claim: 'China will not impose sanctions on Russia',
    title: 'China rejects sanctions on Russia',
    body: 'Beijing said on Tuesday it will not impose sanctions on Russia. China opposes unilateral sanctions, a spokesman said.',
  }),
  '{"id": "broken", "claim": ',
  JSON.stringify({
    id: 'b',
    claim: 'China will not impose sanctions on Russia',
    body: 'Heavy rain flooded Lisbon on Monday. The metro closed several stations.',
    published: '2024-03-01',
  }),
  '',
  JSON.stringify({ id: 'c', body: 'no claim here' }),
  JSON.stringify({ id: 'd', claim: 'x', body: 'y', published: 'yesterday' }),
];

describe('scoreCommand', () => {
  it('writes one JSON line per input line, in order, with errors for bad lines', async () => {
    const { code, rows } = await scoreRows(lines);
    expect(code).toBe(0);
    expect(rows.map((r) => r.id)).toEqual(['a', null, 'b', 'c', 'd']);
    expect(rows[0].scorer).toBe(SCORER_ID);
    expect(['agree', 'disagree', 'discuss']).toContain(rows[0].stance);
    expect(rows[0].relevance).toBeGreaterThan(0.5);
    expect(rows[0].evidence.length).toBeGreaterThan(0);
    expect(Object.keys(rows[0]).sort()).toEqual(['confidence', 'evidence', 'id', 'relevance', 'scorer', 'stance']);
    expect(rows[1].error).toMatch(/^score: line 2: invalid JSON/);
    expect(rows[2].stance).toBe('unrelated');
    expect(rows[2].evidence).toEqual([]);
    expect(rows[3].error).toBe('score: line 5: claim: expected a non-empty string');
    expect(rows[4].error).toMatch(/published: expected YYYY-MM-DD/);
  });

  it("reads a line's deadline against its article's date, and rejects one that is not a date", async () => {
    const talks = {
      claim: 'Gazprom and CNPC will sign a binding contract for gas deliveries through Power of Siberia 2.',
      title: 'Putin and Xi discuss Power of Siberia 2 as price talks drag on',
      // Long enough (40 tokens or more) to be judged by the forecast models, which read the time left; a
      // shorter text goes to the headline model.
      body:
        'Gazprom and CNPC are still negotiating the price and volumes, and the two companies have not yet signed a supply contract. ' +
        'Officials in Moscow said a deal could come next year, while Beijing is pressing for a price well below what Europe once paid.',
    };
    const { rows } = await scoreRows([
      { id: 'early', ...talks, published: '2022-09-15', deadline: '2025-12-31' },
      { id: 'late', ...talks, published: '2026-01-20', deadline: '2025-12-31' },
      { id: 'no-deadline-early', ...talks, published: '2022-09-15' },
      { id: 'no-deadline-late', ...talks, published: '2026-01-20' },
      { id: 'bad', ...talks, deadline: 'end of 2025' },
      { id: 'impossible', ...talks, deadline: '2025-02-30' },
    ]);
    // With the deadline the date matters; without it the claim names no time and the date changes nothing.
    expect([rows[0].stance, rows[0].confidence]).not.toEqual([rows[1].stance, rows[1].confidence]);
    expect([rows[2].stance, rows[2].confidence]).toEqual([rows[3].stance, rows[3].confidence]);
    expect(rows[4].error).toBe('score: line 5: deadline: expected YYYY-MM-DD');
    expect(rows[5].error).toBe('score: line 6: deadline: expected YYYY-MM-DD');
  });

  it("takes an article's date as YYYY-MM-DD or an ISO timestamp, and rejects an impossible one rather than drop it", async () => {
    const article = { claim: 'China will not impose sanctions on Russia', body: 'Beijing said it opposes unilateral sanctions.' };
    const dates = ['2024-03-01', '2024-03-01T10:00:00Z', '2024-02-30', '2024-13-01', '2024-03-01garbage', '2024-03-01Tnoon'];
    const { rows } = await scoreRows(dates.map((published, i) => ({ id: String(i), ...article, published })));
    expect(rows.map((r) => r.error === undefined)).toEqual([true, true, false, false, false, false]);
    for (const [i, row] of rows.slice(2).entries()) expect(row.error).toBe(`score: line ${i + 3}: published: expected YYYY-MM-DD`);
  });

  it('writes to --output when given and nothing to stdout', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'score-'));
    const input = path.join(dir, 'in.jsonl');
    const output = path.join(dir, 'out.jsonl');
    fs.writeFileSync(input, lines[0] + '\n' + lines[2]);
    const out = collect();
    await scoreCommand({ input, output, out: out.stream });
    expect(out.text()).toBe('');
    const rows = fs
      .readFileSync(output, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows.map((r) => r.id)).toEqual(['a', 'b']);
  });

  it('fails clearly when the input cannot be read', async () => {
    const out = collect();
    await expect(scoreCommand({ input: '/nonexistent/in.jsonl', out: out.stream })).rejects.toThrow(ScoreCommandError);
    await expect(scoreCommand({ input: '/nonexistent/in.jsonl', out: out.stream })).rejects.toThrow(
      /score: cannot read input \/nonexistent\/in.jsonl: ENOENT/,
    );
  });
});
