import { isoWeekStart, type WeekPoint } from '@signpost/ledger';
import type { RelatedStance } from '@signpost/vocabulary';
import { CHART_COLORS, fmt } from './sparkline.tsx';

/** A notable article, drawn on its week and linked to its place in the evidence list. */
export interface ChartMarker {
  week: string;
  stance: RelatedStance;
  label: string;
  href: string;
}

/** A dated event of the forecast's life drawn as a vertical line (publication, deadline, resolution). */
export interface TimelineEvent {
  kind: 'published' | 'deadline' | 'resolved';
  date: Date;
  label: string;
}

export interface TimelineLayout {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
  /** Font size of the labels, in viewBox units (the SVG is drawn at its viewBox width). */
  font: number;
  /** Most axis labels to print. */
  ticks: number;
}

/** A wide layout for desktops and a narrow one drawn for phones (CSS shows one of the two). */
export const WIDE: TimelineLayout = { width: 760, height: 280, left: 40, right: 44, top: 30, bottom: 26, font: 12, ticks: 8 };
export const NARROW: TimelineLayout = { width: 360, height: 260, left: 30, right: 34, top: 30, bottom: 24, font: 12, ticks: 4 };

const DAY = 86_400_000;
const WEEK = 7 * DAY;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function r(x: number): number {
  return Math.round(x * 10) / 10;
}

/**
 * Axis labels at calendar boundaries (years, quarters or months, whichever gives at most
 * `max` labels), as plain dates a reader knows: "2025", "Apr 2025". ISO week names are not.
 */
export function timeTicks(start: Date, end: Date, max: number): { at: Date; label: string }[] {
  const steps = [1, 3, 6, 12, 24, 60];
  const months = (end.getUTCFullYear() - start.getUTCFullYear()) * 12 + end.getUTCMonth() - start.getUTCMonth();
  const step = steps.find((s) => months / s <= max) ?? 120;
  const ticks: { at: Date; label: string }[] = [];
  let y = start.getUTCFullYear();
  let m = start.getUTCMonth();
  // First boundary after the start that is a multiple of the step (in months since year 0).
  let index = y * 12 + m + 1;
  while (index % step !== 0) index++;
  for (; ; index += step) {
    y = Math.floor(index / 12);
    m = index % 12;
    const at = new Date(Date.UTC(y, m, 1));
    if (at.getTime() > end.getTime()) break;
    ticks.push({ at, label: step >= 12 || m === 0 ? String(y) : `${MONTHS[m]} ${y}` });
  }
  return ticks;
}

export interface TimelineGeometry {
  x: (t: Date) => number;
  yBalance: (b: number) => number;
  mid: number;
  unit: number;
  barWidth: number;
  maxCount: number;
  start: Date;
  end: Date;
}

/** The time and value scales of a timeline: time from the first week's start to `end`, bars around the middle. */
export function timelineGeometry(series: readonly WeekPoint[], end: Date, layout: TimelineLayout): TimelineGeometry {
  const start = series[0] ? isoWeekStart(series[0].week) : new Date(end.getTime() - WEEK);
  const span = Math.max(WEEK, end.getTime() - start.getTime());
  const plotW = layout.width - layout.left - layout.right;
  const plotH = layout.height - layout.top - layout.bottom;
  const mid = layout.top + plotH / 2;
  const maxCount = Math.max(1, ...series.map((p) => Math.max(p.agree + p.discuss, p.disagree)));
  const x = (t: Date) => r(layout.left + (Math.min(Math.max(t.getTime() - start.getTime(), 0), span) / span) * plotW);
  const yBalance = (b: number) => r(layout.top + ((1 - Math.max(-1, Math.min(1, b))) / 2) * plotH);
  return {
    x,
    yBalance,
    mid: r(mid),
    unit: plotH / 2 / maxCount,
    barWidth: Math.max(1, Math.min(18, (plotW * WEEK) / span - 1)),
    maxCount,
    start,
    end: new Date(start.getTime() + span),
  };
}

const EVENT_COLOURS: Record<TimelineEvent['kind'], string> = { published: '#57606a', deadline: '#8250df', resolved: '#0b57d0' };

