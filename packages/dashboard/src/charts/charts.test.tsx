import { describe, expect, it } from 'vitest';
import { NARROW, Timeline, WIDE, timeTicks, timelineGeometry } from './timeline.tsx';
import { stylesheet } from '../views/layout.tsx';
import { CHART_COLORS, SPARKLINE_SIZE, Sparkline, balanceToY, sparklinePath } from './sparkline.tsx';

const week = (n: number, agree: number, disagree: number, discuss: number, balance: number) => ({
  week: `2026-W${String(n).padStart(2, '0')}`,
  agree,
  disagree,
  discuss,
  balance,
  for: 0,
  against: 0,
});

/** The absolute vertices of a path made of M, h, v and l commands (relative, as sparklinePath writes them). */
function vertices(d: string): [number, number][] {
  const tokens = d.match(/[MhvlHVL]|-?\d+(?:\.\d+)?/g)!;
  const out: [number, number][] = [];
  let command = '';
  let x = 0;
  let y = 0;
  for (let i = 0; i < tokens.length;) {
    if (/[A-Za-z]/.test(tokens[i]!)) command = tokens[i++]!;
    const n = () => Number(tokens[i++]);
    if (command === 'M') [x, y] = [n(), n()];
    else if (command === 'h') x += n();
    else if (command === 'v') y += n();
    else if (command === 'l') [x, y] = [x + n(), y + n()];
    else throw new Error(`unexpected command ${command} in ${d}`);
    out.push([x, y]);
  }
  return out;
}

/** How far the point is from the polyline through the vertices, in px. */
function distanceToLine(p: [number, number], line: [number, number][]): number {
  let best = Infinity;
  for (let i = 0; i < line.length; i++) {
    const a = line[i]!;
    const b = line[i + 1] ?? a;
    const [dx, dy] = [b[0] - a[0], b[1] - a[1]];
    const t = dx || dy ? Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy))) : 0;
    best = Math.min(best, Math.hypot(p[0] - (a[0] + t * dx), p[1] - (a[1] + t * dy)));
  }
  return best;
}

/** A record-like walk: long flat stretches, steps, and a few weeks of noise (deterministic). */
function walk(weeks: number, seed: number): { week: string; balance: number }[] {
  let b = 0;
  let r = seed;
  return Array.from({ length: weeks }, (_, i) => {
    r = (r * 1103515245 + 12345) % 2147483648;
    if (r % 7 === 0) b = Math.max(-1, Math.min(1, b + ((r % 41) - 20) / 40));
    return { week: `w${i}`, balance: b };
  });
}

describe('balance scale', () => {
  it('puts +1 at the top, −1 at the bottom and clamps beyond', () => {
    expect(balanceToY(1, 100, 0)).toBe(0);
    expect(balanceToY(-1, 100, 0)).toBe(100);
    expect(balanceToY(0, 100, 0)).toBe(50);
    expect(balanceToY(5, 100, 0)).toBe(0);
  });
});

describe('sparklinePath', () => {
  it('writes whole pixels in relative commands, one per change of direction', () => {
    expect(sparklinePath([{ balance: 0 }, { balance: 1 }], 10, 10, 0)).toBe('M0 5l10-5');
    expect(sparklinePath([{ balance: 0.33 }, { balance: -0.5 }, { balance: 0 }], 100, 36)).toBe('M2 13l48 13 48-8');
    // Flat weeks are one `h`, equal steps one `l`, a jump within a pixel's width a `v`.
    expect(
      sparklinePath(
        [0, 0, 0, 0, 0.5, 1, 1].map((balance) => ({ balance })),
        64,
        36,
      ),
    ).toBe('M2 18h30l20-16h10');
    expect(sparklinePath([{ balance: -1 }], 140, 36)).toBe('M70 34h0');
    expect(sparklinePath([], 10, 10)).toBe('');
  });

  it('passes within a pixel of every week over hundreds of weeks, with far fewer points', () => {
    for (const seed of [1, 7, 42, 1234]) {
      for (const weeks of [2, 30, 250, 520]) {
        const series = walk(weeks, seed);
        const d = sparklinePath(series, 140, 36);
        const line = vertices(d);
        const step = (140 - 4) / (weeks - 1);
        for (const [i, p] of series.entries()) {
          const y = 2 + ((1 - p.balance) / 2) * 32;
          expect(distanceToLine([2 + i * step, y], line), `week ${i} of ${weeks} (seed ${seed}): ${d}`).toBeLessThanOrEqual(1.2);
        }
        expect(line[0]).toEqual([2, Math.round(2 + ((1 - series[0]!.balance) / 2) * 32)]);
        expect(line.at(-1)).toEqual([138, Math.round(2 + ((1 - series.at(-1)!.balance) / 2) * 32)]);
        expect(line.length).toBeLessThanOrEqual(Math.min(weeks, 140));
      }
    }
    // A record that does not move is one flat stroke, however long the forecast's life.
    expect(
      sparklinePath(
        walk(400, 3).map((p) => ({ ...p, balance: 0.25 })),
        140,
        36,
      ),
    ).toBe('M2 14h136');
  });
});

