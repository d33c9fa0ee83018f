import { STATUSES, STATUS_MEANINGS, momentumLabel, stanceLabel, statusLabel, type Momentum, type Status } from '@signpost/vocabulary';
import { safeHttpUrl } from '../forecasts.ts';

export { statusLabel };

/** Statuses in the order filters and tallies list them (the vocabulary's own order). */
export const STATUS_ORDER: readonly Status[] = STATUSES;

/** A status badge; `explained` (default) adds its meaning as a tooltip, for pages without a legend of the statuses. */
export function StatusBadge(props: { status: Status; explained?: boolean }) {
  return (
    <span class={`badge status-${props.status}`} title={props.explained === false ? undefined : STATUS_MEANINGS[props.status]}>
      {statusLabel(props.status)}
    </span>
  );
}

/** The momentum beside the record's status: what recent (decayed) evidence says. */
export function MomentumNote(props: { momentum: { status: Momentum; balance: number } }) {
  // No number beside "no recent news": a balance of too little evidence reads as a contradiction.
  return (
    <span class={`momentum momentum-${props.momentum.status}`}>
      {momentumLabel(props.momentum.status)}
      {props.momentum.status === 'quiet' ? null : <small> ({signed(props.momentum.balance)})</small>}
    </span>
  );
}

/** The record's balance, or that there is too little evidence to have one. */
export function recordText(record: { status: string; balance: number }): string {
  return record.status === 'no-evidence' ? 'too little evidence' : signed(record.balance);
}

/** An article's stance toward the forecast, in the vocabulary's words (supports, undermines, discusses). */
export function Stance(props: { stance: string }) {
  return <span class={`stance stance-${props.stance}`}>{stanceLabel(props.stance)}</span>;
}

/** A link to a URL that came from a feed: only http(s), never sends a referrer or an opener. */
export function ExternalLink(props: { href: string | null | undefined; children: unknown }) {
  const href = safeHttpUrl(props.href);
  if (!href) return <span>{props.children as string}</span>;
  return (
    <a href={href} rel="noopener noreferrer">
      {props.children as string}
    </a>
  );
}

export function formatDate(d: Date | string | null | undefined): string {
  if (!d) return '—';
  const date = typeof d === 'string' ? new Date(d) : d;
  return Number.isNaN(date.getTime()) ? '—' : date.toISOString().slice(0, 10);
}

export function formatDateTime(d: Date | null | undefined): string {
  if (!d) return 'never';
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function percent(x: number | null | undefined, digits = 0): string {
  return x === null || x === undefined || Number.isNaN(x) ? '—' : `${(x * 100).toFixed(digits)} %`;
}

export function signed(x: number): string {
  return `${x > 0 ? '+' : x < 0 ? '−' : '±'}${Math.abs(x).toFixed(2)}`;
}

export function CsrfField(props: { token: string }) {
  return <input type="hidden" name="_csrf" value={props.token} />;
}

/** A column heading; `num` right-aligns it over a column of figures. */
export type Column = string | { label: string; num: true };
export const num = (label: string): Column => ({ label, num: true });

/** A table's column headings (`<thead>`), each `scope="col"`; `null` leaves a column out. */
export function ColumnHeads(props: { columns: readonly (Column | null)[] }) {
  return (
    <thead>
      <tr>
        {props.columns.map((col) =>
          col === null ? null : typeof col === 'string' ? (
            <th scope="col">{col}</th>
          ) : (
            <th scope="col" class="num">
              {col.label}
            </th>
          ),
        )}
      </tr>
    </thead>
  );
}