function TimelineSvg(props: {
  series: readonly WeekPoint[];
  markers: readonly ChartMarker[];
  events: readonly TimelineEvent[];
  asOf: Date;
  title: string;
  summary: string;
  layout: TimelineLayout;
  idPrefix: string;
}) {
  const { series, layout } = props;
  const g = timelineGeometry(series, props.asOf, layout);
  const weekCentre = (week: string) => g.x(new Date(isoWeekStart(week).getTime() + WEEK / 2));
  const line = series.map((p) => `${weekCentre(p.week)},${g.yBalance(p.balance)}`).join(' ');
  const ticks = timeTicks(g.start, g.end, layout.ticks);
  const f = layout.font;
  const bottom = layout.height - layout.bottom;
  // Event labels take turns in two rows above the plot so that close dates do not overprint.
  const events = [...props.events].sort((a, b) => a.date.getTime() - b.date.getTime());
  return (
    <svg
      class={`timeline timeline-${layout === NARROW ? 'narrow' : 'wide'}`}
      role="img"
      aria-labelledby={`${props.idPrefix}-title ${props.idPrefix}-desc`}
      viewBox={`0 0 ${layout.width} ${layout.height}`}
      width="100%"
      xmlns="http://www.w3.org/2000/svg"
    >
      <title id={`${props.idPrefix}-title`}>{props.title}</title>
      <desc id={`${props.idPrefix}-desc`}>{props.summary}</desc>
      <rect
        x={layout.left}
        y={layout.top}
        width={layout.width - layout.left - layout.right}
        height={bottom - layout.top}
        fill="#ffffff"
        stroke="#d0d7de"
      />
      <line x1={layout.left} x2={layout.width - layout.right} y1={g.mid} y2={g.mid} stroke={CHART_COLORS.axis} stroke-width="1" />
      <text x={layout.left - 4} y={layout.top + f} text-anchor="end" font-size={f} fill="#57606a">
        {g.maxCount}
      </text>
      <text x={layout.left - 4} y={bottom} text-anchor="end" font-size={f} fill="#57606a">
        {g.maxCount}
      </text>
      <text x={layout.width - layout.right + 4} y={layout.top + f} font-size={f} fill={CHART_COLORS.balance}>
        +1
      </text>
      <text x={layout.width - layout.right + 4} y={g.mid + f / 3} font-size={f} fill={CHART_COLORS.balance}>
        0
      </text>
      <text x={layout.width - layout.right + 4} y={bottom} font-size={f} fill={CHART_COLORS.balance}>
        −1
      </text>
      <g class="bars">
        {series.map((p) => {
          const x = r(weekCentre(p.week) - g.barWidth / 2);
          const agreeH = r(p.agree * g.unit);
          const discussH = r(p.discuss * g.unit);
          const disagreeH = r(p.disagree * g.unit);
          if (agreeH + discussH + disagreeH === 0) return null;
          return (
            <g>
              <title>{`Week of ${isoWeekStart(p.week).toISOString().slice(0, 10)}: ${p.agree} supporting, ${p.disagree} undermining, ${p.discuss} discussing; record ${fmt(p.balance)}`}</title>
              {agreeH > 0 ? (
                <rect class="bar-agree" x={x} y={r(g.mid - agreeH)} width={r(g.barWidth)} height={agreeH} fill={CHART_COLORS.agree} />
              ) : null}
              {discussH > 0 ? (
                <rect
                  class="bar-discuss"
                  x={x}
                  y={r(g.mid - agreeH - discussH)}
                  width={r(g.barWidth)}
                  height={discussH}
                  fill={CHART_COLORS.discuss}
                />
              ) : null}
              {disagreeH > 0 ? (
                <rect class="bar-disagree" x={x} y={g.mid} width={r(g.barWidth)} height={disagreeH} fill={CHART_COLORS.disagree} />
              ) : null}
            </g>
          );
        })}
      </g>
      {series.length > 1 ? (
        <polyline class="record" points={line} fill="none" stroke={CHART_COLORS.balance} stroke-width="2.5" stroke-linejoin="round" />
      ) : null}
      {series.length === 1 ? (
        <circle class="record" cx={weekCentre(series[0]!.week)} cy={g.yBalance(series[0]!.balance)} r="3" fill={CHART_COLORS.balance} />
      ) : null}
      {events.map((e, i) => {
        const inside = e.date.getTime() >= g.start.getTime() && e.date.getTime() <= g.end.getTime();
        const x = inside ? g.x(e.date) : layout.width - layout.right;
        const labelY = layout.top - 6 - (i % 2) * (f + 2);
        const anchor = x > layout.width - layout.right - 60 ? 'end' : x < layout.left + 60 ? 'start' : 'middle';
        return (
          <g class={`event event-${e.kind}`} data-date={e.date.toISOString().slice(0, 10)}>
            <title>{e.label}</title>
            {inside ? (
              <line x1={x} x2={x} y1={layout.top} y2={bottom} stroke={EVENT_COLOURS[e.kind]} stroke-width="1.5" stroke-dasharray="4 3" />
            ) : null}
            <text x={x} y={labelY} text-anchor={anchor} font-size={f} fill={EVENT_COLOURS[e.kind]}>
              {inside ? e.label : `${e.label} →`}
            </text>
          </g>
        );
      })}
      {props.markers.map((m) => {
        const p = series.find((s) => s.week === m.week);
        if (!p) return null;
        return (
          <a href={m.href} class="marker">
            <title>{m.label}</title>
            <circle
              cx={weekCentre(m.week)}
              cy={g.yBalance(p.balance)}
              r="6"
              fill="#ffffff"
              stroke={CHART_COLORS[m.stance]}
              stroke-width="3"
            />
          </a>
        );
      })}
      {ticks.map((t) => (
        <g class="tick">
          <line x1={g.x(t.at)} x2={g.x(t.at)} y1={bottom} y2={bottom + 4} stroke={CHART_COLORS.axis} />
          <text x={g.x(t.at)} y={layout.height - 6} text-anchor="middle" font-size={f} fill="#57606a">
            {t.label}
          </text>
        </g>
      ))}
    </svg>
  );
}

