import type { RecordStatus, Status } from './statuses.ts';

/** A forecast's resolution, as predictions.yaml and the dashboard's analysts write it. */
export const RESOLUTION_STATUSES = ['open', 'true', 'false', 'ambiguous'] as const;
export type ResolutionStatus = (typeof RESOLUTION_STATUSES)[number];

export function isResolutionStatus(x: unknown): x is ResolutionStatus {
  return typeof x === 'string' && (RESOLUTION_STATUSES as readonly string[]).includes(x);
}

export interface ForecastResolution {
  status: ResolutionStatus;
  date?: string;
  note?: string;
  /** `record`: from predictions.yaml; `dashboard`: set by an analyst there. */
  setBy: 'record' | 'dashboard';
}

/** A resolution as it is written: the record's (`resolution:` in predictions.yaml) or an analyst's. */
export interface WrittenResolution {
  status?: string | null;
  date?: string | null;
  note?: string | null;
}

/**
 * The one resolution rule: an analyst's resolution from the dashboard wins over the record's own
 * (predictions.yaml); with neither (or an unreadable status) the forecast is open.
 */
export function resolutionOf(
  record: { resolution?: WrittenResolution | null } | Record<string, unknown> | null | undefined,
  override?: WrittenResolution | null,
): ForecastResolution {
  if (override && isResolutionStatus(override.status)) return withParts(override.status, override, 'dashboard');
  const r = (record as { resolution?: WrittenResolution | null } | null | undefined)?.resolution;
  return r && isResolutionStatus(r.status) ? withParts(r.status, r, 'record') : { status: 'open', setBy: 'record' };
}

function withParts(status: ResolutionStatus, r: WrittenResolution, setBy: ForecastResolution['setBy']): ForecastResolution {
  return { status, ...(r.date ? { date: r.date } : {}), ...(r.note ? { note: r.note } : {}), setBy };
}

/** The status shown first: the resolution when the forecast is resolved, else what its record says. */
export function statusOfResolution(resolution: ResolutionStatus | string | null | undefined, record: RecordStatus): Status {
  if (resolution === 'true') return 'resolved-true';
  if (resolution === 'false') return 'resolved-false';
  if (resolution === 'ambiguous') return 'ambiguous';
  return record;
}
