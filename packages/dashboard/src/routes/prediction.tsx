import { Hono } from 'hono';
import { getPrediction, listPredictionRevisions } from '@signpost/db';
import { isoWeek, publicationStart } from '@signpost/ledger';
import {
  RELATED_STANCES,
  RESOLUTION_STATUSES,
  STANCES,
  STANCE_ADJECTIVES,
  isRelatedStance,
  signpostDirectionWords,
  signpostMeaning,
  stanceLabel,
  type SidedStance,
} from '@signpost/vocabulary';
import { Timeline, type ChartMarker, type TimelineEvent } from '../charts/timeline.tsx';
import { JudgeComparisonSection, loadJudgeComparison } from '../judges.tsx';
import {
  cachedForecastViews,
  encodeBody,
  renderPage,
  sendBytes,
  type DashboardContext,
  type DashboardContextC,
  type DashboardEnv,
} from '../context.tsx';
import { loadEvidence, loadForecastViews, type EvidenceItem, type ForecastView } from '../forecasts.ts';
import { isForecastId } from '../input.ts';
import {
  ColumnHeads,
  CsrfField,
  num,
  ExternalLink,
  MomentumNote,
  recordText,
  Stance,
  StatusBadge,
  formatDate,
  formatDateTime,
  percent,
  signed,
} from '../views/components.tsx';

/** The dated events of a forecast's life that its timeline marks. */
export function lifeEvents(v: Pick<ForecastView, 'record' | 'resolution'>): TimelineEvent[] {
  const events: TimelineEvent[] = [];
  const published = publicationStart(v.record.published);
  if (published) events.push({ kind: 'published', date: published, label: `published ${formatDate(published)}` });
  const deadline = publicationStart(v.record.deadline);
  if (deadline) events.push({ kind: 'deadline', date: deadline, label: `deadline ${formatDate(deadline)}` });
  const resolved = v.resolution.status !== 'open' ? publicationStart(v.resolution.date) : undefined;
  if (resolved) events.push({ kind: 'resolved', date: resolved, label: `resolved ${v.resolution.status} ${formatDate(resolved)}` });
  return events;
}

/** The most telling articles: strongest agree/disagree evidence, at most one per week. */
export function pickMarkers(items: readonly EvidenceItem[], max = 6): ChartMarker[] {
  const strong = items
    .filter((i) => i.stance === 'agree' || i.stance === 'disagree')
    .sort((a, b) => b.confidence - a.confidence || b.publishedAt.getTime() - a.publishedAt.getTime());
  const weeks = new Set<string>();
  const markers: ChartMarker[] = [];
  for (const i of strong) {
    const week = isoWeek(i.publishedAt);
    if (weeks.has(week)) continue;
    weeks.add(week);
    markers.push({
      week,
      stance: i.stance as SidedStance,
      label: `${stanceLabel(i.stance)}: ${i.article.title} (${formatDate(i.publishedAt)})`,
      href: `#evidence-${i.articleId}`,
    });
    if (markers.length >= max) break;
  }
  return markers;
}

function Field(props: { name: string; children: unknown }) {
  return (
    <>
      <dt>{props.name}</dt>
      <dd>{props.children as string}</dd>
    </>
  );
}

function ForecastLinks(props: { ids: string[] | undefined }) {
  if (!props.ids?.length) return <span class="muted">none</span>;
  return (
    <>
      {props.ids.map((id, i) => (
        <>
          {i > 0 ? ', ' : ''}
          <a href={`/predictions/${encodeURIComponent(id)}`}>{id}</a>
        </>
      ))}
    </>
  );
}

