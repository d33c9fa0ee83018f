import { Hono } from 'hono';
import { loadConfig, type DigestConfig } from '@signpost/config';
import { listDigestSends, type DigestSendRow } from '@signpost/db';
import { formatWindow, lastCompleteWeek, previewDigest, weekWindow } from '@signpost/digest';
import { renderPage, siteOrigin, type DashboardContext, type DashboardContextC, type DashboardEnv } from '../context.tsx';

export interface DigestPreviewDeps {
  /** Where digest.yaml lives (SIGNPOST_DATA_DIR), for the list of subscribers. */
  dataDir?: string;
  /** The largest config file read there (SIGNPOST_CONFIG_MAX_BYTES). */
  maxConfigBytes?: number;
  /** Or a function that gives the digest settings (the worker's live config). */
  loadDigestConfig?: () => Promise<DigestConfig | null>;
}

function readWeek(value: string | undefined, now: Date): string | null {
  if (!value) return lastCompleteWeek(now);
  try {
    weekWindow(value);
    return value;
  } catch {
    return null;
  }
}

function SendLedger(props: { rows: DigestSendRow[] }) {
  if (props.rows.length === 0) return <p class="muted">No digest has been sent yet.</p>;
  const iso = (d: Date | null) => (d ? d.toISOString().slice(0, 16).replace('T', ' ') : '');
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">Week</th>
          <th scope="col">Subscriber</th>
          <th scope="col">Status</th>
          <th scope="col">Attempts</th>
          <th scope="col">Sent / next attempt (UTC)</th>
          <th scope="col">Last error</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((r) => (
          <tr class={r.status === 'failed' ? 'error' : undefined}>
            <td>{r.week}</td>
            <td>{r.email}</td>
            <td>{r.status === 'failed' && r.nextAttemptAt === null ? 'failed (gave up)' : r.status}</td>
            <td>{r.attempts}</td>
            <td>{r.status === 'sent' || r.status === 'skipped' ? iso(r.sentAt) : iso(r.nextAttemptAt)}</td>
            <td class="muted">{r.lastError ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * Admin pages for the weekly digest: a preview of any week's digest for any subscriber (or for
 * every forecast), the HTML e-mail as a download (the dashboard's CSP blocks the e-mail's inline
 * styles, a downloaded file shows them), and the send ledger with failures and their next attempt.
 */
export function createDigestPreviewRoutes(ctx: DashboardContext, deps: DigestPreviewDeps) {
  const app = new Hono<DashboardEnv>();
  const digestConfig = async () => {
    if (deps.loadDigestConfig) return deps.loadDigestConfig();
    if (!deps.dataDir) return null;
    return (await loadConfig(deps.dataDir, { maxBytes: deps.maxConfigBytes })).config.digest;
  };
  const allowed = (c: DashboardContextC) => !!c.get('admin') || ctx.auth.checkBearer(c.req.header('authorization'));
  const refuse = (c: DashboardContextC) => {
    if (!ctx.auth.enabled) {
      return renderPage(c, ctx, 'Read-only', <><h1>Read-only</h1><p>The digest preview needs an admin token (SIGNPOST_ADMIN_TOKEN).</p></>, { status: 403 });
    }
    // A wrong bearer token is a failed attempt (counted by ctx.limits.failures), not a way to the login form.
    if (c.req.header('authorization')) {
      c.header('www-authenticate', 'Bearer realm="signpost"');
      return c.json({ error: 'digest: a valid "Authorization: Bearer <SIGNPOST_ADMIN_TOKEN>" header is required' }, 401);
    }
    return c.redirect(`/login?next=${encodeURIComponent(c.req.path + (new URL(c.req.url).search || ''))}`, 303);
  };
  // Bearer guesses here count like those at the admin API.
  app.use('/admin/digest/*', (c, next) => (c.req.header('authorization') ? ctx.limits.failures(c, next) : next()));
  app.use('/admin/digest', (c, next) => (c.req.header('authorization') ? ctx.limits.failures(c, next) : next()));
  const build = async (c: DashboardContextC) => {
    const week = readWeek(c.req.query('week'), ctx.now());
    if (!week) return { error: `digest: "${(c.req.query('week') ?? '').slice(0, 20)}" is not an ISO week (expected YYYY-Www, e.g. 2026-W47)` } as const;
    const config = await digestConfig();
    const email = c.req.query('email') ?? '';
    const subscriber = email ? config?.subscribers.find((s) => s.email.toLowerCase() === email.toLowerCase()) : undefined;
    if (email && !subscriber) return { error: `digest: ${email.slice(0, 200)} is not a subscriber in digest.yaml` } as const;
    const preview = await previewDigest({
      db: ctx.db,
      week,
      publicUrl: siteOrigin(c, ctx.publicUrl),
      subscriber,
      includeFeedHealth: config?.options.includeFeedHealth ?? true,
      scorer: ctx.scorer,
    });
    return { week, email, config, preview } as const;
  };

  app.get('/admin/digest', async (c) => {
    if (!allowed(c)) return refuse(c);
    const result = await build(c);
    if ('error' in result) return renderPage(c, ctx, 'Digest preview', <><h1>Digest preview</h1><p class="error" role="alert">{result.error}</p></>, { status: 400 });
    const { week, email, config, preview } = result;
    const query = `week=${encodeURIComponent(week)}${email ? `&email=${encodeURIComponent(email)}` : ''}`;
    const rows = await listDigestSends(ctx.db, { limit: 200 });
    return renderPage(
      c,
      ctx,
      'Digest preview',
      <>
        <h1>Weekly digest</h1>
        <form method="get" action="/admin/digest" class="filters">
          <label>
            Week <input name="week" value={week} pattern="\d{4}-W\d{2}" required />
          </label>
          <label>
            For{' '}
            <select name="email">
              <option value="">every forecast</option>
              {(config?.subscribers ?? []).map((s) => (
                <option value={s.email} selected={s.email.toLowerCase() === email.toLowerCase()}>
                  {s.name ? `${s.name} <${s.email}>` : s.email}
                </option>
              ))}
            </select>
          </label>
          <button type="submit">Preview</button>
        </form>
        <p>
          <strong>Subject:</strong> {preview.subject}
        </p>
        <p class="muted">
          Covers {formatWindow(preview.window)}
          {preview.unchanged ? ' · nothing changed: with skipWhenUnchanged this subscriber gets no e-mail' : ''} ·{' '}
          <a href={`/admin/digest/message.html?${query}`}>Download the HTML e-mail</a>
        </p>
        <pre class="digest-text">{preview.text}</pre>
        <h2>Send ledger</h2>
        <SendLedger rows={rows} />
      </>,
    );
  });

  app.get('/admin/digest/message.html', async (c) => {
    if (!allowed(c)) return refuse(c);
    const result = await build(c);
    if ('error' in result) return renderPage(c, ctx, 'Digest preview', <><h1>Digest preview</h1><p class="error" role="alert">{result.error}</p></>, { status: 400 });
    c.header('content-disposition', `attachment; filename="signpost-digest-${result.week}.html"`);
    return c.body(result.preview.html, 200, { 'content-type': 'text/html; charset=utf-8' });
  });

  return app;
}
