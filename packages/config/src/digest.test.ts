import { formatProblem } from '@signpost/predictions';
import { describe, expect, it } from 'vitest';
import { parseDigestFile } from './digest.ts';

const known = { ids: ['china-no-sanctions-on-russia', 'trade-200b'], tags: ['taiwan', 'energy'] };
const lines = (text: string) => parseDigestFile(text, 'digest.yaml', known).problems.map((p) => formatProblem(p));

describe('parseDigestFile', () => {
  it('defaults to Monday 08:00 UTC with both options on', () => {
    const { digest, problems } = parseDigestFile('subscribers:\n  - email: a@example.org\n', 'digest.yaml', known);
    expect(problems).toEqual([]);
    expect(digest).toEqual({
      subscribers: [{ email: 'a@example.org' }],
      schedule: { day: 'monday', hour: 8, timezone: 'UTC' },
      options: { skipWhenUnchanged: true, includeFeedHealth: true },
    });
  });

  it('reads a schedule (weekday in any case), options and follow lists', () => {
    const { digest, problems } = parseDigestFile(
      'subscribers:\n  - { email: a@example.org, name: A, follow: [taiwan, trade-200b] }\nschedule: { day: Friday, hour: 17, timezone: Asia/Shanghai }\noptions: { skipWhenUnchanged: false }\n',
      'digest.yaml',
      known,
    );
    expect(problems).toEqual([]);
    expect(digest.schedule).toEqual({ day: 'friday', hour: 17, timezone: 'Asia/Shanghai' });
    expect(digest.options).toEqual({ skipWhenUnchanged: false, includeFeedHealth: true });
    expect(digest.subscribers[0]!.follow).toEqual(['taiwan', 'trade-200b']);
  });

  it('reports bad schedules, e-mails, follow entries and duplicates', () => {
    const text = [
      'subscribers:',
      '  - email: not-an-email',
      '  - email: b@example.org',
      '    follow:',
      '      - taiwn',
      '      - trade-200b',
      '      - weather',
      '  - email: B@example.org',
      'schedule:',
      '  day: funday',
      '  hour: 24',
      '  timezone: Mars/Olympus',
      'options:',
      '  skipWhenUnchanged: sometimes',
    ].join('\n');
    expect(lines(text)).toEqual([
      'digest.yaml:2: entry not-an-email: email: expected an e-mail address',
      'digest.yaml:5: entry b@example.org: follow[0]: "taiwn" matches no forecast id or tag (did you mean "taiwan"?)',
      'digest.yaml:7: entry b@example.org: follow[2]: "weather" matches no forecast id or tag',
      'digest.yaml:8: entry B@example.org: email: duplicate subscriber (first listed at digest.yaml:3)',
      'digest.yaml:10: schedule.day: "funday" is not one of: monday, tuesday, wednesday, thursday, friday, saturday, sunday (did you mean "sunday"?)',
      'digest.yaml:11: schedule.hour: expected an hour from 0 to 23',
      'digest.yaml:12: schedule.timezone: unknown time zone "Mars/Olympus" (expected an IANA name such as Europe/Berlin or UTC)',
      'digest.yaml:14: options.skipWhenUnchanged: expected true or false',
    ]);
  });

  it('does not check follow entries when the forecasts are unknown', () => {
    expect(parseDigestFile('subscribers:\n  - { email: a@example.org, follow: [anything] }\n', 'digest.yaml').problems).toEqual([]);
  });
});
