import { Hono } from 'hono';
import { listDigestSends, type DigestSendRow } from '@signpost/db';
import { formatWindow, lastCompleteWeek, weekWindow, type DigestRecipient, type RenderedDigest } from '@signpost/digest';
import { renderPage, siteOrigin, type DashboardContext, type DashboardContextC, type DashboardEnv } from '../context.tsx';
import { ColumnHeads } from '../views/components.tsx';

/**
 * What the admin digest preview needs from the process that assembles the dashboard (the worker,
 * apps/worker/src/dashboard.ts): the subscribers in force and the rendered digest. The dashboard
 * reads no config file and loads no digest input itself.
 */
export interface DigestPreviewDeps {
  /** The subscribers of digest.yaml as the worker has it (empty when there are none). */
  subscribers(): Promise<DigestRecipient[]>;
  /** The digest `subscriber` (none: every forecast) would get for `week`, with links under `publicUrl`. Sends nothing. */
  render(request: {
    week: string;
    subscriber?: DigestRecipient;
    publicUrl: string;
  }): Promise<RenderedDigest & { window: { start: Date; end: Date } }>;
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
      <ColumnHeads columns={['Week', 'Subscriber', 'Status', 'Attempts', 'Sent / next attempt (UTC)', 'Last error']} />
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
export function createDigestPreviewRoutes(ctx: DashboardContext, deps: DigestPreviewDeps | undefined) {
  const app = new Hono<DashboardEnv>();
  const allowed = (c: DashboardContextC) => !!c.get('admin') || ctx.auth.checkBearer(c.req.header('authorization'));
  const refuse = (c: DashboardContextC) => {
    if (!ctx.auth.enabled) {
      return renderPage(
        c,
        ctx,
        'Read-only',
        <>
          <h1>Read-only</h1>
          <p>The digest preview needs an admin token (SIGNPOST_ADMIN_TOKEN).</p>
        </>,
        { status: 403 },
      );
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
    if (!week)
      return {
        error: `digest: "${(c.req.query('week') ?? '').slice(0, 20)}" is not an ISO week (expected YYYY-Www, e.g. 2026-W47)`,
        status: 400,
      } as const;
    if (!deps)
      return {
        error: 'digest: this process shows no digest preview (the worker serves it: `signpost start` or `signpost serve`)',
        status: 404,
      } as const;
    const subscribers = await deps.subscribers();
    const email = c.req.query('email') ?? '';
    const subscriber = email ? subscribers.find((s) => s.email.toLowerCase() === email.toLowerCase()) : undefined;
    if (email && !subscriber) return { error: `digest: ${email.slice(0, 200)} is not a subscriber in digest.yaml`, status: 400 } as const;
    const preview = await deps.render({ week, subscriber, publicUrl: siteOrigin(c, ctx.publicUrl) });
    return { week, email, subscribers, preview } as const;
  };

  /** Both routes answer a bad week, subscriber or missing preview with the same page. */
  const showError = (c: DashboardContextC, error: string, status: 400 | 404) =>
    renderPage(
      c,
      ctx,
      'Digest preview',
      <>
        <h1>Digest preview</h1>
        <p class="error" role="alert">
          {error}
        </p>
      </>,
      { status },
    );

  app.get('/admin/digest', async (c) => {
    if (!allowed(c)) return refuse(c);
    const result = await build(c);
    if (result.error !== undefined) return showError(c, result.error, result.status);
    const { week, email, subscribers, preview } = result;
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
              {subscribers.map((s) => (
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
    if (result.error !== undefined) return showError(c, result.error, result.status);
    c.header('content-disposition', `attachment; filename="signpost-digest-${result.week}.html"`);
    return c.body(result.preview.html, 200, { 'content-type': 'text/html; charset=utf-8' });
  });

  return app;
}
