import { Hono } from 'hono';
import { computeTrackRecord, type NamedScore, type Prediction } from '@signpost/predictions';
import { cachedForecastViews, renderPage, type DashboardContext, type DashboardEnv } from '../context.tsx';
import type { ForecastView } from '../forecasts.ts';
import { ColumnHeads, StatusBadge, num, percent } from '../views/components.tsx';

/** Forecasts whose record is complete enough to score, with the resolution in force applied. */
export function scorablePredictions(views: readonly ForecastView[]): Prediction[] {
  return views
    .filter((v) => typeof v.record.probability === 'number' && Array.isArray(v.record.authors) && typeof v.record.outlet === 'string')
    .map((v) => ({
      ...(v.record as Prediction),
      resolution: { status: v.resolution.status, date: v.resolution.date, note: v.resolution.note },
    }));
}

function ScoreTable(props: { caption: string; rows: NamedScore[]; what: string }) {
  const scored = props.rows.filter((r) => r.resolved > 0);
  if (scored.length === 0) return <p class="muted">No {props.what} has a resolved forecast yet.</p>;
  return (
    <table class="stack">
      <caption class="visually-hidden">{props.caption}</caption>
      <ColumnHeads columns={[props.what, num('Resolved'), num('Brier score'), num('Still open')]} />
      <tbody>
        {scored.map((r) => (
          <tr>
            <td>{r.name}</td>
            <td class="num">{r.resolved}</td>
            <td class="num">{r.brier?.toFixed(3) ?? '—'}</td>
            <td class="num">{r.unresolved}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function createTrackRecordRoutes(ctx: DashboardContext) {
  const app = new Hono<DashboardEnv>();
  app.get('/track-record', async (c) => {
    const views = await cachedForecastViews(ctx);
    const predictions = scorablePredictions(views);
    const record = computeTrackRecord(predictions);
    const resolved = views.filter((v) => v.resolution.status === 'true' || v.resolution.status === 'false');
    return renderPage(
      c,
      ctx,
      'Track record',
      <>
        <h1>Track record</h1>
        <p>
          {record.overall.resolved} of {predictions.length} forecasts have resolved true or false. Overall Brier score:{' '}
          <strong>{record.overall.brier?.toFixed(3) ?? '—'}</strong>{' '}
          <span class="muted">(0 is perfect; always saying 50 % scores 0.25)</span>.
        </p>
        <h2>Authors</h2>
        <ScoreTable caption="Brier score by author" rows={record.byAuthor} what="Author" />
        <h2>Outlets</h2>
        <ScoreTable caption="Brier score by outlet" rows={record.byOutlet} what="Outlet" />
        <h2>Calibration</h2>
        <p class="muted small">
          For each ICD 203 band: how many resolved forecasts stated a probability in it, their mean probability, and how often they came
          true.
        </p>
        <table class="stack">
          <ColumnHeads columns={['Band', 'Range', num('Forecasts'), num('Mean probability'), num('Came true')]} />
          <tbody>
            {record.calibration.map((b) => (
              <tr>
                <td>{b.label}</td>
                <td>{`${percent(b.low)} – ${percent(b.high)}`}</td>
                <td class="num">{b.count}</td>
                <td class="num">{percent(b.meanProbability)}</td>
                <td class="num">{percent(b.observedFrequency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <h2>Resolved forecasts</h2>
        {resolved.length === 0 ? (
          <p class="muted">None yet.</p>
        ) : (
          <ul>
            {resolved.map((v) => (
              <li>
                <StatusBadge status={v.standing.status} /> <a href={`/predictions/${encodeURIComponent(v.id)}`}>{v.statement}</a>{' '}
                <span class="muted small">
                  ({(v.record.authors ?? []).join(', ')}, {percent(v.record.probability)}
                  {v.resolution.date ? `, resolved ${v.resolution.date}` : ''})
                </span>
              </li>
            ))}
          </ul>
        )}
      </>,
    );
  });
  return app;
}