describe('Sparkline', () => {
  it('draws the whole life of the forecast by default and says the change in words', () => {
    const series = Array.from({ length: 30 }, (_, i) => week(i + 1, 1, 0, 0, i / 30));
    const svg = Sparkline({ series, label: 'China <b>' })!.toString();
    expect(svg).toContain('role="img"');
    expect(svg).toContain('China &lt;b&gt;: record over 30 weeks since 2026-W01, from 0.00 to +0.97');
    expect(Sparkline({ series })!.toString()).toContain('aria-label="Record over 30 weeks since 2026-W01, from 0.00 to +0.97"');
    // A steady climb is one straight stroke from the first week to the last.
    expect(svg.match(/<path d="([^"]+)"/)![1]).toBe(sparklinePath(series, 140, 36));
    expect(vertices(sparklinePath(series, 140, 36))).toEqual([
      [2, 18],
      [138, 3],
    ]);
    const lastTen = Sparkline({ series, weeks: 10, label: 'x' })!.toString();
    expect(lastTen).toContain('record over 10 weeks since 2026-W21');
    expect(lastTen.match(/<path d="([^"]+)"/)![1]).toBe(sparklinePath(series.slice(-10), 140, 36));
  });

  it('takes its size, colours and zero line from the stylesheet, green dot when holding and red when failing', () => {
    const up = Sparkline({ series: [week(1, 1, 0, 0, 0.5)], label: 'x' })!.toString();
    const down = Sparkline({ series: [week(1, 0, 1, 0, -0.5)], label: 'x' })!.toString();
    expect(up).toContain('<path class="up" d="M138 10h0">');
    expect(down).toContain('<path class="down" d="M138 26h0">');
    expect(up).not.toMatch(/width=|height=|stroke|fill/);
    expect(stylesheet).toContain(`svg.sparkline{width:${SPARKLINE_SIZE.width}px;height:${SPARKLINE_SIZE.height}px;`);
    expect(stylesheet).toContain(`.sparkline path{fill:none;stroke:${CHART_COLORS.balance}`);
    expect(stylesheet).toContain(`.sparkline .up{stroke:${CHART_COLORS.agree}}`);
    expect(stylesheet).toContain(`.sparkline .down{stroke:${CHART_COLORS.disagree}}`);
  });

  it('says so when there is no evidence', () => {
    const svg = Sparkline({ series: [], label: 'x' })!.toString();
    expect(svg).toContain('x: no evidence yet');
    expect(svg).not.toContain('<path');
  });
});

describe('Timeline', () => {
  const asOf = new Date('2026-01-28T12:00:00Z'); // Wednesday of 2026-W05

  it('labels the axis with calendar dates a reader knows, never more than asked', () => {
    expect(timeTicks(new Date('2022-03-01T00:00:00Z'), new Date('2026-11-01T00:00:00Z'), 8).map((t) => t.label)).toEqual([
      '2023',
      '2024',
      '2025',
      '2026',
    ]);
    expect(timeTicks(new Date('2025-01-10T00:00:00Z'), new Date('2025-12-01T00:00:00Z'), 4).map((t) => t.label)).toEqual([
      'Apr 2025',
      'Jul 2025',
      'Oct 2025',
    ]);
    expect(timeTicks(new Date('2025-01-10T00:00:00Z'), new Date('2025-04-20T00:00:00Z'), 8).map((t) => t.label)).toEqual([
      'Feb 2025',
      'Mar 2025',
      'Apr 2025',
    ]);
  });

  it('scales bars to the busiest week and places time from the first week to the as-of date', () => {
    const g = timelineGeometry([week(1, 2, 0, 2, 0.5), week(2, 0, 4, 0, -0.3)], asOf, WIDE);
    expect(g.maxCount).toBe(4);
    expect(g.x(g.start)).toBe(WIDE.left);
    expect(g.x(asOf)).toBe(WIDE.width - WIDE.right);
    expect(g.yBalance(1)).toBe(WIDE.top);
    expect(g.yBalance(-1)).toBe(WIDE.height - WIDE.bottom);
  });

  it('renders bars, the record line, life events, escaped linked markers, the as-of and a text summary, wide and narrow', () => {
    const series = [week(1, 2, 0, 1, 0.4), week(2, 0, 1, 0, 0.1), week(3, 3, 0, 0, 0.6), week(4, 0, 0, 0, 0.6), week(5, 0, 0, 0, 0.6)];
    const html = Timeline({
      series,
      title: 'Record',
      asOf,
      events: [
        { kind: 'published', date: new Date('2025-12-29T00:00:00Z'), label: 'published 2025-12-29' },
        { kind: 'deadline', date: new Date('2027-01-01T00:00:00Z'), label: 'deadline 2027-01-01' },
      ],
      markers: [
        { week: '2026-W03', stance: 'agree', label: '<script>alert(1)</script>', href: '#evidence-7' },
        { week: '1999-W01', stance: 'agree', label: 'off chart', href: '#x' },
      ],
    }).toString();
    expect(html.match(/class="bar-agree"/g)).toHaveLength(4); // two weeks, in each of the two drawings
    expect(html.match(/class="bar-disagree"/g)).toHaveLength(2);
    expect(html).toContain('class="timeline timeline-wide"');
    expect(html).toContain('class="timeline timeline-narrow"');
    expect(html).toContain('<polyline class="record"');
    expect(html).toContain('class="event event-published"');
    // A deadline after the as-of date is named at the right edge with an arrow, not drawn as a line.
    expect(html).toContain('deadline 2027-01-01 →');
    expect(html).toContain('href="#evidence-7"');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
    expect(html).not.toContain('off chart');
    expect(html).toContain('5 supporting, 1 undermining and 1 discussing articles; record now +0.60');
    expect(html).toContain('As of 2026-01-28 12:00 UTC');
    expect(NARROW.width).toBeLessThan(400);
  });

  it('renders an empty timeline without failing', () => {
    expect(Timeline({ series: [], title: 'Record', asOf }).toString()).toContain('Record: no evidence yet');
  });
});