function RecordSection(props: { v: ForecastView }) {
  const r = props.v.record;
  const res = props.v.resolution;
  return (
    <dl class="record">
      {r.quote ? (
        <Field name="In the author's words">
          <blockquote>{r.quote}</blockquote>
        </Field>
      ) : null}
      <Field name="Author">{(r.authors ?? []).join(', ') || '—'}</Field>
      <Field name="Outlet">{r.outlet ?? '—'}</Field>
      <Field name="Published">
        {r.published ?? '—'}
        {r.publishedEstimated ? ' (estimated)' : ''}
      </Field>
      <Field name="Source">{r.url ? <ExternalLink href={r.url}>{r.source ?? r.url}</ExternalLink> : (r.source ?? '—')}</Field>
      <Field name="Kind">
        {r.kind ?? '—'}
        {r.threshold ? ` (${r.threshold.metric} ${r.threshold.operator} ${r.threshold.value} ${r.threshold.unit})` : ''}
      </Field>
      <Field name="Hedge and probability">
        “{r.hedge ?? '—'}” → {r.likelihood ? `${r.likelihood}, ` : ''}
        <strong>{percent(r.probability)}</strong>
        {r.probabilitySource ? (
          <span class="muted">
            {' '}
            (from the{' '}
            {r.probabilitySource === 'stated' ? 'stated probability' : r.probabilitySource === 'likelihood' ? 'ICD 203 term' : 'hedge word'}
            )
          </span>
        ) : null}
      </Field>
      <Field name="Deadline">
        {r.deadline ?? 'none'}
        {r.horizon ? <span class="muted"> ({r.horizon})</span> : null}
      </Field>
      <Field name="Resolution">
        <strong>{res.status}</strong>
        {res.date ? ` on ${res.date}` : ''}
        {res.note ? <div>{res.note}</div> : null}
        {res.setBy === 'dashboard' ? <div class="muted small">set from the dashboard</div> : null}
      </Field>
      <Field name="Tags">
        {(r.tags ?? []).map((t, i) => (
          <>
            {i > 0 ? ', ' : ''}
            <a href={`/?tag=${encodeURIComponent(t)}`}>{t}</a>
          </>
        ))}
      </Field>
      <Field name="Related">
        <ForecastLinks ids={r.related} />
      </Field>
      <Field name="Contradicts">
        <ForecastLinks ids={r.contradicts} />
      </Field>
      {r.keywords?.length ? <Field name="Keywords">{r.keywords.join(', ')}</Field> : null}
      {r.notes ? <Field name="Notes">{r.notes}</Field> : null}
    </dl>
  );
}

function EvidenceList(props: { items: EvidenceItem[]; predictionId: string; csrf?: string; back: string }) {
  if (props.items.length === 0) return <p class="empty">No evidence here yet.</p>;
  return (
    <ol class="evidence">
      {props.items.map((i) => (
        <li id={`evidence-${i.articleId}`}>
          <div>
            <Stance stance={i.stance} />{' '}
            <span class="small muted">{i.overridden ? 'set by an analyst' : `confidence ${percent(i.confidence)}`}</span>
          </div>
          <div>
            <ExternalLink href={i.article.url}>{i.article.title || '(untitled)'}</ExternalLink>
          </div>
          <div class="small muted">
            {formatDate(i.publishedAt)}
            {i.article.feeds.length ? ` · ${i.article.feeds.map((f) => f.title ?? f.url).join(', ')}` : ''}
            {i.scorer ? ` · ${i.scorer}` : ''}
          </div>
          {i.evidence.map((e) => (
            <blockquote>
              <mark class={`stance-${e.stance}`}>{e.text}</mark>
            </blockquote>
          ))}
          {props.csrf ? (
            <form class="inline" method="post" action="/review" aria-label="Set the stance of this article">
              <CsrfField token={props.csrf} />
              <input type="hidden" name="articleId" value={String(i.articleId)} />
              <input type="hidden" name="predictionId" value={props.predictionId} />
              <input type="hidden" name="back" value={`${props.back}#evidence-${i.articleId}`} />
              {STANCES.map((s) => (
                <button type="submit" name="stance" value={s} class={s === i.stance ? '' : 'secondary'}>
                  {s === i.stance ? `Confirm: ${stanceLabel(s)}` : stanceLabel(s)}
                </button>
              ))}
            </form>
          ) : null}
        </li>
      ))}
    </ol>
  );
}

