import { describe, expect, it } from 'vitest';
import { NARROW, Timeline, WIDE, timeTicks, timelineGeometry } from './timeline.tsx';
import { stylesheet } from '../views/layout.tsx';
import { CHART_COLORS, Sparkline, balancePoints, balanceToY } from './sparkline.tsx';

const week = (n: number, agree: number, disagree: number, discuss: number, balance: number) => ({
  week: `2026-W${String(n).padStart(2, '0')}`,
  agree,
  disagree,
  discuss,
  balance,
  for: 0,
  against: 0,
});

describe('balance scale', () => {
  it('puts +1 at the top, −1 at the bottom and clamps beyond', () => {
    expect(balanceToY(1, 100, 0)).toBe(0);
    expect(balanceToY(-1, 100, 0)).toBe(100);
    expect(balanceToY(0, 100, 0)).toBe(50);
    expect(balanceToY(5, 100, 0)).toBe(0);
    expect(balancePoints([{ balance: 0 }, { balance: 1 }], 10, 10, 0)).toBe('0,5 10,0');
    expect(balancePoints([{ balance: 0.33 }, { balance: -0.5 }, { balance: 0 }], 100, 36)).toBe('2,13 50,26 98,18');
    expect(balancePoints([], 10, 10)).toBe('');
  });
});

describe('Sparkline', () => {
  it('draws the whole life of the forecast by default and says the change in words', () => {
    const series = Array.from({ length: 30 }, (_, i) => week(i + 1, 1, 0, 0, i / 30));
    const svg = Sparkline({ series, label: 'China <b>' })!.toString();
    expect(svg).toContain('role="img"');
    expect(svg).toContain('China &lt;b&gt;: record over 30 weeks since 2026-W01, from 0.00 to +0.97');
    expect(svg.match(/<polyline points="([^"]+)"/)![1]!.split(' ')).toHaveLength(30);
    expect(
      Sparkline({ series, weeks: 10, label: 'x' })!
        .toString()
        .match(/<polyline points="([^"]+)"/)![1]!
        .split(' '),
    ).toHaveLength(10);
    // Hundreds of weeks are thinned to one point per three pixels, keeping the first and the last.
    const long = Array.from({ length: 400 }, (_, i) => ({ ...week(1, 0, 0, 0, i === 399 ? 1 : 0), week: `w${i}` }));
    const points = Sparkline({ series: long, label: 'x' })!
      .toString()
      .match(/<polyline points="([^"]+)"/)![1]!
      .split(' ');
    expect(points).toHaveLength(46);
    expect(points.at(-1)).toBe('138,2');
    expect(svg.includes('record over 30 weeks')).toBe(true);
  });

  it('takes its colours from the stylesheet, green dot when holding and red when failing', () => {
    const up = Sparkline({ series: [week(1, 1, 0, 0, 0.5)], label: 'x' })!.toString();
    const down = Sparkline({ series: [week(1, 0, 1, 0, -0.5)], label: 'x' })!.toString();
    expect(up).toContain('<circle class="up"');
    expect(down).toContain('<circle class="down"');
    expect(stylesheet).toContain(`.sparkline .trend{stroke:${CHART_COLORS.balance}`);
    expect(stylesheet).toContain(`.sparkline .up{fill:${CHART_COLORS.agree}}`);
    expect(stylesheet).toContain(`.sparkline .down{fill:${CHART_COLORS.disagree}}`);
  });

  it('says so when there is no evidence', () => {
    const svg = Sparkline({ series: [], label: 'x' })!.toString();
    expect(svg).toContain('x: no evidence yet');
    expect(svg).not.toContain('<polyline');
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
