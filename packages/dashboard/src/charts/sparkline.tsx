import type { WeekPoint } from '@signpost/ledger';

export const CHART_COLORS = {
  agree: '#1a7f37',
  disagree: '#cf222e',
  discuss: '#6e7781',
  balance: '#0b57d0',
  axis: '#8c959f',
} as const;

/** Maps a balance in −1..1 to a y coordinate in [pad, height − pad] (1 at the top). */
export function balanceToY(balance: number, height: number, pad = 2): number {
  const b = Math.max(-1, Math.min(1, balance));
  return round(pad + ((1 - b) / 2) * (height - 2 * pad));
}

/** SVG `points` of the balance line across the given weeks, evenly spaced over the width. */
export function balancePoints(series: readonly Pick<WeekPoint, 'balance'>[], width: number, height: number, pad = 2): string {
  if (series.length === 0) return '';
  const step = series.length === 1 ? 0 : (width - 2 * pad) / (series.length - 1);
  // Whole pixels: the overview draws one line per forecast, and decimals only add bytes.
  return series
    .map(
      (p, i) =>
        `${Math.round(pad + (series.length === 1 ? (width - 2 * pad) / 2 : i * step))},${Math.round(balanceToY(p.balance, height, pad))}`,
    )
    .join(' ');
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}

/**
 * A small line of the forecast's record (−1 undermined … +1 supported) week by week over its whole
 * life, the same line as the forecast page's timeline. Pure SVG; its label says it in words.
 */
export function Sparkline(props: {
  series: readonly Pick<WeekPoint, 'week' | 'balance'>[];
  weeks?: number;
  width?: number;
  height?: number;
  label: string;
}) {
  const width = props.width ?? 140;
  const height = props.height ?? 36;
  const recent = props.weeks ? props.series.slice(-props.weeks) : props.series;
  // A forecast's life runs to hundreds of weeks: more than one point per three pixels only adds bytes
  // to the overview (twenty lines on one page), so the line keeps every nth week and the last.
  const drawn = thin(recent, Math.max(2, Math.floor(width / 3)));
  const last = recent[recent.length - 1];
  const first = recent[0];
  const words = last
    ? `${props.label}: record over ${recent.length} week${recent.length === 1 ? '' : 's'} since ${first!.week}, from ${fmt(first!.balance)} to ${fmt(last.balance)}`
    : `${props.label}: no evidence yet`;
  return (
    // Colours and strokes come from the stylesheet (.sparkline rules): the overview draws twenty of
    // these, and repeating the presentation attributes in each was a tenth of the page.
    <svg class="sparkline" role="img" aria-label={words} width={width} height={height} viewBox={`0 0 ${width} ${height}`}>
      <line class="axis" x1="0" x2={width} y1={balanceToY(0, height)} y2={balanceToY(0, height)} />
      {drawn.length > 0 ? <polyline points={balancePoints(drawn, width, height)} class="trend" fill="none" /> : null}
      {last ? <circle class={last.balance >= 0 ? 'up' : 'down'} cx={width - 2} cy={balanceToY(last.balance, height)} r="2.5" /> : null}
    </svg>
  );
}

/** At most `max` points of a series, evenly spaced, always with the first and the last. */
export function thin<T>(series: readonly T[], max: number): T[] {
  if (series.length <= max) return [...series];
  const step = (series.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, i) => series[Math.round(i * step)]!);
}

export function fmt(balance: number): string {
  return `${balance > 0 ? '+' : ''}${balance.toFixed(2)}`;
}
