import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkPredictionSet, parsePredictionsFile } from './load.ts';
import { formatProblem } from './problem.ts';

const fixture = path.resolve(import.meta.dirname, '../testdata/valid.yaml');
let valid = '';
beforeAll(async () => {
  valid = await readFile(fixture, 'utf8');
});

/** Checks one file's text and returns its problems as formatted lines. */
function check(text: string, file = 'predictions.yaml', now = new Date('2026-01-01')): string[] {
  return checkPredictionSet([parsePredictionsFile(text, file)], { now }).problems.map((p) => formatProblem(p));
}

/** Replaces exactly one occurrence, so a fixture edit that misses fails loudly. */
function edit(text: string, from: string, to: string): string {
  expect(text.split(from)).toHaveLength(2);
  return text.replace(from, to);
}

describe('parsePredictionsFile: the valid fixture', () => {
  it('has no problems and resolves probabilities and links', () => {
    const set = checkPredictionSet([parsePredictionsFile(valid, 'predictions.yaml')], { now: new Date('2026-01-01') });
    expect(set.problems).toEqual([]);
    const [trade, alliance] = set.predictions;
    expect(trade).toMatchObject({
      id: 'trade-200b',
      probability: 0.5,
      likelihood: 'roughly even chance',
      probabilitySource: 'likelihood',
      authors: ['Jane Doe'],
    });
    expect(alliance).toMatchObject({
      authors: ['A One', 'B Two'],
      probability: 0.97,
      probabilitySource: 'hedge',
      publishedEstimated: true,
      resolution: { status: 'open' },
    });
    // related is made symmetric
    expect(alliance!.related).toEqual(['trade-200b']);
    expect(set.origins.get('no-alliance')).toEqual({ file: 'predictions.yaml', line: 21 });
  });

  it('accepts resolution status true/false written bare or quoted', () => {
    const text = edit(valid, 'status: "true"', 'status: true');
    const set = checkPredictionSet([parsePredictionsFile(text, 'p.yaml')], { now: new Date('2026-01-01') });
    expect(set.problems).toEqual([]);
    expect(set.predictions[0]!.resolution.status).toBe('true');
  });

  it('accepts a stated probability, also as a percentage', () => {
    const text = edit(valid, '    hedge: almost certain\n', '    hedge: we think\n    probability: "85%"\n');
    const set = checkPredictionSet([parsePredictionsFile(text, 'p.yaml')]);
    expect(set.problems).toEqual([]);
    expect(set.predictions[1]).toMatchObject({ probability: 0.85, probabilitySource: 'stated' });
    expect(set.predictions[1]!.likelihood).toBeUndefined();
  });
});

