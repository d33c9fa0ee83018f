/** A forecast's resolution: an analyst's from the dashboard wins over the record's own (predictions.yaml). */
export type ResolutionStatus = 'open' | 'true' | 'false' | 'ambiguous';

export interface ForecastResolution {
  status: ResolutionStatus;
  date?: string;
  note?: string;
  /** `record`: from predictions.yaml; `dashboard`: set by an analyst there. */
  setBy: 'record' | 'dashboard';
}

const RESOLUTIONS = new Set<string>(['open', 'true', 'false', 'ambiguous']);

/** The resolution in force: the analyst's from the dashboard, else the record's. */
export function resolutionOf(
  record: { resolution?: { status?: string; date?: string; note?: string } | null } | Record<string, unknown>,
  override?: { status: string; date: string | null; note: string | null } | null,
): ForecastResolution {
  if (override && RESOLUTIONS.has(override.status)) {
    return { status: override.status as ResolutionStatus, date: override.date ?? undefined, note: override.note ?? undefined, setBy: 'dashboard' };
  }
  const r = (record as { resolution?: { status?: string; date?: string; note?: string } | null }).resolution;
  const status = r && typeof r.status === 'string' && RESOLUTIONS.has(r.status) ? (r.status as ResolutionStatus) : 'open';
  return { status, date: r?.date, note: r?.note, setBy: 'record' };
}
