import type { WeekPoint } from '@signpost/ledger';
import { CHART_COLORS, balanceToY, fmt } from './sparkline.tsx';

/** A notable article, drawn as a marker on its week and linked to its place in the evidence list. */
export interface ChartMarker {
  week: string;
  stance: 'agree' | 'disagree' | 'discuss';
  label: string;
  href: string;
}

export interface ChartLayout {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

const DEFAULT_LAYOUT: ChartLayout = { width: 720, height: 260, left: 34, right: 40, top: 12, bottom: 28 };

export interface Bar {
  week: string;
  x: number;
  width: number;
  agree: { y: number; height: number };
  discuss: { y: number; height: number };
  disagree: { y: number; height: number };
}

/**
 * Geometry of the weekly bars: agree rises from the middle line, discuss is stacked on top of it
 * in grey, disagree hangs below. One count scale for both halves, so bars compare across weeks.
 */
export function layoutBars(series: readonly WeekPoint[], layout: ChartLayout = DEFAULT_LAYOUT): { bars: Bar[]; maxCount: number; mid: number } {
  const plotW = layout.width - layout.left - layout.right;
  const plotH = layout.height - layout.top - layout.bottom;
  const mid = layout.top + plotH / 2;
  const maxCount = Math.max(1, ...series.map((p) => Math.max(p.agree + p.discuss, p.disagree)));
  const slot = series.length ? plotW / series.length : plotW;
  const barW = Math.max(1, Math.min(24, slot * 0.75));
  const unit = plotH / 2 / maxCount;
  const bars = series.map((p, i) => {
    const x = r(layout.left + i * slot + (slot - barW) / 2);
    const agreeH = r(p.agree * unit);
    const discussH = r(p.discuss * unit);
    return {
      week: p.week,
      x,
      width: r(barW),
      agree: { y: r(mid - agreeH), height: agreeH },
      discuss: { y: r(mid - agreeH - discussH), height: discussH },
      disagree: { y: r(mid), height: r(p.disagree * unit) },
    };
  });
  return { bars, maxCount, mid: r(mid) };
}

function r(x: number): number {
  return Math.round(x * 10) / 10;
}

/**
 * The forecast page's chart: weekly bars of agree / discuss / disagree articles, the balance line
 * (right axis, −1..+1) and markers for notable articles. Server-side SVG that reads with JavaScript
 * off; a data table with the same numbers follows it for screen readers and keyboard users.
 */
export function EvidenceChart(props: { series: readonly WeekPoint[]; markers?: readonly ChartMarker[]; title: string; layout?: ChartLayout }) {
  const layout = props.layout ?? DEFAULT_LAYOUT;
  const { series } = props;
  const { bars, maxCount, mid } = layoutBars(series, layout);
  const plotH = layout.height - layout.top - layout.bottom;
  const plotW = layout.width - layout.left - layout.right;
  const yBalance = (b: number) => r(layout.top + balanceToY(b, plotH, 0));
  const centre = new Map(bars.map((b) => [b.week, r(b.x + b.width / 2)]));
  const line = series.map((p) => `${centre.get(p.week)},${yBalance(p.balance)}`).join(' ');
  const last = series[series.length - 1];
  const summary = last
    ? `${props.title}: ${series.length} weeks from ${series[0]!.week} to ${last.week}; ${sum(series, 'agree')} agreeing, ${sum(series, 'disagree')} disagreeing and ${sum(series, 'discuss')} discussing articles; balance now ${fmt(last.balance)}`
    : `${props.title}: no evidence yet`;
  const labelEvery = Math.max(1, Math.ceil(series.length / 8));
  return (
    <figure class="chart">
      <svg role="img" aria-labelledby="chart-title chart-desc" viewBox={`0 0 ${layout.width} ${layout.height}`} width="100%" preserveAspectRatio="xMidYMid meet" xmlns="http://www.w3.org/2000/svg">
        <title id="chart-title">{props.title}</title>
        <desc id="chart-desc">{summary}</desc>
        <rect x={layout.left} y={layout.top} width={plotW} height={plotH} fill="#ffffff" stroke="#d0d7de" />
        <line x1={layout.left} x2={layout.width - layout.right} y1={mid} y2={mid} stroke={CHART_COLORS.axis} stroke-width="1" />
        <text x={layout.left - 4} y={layout.top + 10} text-anchor="end" font-size="11" fill="#57606a">{maxCount}</text>
        <text x={layout.left - 4} y={mid + 4} text-anchor="end" font-size="11" fill="#57606a">0</text>
        <text x={layout.left - 4} y={layout.height - layout.bottom} text-anchor="end" font-size="11" fill="#57606a">{maxCount}</text>
        <text x={layout.width - layout.right + 4} y={layout.top + 10} font-size="11" fill={CHART_COLORS.balance}>+1</text>
        <text x={layout.width - layout.right + 4} y={layout.height - layout.bottom} font-size="11" fill={CHART_COLORS.balance}>−1</text>
        <g class="bars">
          {bars.map((b, i) => (
            <g>
              <title>{`${b.week}: ${series[i]!.agree} agree, ${series[i]!.discuss} discuss, ${series[i]!.disagree} disagree; balance ${fmt(series[i]!.balance)}`}</title>
              {b.agree.height > 0 ? <rect class="bar-agree" x={b.x} y={b.agree.y} width={b.width} height={b.agree.height} fill={CHART_COLORS.agree} /> : null}
              {b.discuss.height > 0 ? <rect class="bar-discuss" x={b.x} y={b.discuss.y} width={b.width} height={b.discuss.height} fill={CHART_COLORS.discuss} /> : null}
              {b.disagree.height > 0 ? <rect class="bar-disagree" x={b.x} y={b.disagree.y} width={b.width} height={b.disagree.height} fill={CHART_COLORS.disagree} /> : null}
            </g>
          ))}
        </g>
        {series.length > 1 ? <polyline class="balance" points={line} fill="none" stroke={CHART_COLORS.balance} stroke-width="2.5" stroke-linejoin="round" /> : null}
        {series.length === 1 ? <circle class="balance" cx={centre.get(series[0]!.week)} cy={yBalance(series[0]!.balance)} r="3" fill={CHART_COLORS.balance} /> : null}
        {(props.markers ?? []).map((m) => {
          const x = centre.get(m.week);
          const p = series.find((s) => s.week === m.week);
          if (x === undefined || !p) return null;
          return (
            <a href={m.href} class="marker">
              <title>{m.label}</title>
              <circle cx={x} cy={yBalance(p.balance)} r="6" fill="#ffffff" stroke={CHART_COLORS[m.stance]} stroke-width="3" />
            </a>
          );
        })}
        {bars.map((b, i) =>
          i % labelEvery === 0 ? (
            <text x={r(b.x + b.width / 2)} y={layout.height - 8} text-anchor="middle" font-size="11" fill="#57606a">{b.week}</text>
          ) : null,
        )}
      </svg>
      <figcaption>
        <span class="key key-agree">agree</span> <span class="key key-discuss">discuss</span> <span class="key key-disagree">disagree</span> articles per week (bars);{' '}
        <span class="key key-balance">balance</span> of the evidence, −1 failing to +1 holding (line); circles mark notable articles.
      </figcaption>
    </figure>
  );
}

function sum(series: readonly WeekPoint[], k: 'agree' | 'disagree' | 'discuss'): number {
  return series.reduce((t, p) => t + p[k], 0);
}
