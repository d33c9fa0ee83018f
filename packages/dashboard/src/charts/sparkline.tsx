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
  return round(yOf(balance, height, pad));
}

/** balanceToY before rounding. */
function yOf(balance: number, height: number, pad: number): number {
  return pad + ((1 - Math.max(-1, Math.min(1, balance))) / 2) * (height - 2 * pad);
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}

/**
 * How far (in px) the drawn line may stray from a week's point. Half a pixel of simplification plus
 * the rounding to whole pixels: nothing a reader can see at the sparkline's size.
 */
export const SPARKLINE_TOLERANCE_PX = 0.5;

/**
 * The record's line as an SVG path: every week's point, evenly spaced over the width, then dropped
 * where the line through its neighbours passes within SPARKLINE_TOLERANCE_PX of it
 * (Ramer–Douglas–Peucker on the vertical distance), in whole pixels and relative commands (`h` for
 * a flat stretch, one `l` for several equal steps). The overview draws twenty of these over
 * forecasts' whole lives (up to hundreds of weeks): a point per week, or even per three pixels, was
 * a third of the page, and a record is mostly flat stretches and steps.
 */
export function sparklinePath(series: readonly Pick<WeekPoint, 'balance'>[], width: number, height: number, pad = 2): string {
  if (series.length === 0) return '';
  const n = series.length;
  const step = n === 1 ? 0 : (width - 2 * pad) / (n - 1);
  const xs = series.map((_, i) => (n === 1 ? width / 2 : pad + i * step));
  const ys = series.map((p) => yOf(p.balance, height, pad));
  const kept = simplify(xs, ys, SPARKLINE_TOLERANCE_PX);
  const points: [number, number][] = [];
  for (const i of kept) {
    const p: [number, number] = [Math.round(xs[i]!), Math.round(ys[i]!)];
    const prev = points.at(-1);
    if (!prev || prev[0] !== p[0] || prev[1] !== p[1]) points.push(p);
  }
  const [x0, y0] = points[0]!;
  // One flat segment for a lone point, so that the line still shows.
  if (points.length === 1) return `M${x0} ${y0}h0`;
  return `M${x0} ${y0}${relativeCommands(points)}`;
}

/** Indexes of the points to keep: the first, the last, and every one the line would otherwise miss by more than `tolerance`. */
function simplify(xs: readonly number[], ys: readonly number[], tolerance: number): number[] {
  const keep = new Array<boolean>(xs.length).fill(false);
  keep[0] = true;
  keep[xs.length - 1] = true;
  const stack: [number, number][] = [[0, xs.length - 1]];
  while (stack.length) {
    const [a, b] = stack.pop()!;
    let worst = -1;
    let worstDistance = tolerance;
    for (let i = a + 1; i < b; i++) {
      const t = (xs[i]! - xs[a]!) / (xs[b]! - xs[a]!);
      const distance = Math.abs(ys[i]! - (ys[a]! + t * (ys[b]! - ys[a]!)));
      if (distance > worstDistance) {
        worst = i;
        worstDistance = distance;
      }
    }
    if (worst < 0) continue;
    keep[worst] = true;
    stack.push([a, worst], [worst, b]);
  }
  return keep.flatMap((k, i) => (k ? [i] : []));
}

/** `h`, `v` and `l` commands from point to point, merging steps that go the same way. */
function relativeCommands(points: readonly [number, number][]): string {
  const steps: [number, number][] = [];
  for (let i = 1; i < points.length; i++) {
    const dx = points[i]![0] - points[i - 1]![0];
    const dy = points[i]![1] - points[i - 1]![1];
    const last = steps.at(-1);
    // Same direction (parallel, not opposite): one longer step.
    if (last && last[0] * dy === last[1] * dx && last[0] * dx + last[1] * dy > 0) {
      last[0] += dx;
      last[1] += dy;
    } else steps.push([dx, dy]);
  }
  let out = '';
  let command = '';
  for (const [dx, dy] of steps) {
    const [next, args] = dy === 0 ? ['h', [dx]] : dx === 0 ? ['v', [dy]] : ['l', [dx, dy]];
    // A repeated command needs no letter; a minus sign separates numbers as well as a space does.
    if (next !== command) out += next;
    else if (args[0]! >= 0) out += ' ';
    out += args.map((a, k) => (k > 0 && a >= 0 ? ` ${a}` : String(a))).join('');
    command = next;
  }
  return out;
}

/** The sparkline's size in px (the stylesheet gives it to every `svg.sparkline`). */
export const SPARKLINE_SIZE = { width: 140, height: 36 } as const;

/**
 * A small line of the forecast's record (−1 undermined … +1 supported) week by week over its whole
 * life, the same line as the forecast page's timeline. Pure SVG; its label says it in words.
 */
export function Sparkline(props: {
  series: readonly Pick<WeekPoint, 'week' | 'balance'>[];
  weeks?: number;
  /** What the line is of, at the start of its text alternative; on the overview, the card around it says so already. */
  label?: string;
}) {
  const { width, height } = SPARKLINE_SIZE;
  const recent = props.weeks ? props.series.slice(-props.weeks) : props.series;
  const last = recent[recent.length - 1];
  const first = recent[0];
  const words = last
    ? `${props.label ? `${props.label}: record` : 'Record'} over ${recent.length} week${recent.length === 1 ? '' : 's'} since ${first!.week}, from ${fmt(first!.balance)} to ${fmt(last.balance)}`
    : `${props.label ? `${props.label}: no` : 'No'} evidence yet`;
  // The size, colours, strokes and the dashed zero line (a background at mid-height) come from the
  // stylesheet's .sparkline rules: the overview draws twenty of these, and presentation attributes
  // repeated in each cost bytes on every page view. At its fixed size in CSS pixels the drawing
  // needs no viewBox (user units are pixels). The last week is a round dot (a zero-length stroke
  // with round caps).
  return (
    <svg class="sparkline" role="img" aria-label={words}>
      {last ? <path d={sparklinePath(recent, width, height)} /> : null}
      {last ? <path class={last.balance >= 0 ? 'up' : 'down'} d={`M${width - 2} ${Math.round(yOf(last.balance, height, 2))}h0`} /> : null}
    </svg>
  );
}

export function fmt(balance: number): string {
  return `${balance > 0 ? '+' : ''}${balance.toFixed(2)}`;
}
