import { describe, expect, it } from 'vitest';
import { EvidenceChart, layoutBars } from './evidence-chart.tsx';
import { stylesheet } from '../views/layout.tsx';
import { CHART_COLORS, Sparkline, balancePoints, balanceToY } from './sparkline.tsx';

const week = (n: number, agree: number, disagree: number, discuss: number, balance: number) => ({ week: `2026-W${String(n).padStart(2, '0')}`, agree, disagree, discuss, balance });

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
  it('draws the recent weeks and says the change in words', () => {
    const series = Array.from({ length: 30 }, (_, i) => week(i + 1, 1, 0, 0, i / 30));
    const svg = Sparkline({ series, weeks: 10, label: 'China <b>' })!.toString();
    expect(svg).toContain('role="img"');
    expect(svg).toContain('China &lt;b&gt;: weekly evidence balance over 10 weeks, from +0.67 to +0.97');
    expect(svg.match(/<polyline points="([^"]+)"/)![1]!.split(' ')).toHaveLength(10);
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

describe('EvidenceChart', () => {
  it('scales bars to the busiest week, agree up and disagree down', () => {
    const layout = { width: 140, height: 120, left: 10, right: 10, top: 10, bottom: 10 };
    const { bars, maxCount, mid } = layoutBars([week(1, 2, 0, 2, 0.5), week(2, 0, 4, 0, -0.3)], layout);
    expect(maxCount).toBe(4);
    expect(mid).toBe(60);
    expect(bars[0]!.agree).toEqual({ y: 35, height: 25 });
    expect(bars[0]!.discuss).toEqual({ y: 10, height: 25 });
    expect(bars[1]!.disagree).toEqual({ y: 60, height: 50 });
    expect(bars[1]!.x).toBeGreaterThan(bars[0]!.x);
  });

  it('renders bars, the balance line, escaped linked markers and a text summary', () => {
    const series = [week(1, 2, 0, 1, 0.4), week(2, 0, 1, 0, 0.1), week(3, 3, 0, 0, 0.6)];
    const html = EvidenceChart({
      series,
      title: 'Evidence',
      markers: [{ week: '2026-W03', stance: 'agree', label: '<script>alert(1)</script>', href: '#evidence-7' }, { week: '1999-W01', stance: 'agree', label: 'off chart', href: '#x' }],
    }).toString();
    expect(html.match(/class="bar-agree"/g)).toHaveLength(2);
    expect(html.match(/class="bar-disagree"/g)).toHaveLength(1);
    expect(html.match(/class="bar-discuss"/g)).toHaveLength(1);
    expect(html).toContain('<polyline class="balance"');
    expect(html).toContain('href="#evidence-7"');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
    expect(html).not.toContain('off chart');
    expect(html).toContain('5 agreeing, 1 disagreeing and 1 discussing articles; balance now +0.60');
  });

  it('renders an empty chart without failing', () => {
    expect(EvidenceChart({ series: [], title: 'Evidence' }).toString()).toContain('Evidence: no evidence yet');
  });
});