describe('config errors, one class at a time, with the exact message', () => {
  it('YAML syntax errors carry their line', () => {
    const text = edit(valid, '    kind: binary\n', '    kind: [binary\n');
    expect(check(text)).toEqual([
      'predictions.yaml:30: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ]);
  });

  it('duplicate keys are syntax errors', () => {
    const text = edit(valid, '    kind: binary\n', '    kind: binary\n    kind: trend\n');
    expect(check(text)).toEqual(['predictions.yaml:30: YAML syntax error: Map keys must be unique']);
  });

  it('unknown fields, with a did-you-mean', () => {
    const text = edit(valid, '    deadline: 2023-12-31\n', '    dedline: 2023-12-31\n    horizon: soon\n    colour: red\n');
    expect(check(text)).toEqual([
      'predictions.yaml:30: entry no-alliance: dedline: unknown field (did you mean "deadline"?)',
      'predictions.yaml:32: entry no-alliance: colour: unknown field (known fields: id, statement, quote, author, outlet, published, publishedEstimated, source, url, kind, threshold, deadline, horizon, hedge, likelihood, probability, signposts, keywords, entities, resolution, related, contradicts, tags, notes)',
    ]);
  });

  it('unknown fields in nested maps and at the top level', () => {
    let text = edit(valid, 'direction: holds }', 'direction: holds, txt: y }');
    text = `version: 2\n${text}`;
    expect(check(text)).toEqual([
      'predictions.yaml:1: version: unknown field (known fields: predictions)',
      'predictions.yaml:16: entry trade-200b: signposts[0].txt: unknown field (did you mean "text"?)',
    ]);
  });

  it('a misspelt field is reported once, not also as missing', () => {
    const text = edit(valid, '    outlet: Other Outlet\n', '    outlt: Other Outlet\n');
    expect(check(text)).toEqual(['predictions.yaml:25: entry no-alliance: outlt: unknown field (did you mean "outlet"?)']);
  });

  it('missing fields', () => {
    const text = edit(valid, '    outlet: Other Outlet\n', '');
    expect(check(text)).toEqual(['predictions.yaml:21: entry no-alliance: outlet: required field is missing']);
  });

  it('a deadline or a horizon is required', () => {
    const text = edit(valid, '    deadline: 2023-12-31\n', '');
    expect(check(text)).toEqual([
      'predictions.yaml:21: entry no-alliance: deadline: required field is missing (give a deadline, a horizon, or both)',
    ]);
  });

  it('duplicate ids across files', () => {
    const other = 'predictions:\n' + valid.slice(valid.indexOf('  - id: no-alliance'));
    const set = checkPredictionSet([
      parsePredictionsFile(valid, 'data/predictions.yaml'),
      parsePredictionsFile(other, 'data/predictions.d/more.yaml'),
    ]);
    expect(set.problems.map((p) => formatProblem(p))).toEqual([
      'data/predictions.d/more.yaml:2: entry no-alliance: id: duplicate id (first defined at data/predictions.yaml:21)',
    ]);
    expect(set.predictions.map((p) => p.id)).toEqual(['trade-200b', 'no-alliance']);
  });

  it('links to unknown ids', () => {
    const text = edit(valid, '    tags: [military]\n', '    tags: [military]\n    contradicts: [trade-200b, no-such-forecast]\n');
    expect(check(text)).toEqual(['predictions.yaml:36: entry no-alliance: contradicts[1]: links to unknown forecast "no-such-forecast"']);
  });

  it('links to itself', () => {
    const text = edit(valid, '    tags: [military]\n', '    tags: [military]\n    related: [no-alliance]\n');
    expect(check(text)).toEqual(['predictions.yaml:36: entry no-alliance: related[0]: a forecast cannot link to itself']);
  });

  it('impossible and malformed dates', () => {
    let text = edit(valid, 'published: 2022-02-10', 'published: 2022-02-30');
    text = edit(text, 'deadline: 2024-12-31', 'deadline: 31/12/2024');
    expect(check(text)).toEqual([
      'predictions.yaml:11: entry trade-200b: deadline: "31/12/2024" is not a date (expected YYYY-MM-DD)',
      'predictions.yaml:26: entry no-alliance: published: impossible date "2022-02-30"',
    ]);
  });

  it('dates out of order, and resolutions in the future', () => {
    let text = edit(valid, 'deadline: 2023-12-31', 'deadline: 2021-12-31');
    text = edit(text, 'date: 2024-01-12', 'date: 2027-01-12');
    expect(check(text)).toEqual([
      'predictions.yaml:2: entry trade-200b: resolution.date: resolution date 2027-01-12 is in the future',
      'predictions.yaml:30: entry no-alliance: deadline: deadline 2021-12-31 is before the publication date 2022-02-10',
    ]);
  });

  it('probabilities outside 0..1', () => {
    let text = edit(valid, '    likelihood: roughly even chance\n', '    probability: 1.3\n');
    text = edit(text, '    hedge: almost certain\n', '    hedge: almost certain\n    probability: 70\n');
    expect(check(text)).toEqual([
      'predictions.yaml:13: entry trade-200b: probability: 1.3 is outside 0..1',
      'predictions.yaml:32: entry no-alliance: probability: 70 is outside 0..1 (write 0.7 or "70%")',
    ]);
  });

  it('a probability that contradicts its likelihood term', () => {
    const text = edit(valid, '    likelihood: roughly even chance\n', '    likelihood: roughly even chance\n    probability: 0.9\n');
    expect(check(text)).toEqual([
      'predictions.yaml:14: entry trade-200b: probability: probability 0.9 is outside the band of "roughly even chance" (0.45..0.55)',
    ]);
  });

  it('hedge words off the scale need a likelihood or probability; typos get a suggestion', () => {
    let text = edit(valid, '    likelihood: roughly even chance\n', '');
    text = edit(text, '    hedge: almost certain\n', '    hedge: will not\n    likelihood: almost certian\n');
    const [first, second] = check(text);
    expect(first).toBe(
      'predictions.yaml:2: entry trade-200b: likelihood: required: the hedge "plan to" is not an ICD 203 term, so give likelihood (one of: almost no chance, remote, very unlikely, highly improbable, unlikely, improbable, improbably, roughly even chance, roughly even odds, likely, probable, probably, very likely, highly probable, almost certain, almost certainly, nearly certain) or probability',
    );
    expect(second).toMatch(
      /^predictions\.yaml:31: entry no-alliance: likelihood: "almost certian" is not on the ICD 203 scale \(did you mean "almost certain"\?\); use one of: almost no chance, /,
    );
  });

  it('wrong types and enum values', () => {
    let text = edit(valid, 'keywords: [China, Russia, alliance]', 'keywords: China');
    text = edit(
      text,
      'direction: fails }\n    keywords: [China, Russia, trade]',
      'direction: fail }\n    keywords: [China, Russia, trade]',
    );
    text = edit(text, '    kind: binary\n', '    kind: binery\n');
    expect(check(text)).toEqual([
      'predictions.yaml:16: entry trade-200b: signposts[1].direction: "fail" is not one of: holds, fails (did you mean "fails"?)',
      'predictions.yaml:29: entry no-alliance: kind: "binery" is not one of: binary, threshold, trend (did you mean "binary"?)',
      'predictions.yaml:34: entry no-alliance: keywords: expected a list, got "China"',
    ]);
  });

  it('says plainly that a missing kind is missing, and which kinds there are', () => {
    const text = edit(valid, '    kind: binary\n', '');
    const problems = check(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^predictions\.yaml:\d+: entry no-alliance: kind: required field is missing \(one of: binary, threshold, trend\)$/,
    );
    expect(problems[0]).not.toContain('undefined');
  });

  it('refuses a publication date in the future', () => {
    const text = edit(
      edit(valid, 'published: 2022-02-10', 'published: 2026-02-10'),
      '    deadline: 2023-12-31\n    hedge: almost certain',
      '    deadline: 2027-12-31\n    hedge: almost certain',
    );
    expect(check(text, 'predictions.yaml', new Date('2026-01-01'))).toEqual([
      'predictions.yaml:21: entry no-alliance: published: publication date 2026-02-10 is in the future',
    ]);
    expect(check(text, 'predictions.yaml', new Date('2026-02-10'))).toEqual([]);
  });

  it('reports an over-indented line at that line, in plain words', () => {
    const lines = valid.split('\n');
    const at = lines.findIndex((l) => l === '    kind: binary');
    const text = edit(valid, '    kind: binary\n', '      kind: binary\n');
    expect(check(text)).toEqual([
      `predictions.yaml:${at + 1}: "kind:" is indented 6 spaces, more than "${/^\s*(?:-\s+)?([^:]+):/.exec(lines[at - 1]!)![1]}:" on the line above (4), so YAML reads it as part of that value; indent it by 4 spaces like the fields around it`,
    ]);
  });

  it('resolved forecasts need a date and a note; ids must be slugs', () => {
    let text = edit(
      valid,
      '    resolution: { status: "true", date: 2024-01-12, note: "2023 trade $240.1B (Chinese customs)" }\n',
      '    resolution: { status: "false" }\n',
    );
    text = edit(text, 'id: no-alliance', 'id: No Alliance');
    text = edit(text, 'related: [no-alliance]', 'related: []');
    expect(check(text)).toEqual([
      'predictions.yaml:18: entry trade-200b: resolution.date: required when status is false',
      'predictions.yaml:18: entry trade-200b: resolution.note: required when status is false (say what settled it)',
      'predictions.yaml:21: entry No Alliance: id: must be a kebab-case slug such as "china-no-sanctions-on-russia"',
    ]);
  });

  it('entries that are not maps, and files that are not maps', () => {
    expect(check('predictions:\n  - just text\n')).toEqual([
      'predictions.yaml:2: entry #1: expected a map of fields (id, statement, quote, ...)',
    ]);
    expect(check('- a\n- b\n')).toEqual(['predictions.yaml:1: expected a map with a "predictions" list']);
    expect(check('predictions: nope\n')).toEqual(['predictions.yaml:1: predictions: expected a list, got "nope"']);
  });

  it('an empty file is valid and defines nothing', () => {
    expect(check('')).toEqual([]);
    expect(check('# nothing yet\npredictions: []\n')).toEqual([]);
  });
});

describe('formatProblem', () => {
  it('shortens the file and places named in the message relative to the current directory', () => {
    const problem = {
      file: '/srv/app/data/predictions.d/b.yaml',
      line: 3,
      entry: 'x',
      field: 'id',
      message: 'duplicate id (first defined at /srv/app/data/predictions.yaml:2)',
    };
    expect(formatProblem(problem, { cwd: '/srv/app' })).toBe(
      'data/predictions.d/b.yaml:3: entry x: id: duplicate id (first defined at data/predictions.yaml:2)',
    );
    expect(formatProblem(problem, { cwd: '/elsewhere' })).toBe(
      '/srv/app/data/predictions.d/b.yaml:3: entry x: id: duplicate id (first defined at /srv/app/data/predictions.yaml:2)',
    );
  });
});