/**
 * The forecast's timeline over its whole life: weekly bars of supporting / discussing /
 * undermining articles, the cumulative record (right axis, −1..+1), dashed lines at publication,
 * deadline and resolution, circles on notable articles, and the "as of" of the last cycle.
 * Server-side SVG, drawn twice (wide and narrow) so that its labels stay readable on a phone;
 * the stylesheet shows the one that fits. A data table with the same numbers follows it.
 */
export function Timeline(props: {
  series: readonly WeekPoint[];
  markers?: readonly ChartMarker[];
  events?: readonly TimelineEvent[];
  asOf: Date;
  title: string;
}) {
  const { series } = props;
  const last = series[series.length - 1];
  const sum = (k: RelatedStance) => series.reduce((t, p) => t + p[k], 0);
  const asOf = props.asOf.toISOString().slice(0, 16).replace('T', ' ');
  const summary = last
    ? `${props.title}: from ${isoWeekStart(series[0]!.week).toISOString().slice(0, 10)} to ${asOf} UTC; ${sum('agree')} supporting, ${sum('disagree')} undermining and ${sum('discuss')} discussing articles; record now ${fmt(last.balance)}. ${(props.events ?? []).map((e) => e.label).join('; ')}`
    : `${props.title}: no evidence yet`;
  const common = { series, markers: props.markers ?? [], events: props.events ?? [], asOf: props.asOf, title: props.title, summary };
  return (
    <figure class="chart">
      <TimelineSvg {...common} layout={WIDE} idPrefix="timeline-wide" />
      <TimelineSvg {...common} layout={NARROW} idPrefix="timeline-narrow" />
      <figcaption>
        <span class="key key-agree">supporting</span> <span class="key key-discuss">discussing</span>{' '}
        <span class="key key-disagree">undermining</span> articles per week (bars); the <span class="key key-balance">record</span>, all
        evidence since publication, −1 undermined to +1 supported (line); circles mark notable articles. As of {asOf} UTC (the last cycle).
      </figcaption>
    </figure>
  );
}