export function createPredictionRoutes(ctx: DashboardContext) {
  const app = new Hono<DashboardEnv>();

  app.get('/predictions/:id', async (c) => {
    const id = c.req.param('id');
    if (!isForecastId(id)) return c.notFound();
    const stanceParam = c.req.query('stance');
    const stance = isRelatedStance(stanceParam) ? stanceParam : undefined;
    const limit = Math.min(Math.max(Number(c.req.query('limit')) || 100, 1), 1000);
    const admin = c.get('admin');
    // Pages for readers are the same for everyone until the ledger moves; an admin's carry a CSRF token.
    if (!admin) {
      const html = await ctx.cache.get(`page:${id}\u0000${stance ?? ''}\u0000${limit}`, async () => {
        const res = await renderForecast(c, id, stance, limit);
        return res ? encodeBody(await res.text()) : null;
      });
      return html ? sendBytes(c, html, 'html') : c.notFound();
    }
    return (await renderForecast(c, id, stance, limit)) ?? c.notFound();
  });

  async function renderForecast(c: DashboardContextC, id: string, stance: string | undefined, limit: number): Promise<Response | null> {
    const views = await cachedForecastViews(ctx);
    let v = views.find((x) => x.id === id);
    if (!v) {
      // A retired forecast keeps its page.
      const row = await getPrediction(ctx.db, id);
      if (!row) return null;
      v = (await loadForecastViews(ctx.db, { now: ctx.now(), includeRetired: true })).find((x) => x.id === id);
      if (!v) return null;
    }
    const published = v.record.published;
    const [{ items: all, background }, revisions, judges] = await Promise.all([
      ctx.cache.get(`evidence:${id}`, () => loadEvidence(ctx.db, { scorer: ctx.scorer, predictionId: id, published })),
      ctx.cache.get(`revisions:${id}`, () => listPredictionRevisions(ctx.db, [id])),
      ctx.cache.get(`judges:${id}`, () => loadJudgeComparison(ctx.db, { scorer: ctx.scorer, predictionId: id })),
    ]);
    const items = all.filter((i) => !stance || i.stance === stance);
    const shown = items.slice(0, limit);
    const admin = c.get('admin');
    const signposts = v.record.signposts ?? [];
    const back = `/predictions/${encodeURIComponent(id)}${stance ? `?stance=${stance}` : ''}`;
    const s = v.standing;
    return renderPage(
      c,
      ctx,
      v.statement.slice(0, 80),
      <>
        <p class="small">
          <a href="/">← All forecasts</a>
        </p>
        <h1>{v.statement}</h1>
        <p>
          <StatusBadge status={s.status} /> Record <strong>{recordText(s.record)}</strong> · <MomentumNote momentum={s.momentum} />
          {v.state !== 'active' ? <span class="muted"> · retired from config</span> : null}
          {' · '}
          <a href={`/predictions/${encodeURIComponent(id)}/feed.atom`}>Atom feed</a>
        </p>
        <p class="small muted">
          Since publication: {s.counts.agree} {STANCE_ADJECTIVES.agree}, {s.counts.disagree} {STANCE_ADJECTIVES.disagree},{' '}
          {s.counts.discuss} {STANCE_ADJECTIVES.discuss} articles ({s.record.stories.agree + s.record.stories.disagree} distinct stories
          counted).{' '}
          {s.asOf
            ? `As of ${formatDateTime(s.asOf)} (the last cycle).`
            : 'Not computed yet: the worker has not run a cycle since this forecast was added.'}
        </p>

        <h2 id="chart">How it has held up</h2>
        <Timeline
          series={s.series}
          markers={pickMarkers(all)}
          events={lifeEvents(v)}
          asOf={s.asOf ?? ctx.now()}
          title={`The record of “${v.statement.slice(0, 60)}”`}
        />
        <details>
          <summary>The timeline as a table</summary>
          <table class="small">
            <caption class="visually-hidden">Articles per week and the record at the end of each week</caption>
            <ColumnHeads columns={['Week', num('Supporting'), num('Undermining'), num('Discussing'), num('Record')]} />
            <tbody>
              {s.series
                .filter((p) => p.agree + p.disagree + p.discuss > 0)
                .map((p) => (
                  <tr>
                    <td>{p.week}</td>
                    <td class="num">{p.agree}</td>
                    <td class="num">{p.disagree}</td>
                    <td class="num">{p.discuss}</td>
                    <td class="num">{signed(p.balance)}</td>
                  </tr>
                ))}
            </tbody>
          </table>
        </details>

        <h2>The forecast</h2>
        <RecordSection v={v} />
        {admin ? (
          <form
            method="post"
            action={`/predictions/${encodeURIComponent(id)}/resolve`}
            class="filters"
            aria-label="Mark this forecast resolved"
          >
            <CsrfField token={admin.csrf} />
            <label>
              Resolution
              <select name="status">
                {RESOLUTION_STATUSES.map((st) => (
                  <option value={st} selected={st === v.resolution.status}>
                    {st}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Date <input type="date" name="date" value={v.resolution.date ?? ''} />
            </label>
            <label>
              Note <input type="text" name="note" value={v.resolution.note ?? ''} maxlength={2000} />
            </label>
            <button type="submit">Save resolution</button>
          </form>
        ) : null}

        <h2>Signposts</h2>
        {signposts.length === 0 ? (
          <p class="muted">This forecast lists no signposts.</p>
        ) : (
          <table class="stack signposts">
            <ColumnHeads
              columns={['Signpost', 'Direction', num('Seen'), num('Contradicted'), num('Mentioned'), 'What it means for the forecast']}
            />
            <tbody>
              {signposts.map((sp, index) => {
                const n = s.signposts.find((x) => x.index === index) ?? { seen: 0, contradicted: 0, mentioned: 0 };
                return (
                  <tr data-direction={sp.direction}>
                    <td>{sp.text}</td>
                    <td>{signpostDirectionWords(sp.direction)}</td>
                    <td class="num">{n.seen}</td>
                    <td class="num">{n.contradicted}</td>
                    <td class="num">{n.mentioned}</td>
                    <td>{signpostMeaning(sp.direction, n)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}

        <h2 id="evidence">Evidence</h2>
        <nav aria-label="Evidence by stance" class="small">
          <a href={`/predictions/${encodeURIComponent(id)}#evidence`} aria-current={!stance ? 'true' : undefined}>
            All ({all.length})
          </a>
          {RELATED_STANCES.map((st) => (
            <>
              {' · '}
              <a href={`/predictions/${encodeURIComponent(id)}?stance=${st}#evidence`} aria-current={stance === st ? 'true' : undefined}>
                {stanceLabel(st)} ({all.filter((i) => i.stance === st).length})
              </a>
            </>
          ))}
        </nav>
        <EvidenceList items={shown} predictionId={id} csrf={admin?.csrf} back={back} />
        {items.length > shown.length ? (
          <p>
            Showing {shown.length} of {items.length}.{' '}
            <a href={`${back}${stance ? '&' : '?'}limit=${Math.min(limit * 4, 1000)}#evidence`}>Show more</a>
          </p>
        ) : null}

        {background.length ? (
          <>
            <h2 id="background">Background</h2>
            <p class="small muted">
              {background.length} article{background.length === 1 ? '' : 's'} published before the forecast ({v.record.published}): context,
              not evidence; they do not count toward the record.
            </p>
            <EvidenceList items={background.slice(0, limit)} predictionId={id} csrf={admin?.csrf} back={back} />
          </>
        ) : null}

        <JudgeComparisonSection comparison={judges} builtinScorer={ctx.scorer} />

        <h2>History of this forecast</h2>
        <table class="stack">
          <ColumnHeads columns={['Revision', 'When', 'Change', 'Fields', 'Statement']} />
          <tbody>
            {revisions.map((rev) => (
              <tr>
                <td>{rev.revision}</td>
                <td>{formatDate(rev.changedAt)}</td>
                <td>{rev.change}</td>
                <td>{rev.changedFields.join(', ') || '—'}</td>
                <td>{rev.statement}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </>,
      { feedUrl: `/predictions/${encodeURIComponent(id)}/feed.atom` },
    );
  }

  return app;
}
