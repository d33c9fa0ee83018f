import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { csrf } from 'hono/csrf';
import { HTTPException } from 'hono/http-exception';
import { getPrediction, hasArticle, listReviewQueue, setFeedPaused, setOverride, setResolutionOverride } from '@signpost/db';
import { RESOLUTION_STATUSES, STANCES, stanceLabel } from '@signpost/vocabulary';
import { z } from 'zod';
import { SESSION_COOKIE, SESSION_TTL_MS } from '../auth.ts';
import { refreshForecastStandings, renderPage, type DashboardContext, type DashboardContextC, type DashboardEnv } from '../context.tsx';
import { BodyError, controlCharacter, isForecastId, readForm } from '../input.ts';
import { clientAddress } from '../limits.ts';
import { CsrfField, ExternalLink, Stance, formatDate, percent } from '../views/components.tsx';

export class AdminInputError extends Error {
  override name = 'AdminInputError';
}

/**
 * Only a path on this site: never an open redirect. Printable ASCII only, since browsers drop tabs
 * and newlines from URLs (`/\t/evil.example` reads as `//evil.example`, issue #14) and a newline
 * in a Location header is refused by the server; no `//` or `\` at the start; and it must resolve
 * to this origin. What comes back is the path as the URL parser normalised it.
 */
export function safeNext(next: unknown, fallback = '/'): string {
  if (typeof next !== 'string' || next.length >= 500 || !/^\/[\x21-\x7e]*$/.test(next) || /^\/[/\\]/.test(next) || next.includes('\\'))
    return fallback;
  const base = 'http://signpost.invalid';
  let url: URL;
  try {
    url = new URL(next, base);
  } catch {
    return fallback;
  }
  return url.origin === base ? `${url.pathname}${url.search}${url.hash}` : fallback;
}

function isSecureRequest(c: Context, publicUrl?: string): boolean {
  return new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https' || !!publicUrl?.startsWith('https:');
}

/**
 * A cross-site form post is refused (hono's `csrf`). Browsers that send Sec-Fetch-Site are judged by
 * it alone: same-origin, or none (typed by the user); others by an Origin that is this site's, as
 * requested or as the public URL names it. The session's CSRF token stays the main defence for
 * logged-in forms.
 */
function sameSiteForms(publicUrl?: string) {
  const own = publicUrl ? new URL(publicUrl).origin : null;
  return csrf({
    secFetchSite: ['same-origin', 'none'],
    origin: (origin, c) => !c.req.header('sec-fetch-site') && (origin === new URL(c.req.url).origin || origin === own),
  });
}

/**
 * An analyst's note: trimmed, at most 2,000 characters, no control characters (the database refuses
 * NUL); blank or not text means no note.
 */
const noteField = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() ? v : undefined),
  z
    .string()
    .check((ctx) => {
      const bad = controlCharacter(ctx.value);
      if (bad) ctx.issues.push({ code: 'custom', input: ctx.value, message: `note must not contain control characters (found ${bad})` });
    })
    .transform((v) => v.trim().slice(0, 2000))
    .optional(),
);

/** An analyst's verdict on one judgment, from the review form or the API. */
const overrideSchema = z.object({
  articleId: z
    .unknown()
    .transform(Number)
    .refine((n) => Number.isSafeInteger(n) && n >= 1, 'articleId must be an article id (a positive whole number)'),
  predictionId: z.string().catch(''),
  stance: z.enum(STANCES, `stance must be one of ${STANCES.join(', ')}`),
  note: noteField,
});
export type OverrideInput = z.output<typeof overrideSchema>;

/** An analyst's resolution of a forecast, from its page's form or the API. */
const resolutionSchema = z.object({
  status: z.enum(RESOLUTION_STATUSES, `status must be one of ${RESOLUTION_STATUSES.join(', ')}`),
  date: z.preprocess(
    (v) => (typeof v === 'string' && v !== '' ? v : undefined),
    z
      .string()
      .refine((d) => /^\d{4}-\d{2}-\d{2}$/.test(d) && !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), {
        error: (issue) => `date must be YYYY-MM-DD (got "${String(issue.input).slice(0, 40)}")`,
      })
      .optional(),
  ),
  note: noteField,
});

/** `body` checked against `schema`; the first problem is thrown as an AdminInputError. */
function parseInput<T extends z.ZodType>(schema: T, body: Record<string, unknown>): z.output<T> {
  const result = schema.safeParse(body);
  if (!result.success) throw new AdminInputError(`admin: ${result.error.issues[0]!.message}`);
  return result.data;
}

/** Checks an override request; throws AdminInputError saying what is wrong. */
export async function checkOverride(ctx: DashboardContext, body: Record<string, unknown>): Promise<OverrideInput> {
  const input = parseInput(overrideSchema, body);
  if (!(await findForecast(ctx, input.predictionId)))
    throw new AdminInputError(`admin: no forecast with id "${input.predictionId.slice(0, 100)}"`);
  if (!(await hasArticle(ctx.db, input.articleId))) throw new AdminInputError(`admin: no article with id ${input.articleId}`);
  return input;
}

/** The forecast an id names, or null for an id no forecast can have (never sent to the database). */
function findForecast(ctx: DashboardContext, id: string) {
  return isForecastId(id) ? getPrediction(ctx.db, id) : Promise.resolve(null);
}

/** Checks a resolution request; throws AdminInputError saying what is wrong. */
export async function checkResolution(ctx: DashboardContext, predictionId: string, body: Record<string, unknown>) {
  const { status, date, note } = parseInput(resolutionSchema, body);
  if (!(await findForecast(ctx, predictionId))) throw new AdminInputError(`admin: no forecast with id "${predictionId.slice(0, 100)}"`);
  return { predictionId, status, date: date ?? null, note: note ?? null };
}

function readOnlyPage(c: DashboardContextC, ctx: DashboardContext) {
  return renderPage(
    c,
    ctx,
    'Read-only',
    <>
      <h1>Read-only</h1>
      <p>This dashboard has no admin token (SIGNPOST_ADMIN_TOKEN), so nothing can be changed from here.</p>
    </>,
    { status: 403 },
  );
}

function forbidden(c: DashboardContextC, ctx: DashboardContext, why: string) {
  return renderPage(
    c,
    ctx,
    'Not allowed',
    <>
      <h1>Not allowed</h1>
      <p>{why}</p>
      <p>
        <a href="/login">Log in</a>
      </p>
    </>,
    { status: 403 },
  );
}

/** A state-changing form post (already checked as same-site by `sameSiteForms`): admin session and the session's CSRF token. */
async function readAdminForm(c: DashboardContextC, ctx: DashboardContext): Promise<Record<string, string> | Response> {
  if (!ctx.auth.enabled) return readOnlyPage(c, ctx);
  const session = c.get('admin');
  if (!session) return forbidden(c, ctx, 'Your session has ended; log in again.');
  const body = await readForm(c);
  if (!ctx.auth.checkCsrf(session, body._csrf))
    return forbidden(c, ctx, 'The form had expired or was not sent from this site; reload the page and try again.');
  return Object.fromEntries(Object.entries(body).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

export function createAdminRoutes(ctx: DashboardContext) {
  const app = new Hono<DashboardEnv>();

  const sameSite = sameSiteForms(ctx.publicUrl);

  app.onError((error, c) => {
    if (error instanceof HTTPException && error.status === 403) return forbidden(c, ctx, 'This form was sent from another site.');
    if (!(error instanceof AdminInputError || error instanceof BodyError)) throw error;
    if (c.req.path.startsWith('/api/')) return c.json({ error: error.message }, 400);
    return renderPage(
      c,
      ctx,
      'Cannot do that',
      <>
        <h1>Cannot do that</h1>
        <p class="error">{error.message}</p>
      </>,
      { status: 400 },
    );
  });

  function LoginForm(props: { next: string; error?: string }) {
    return (
      <>
        <h1>Log in</h1>
        {props.error ? (
          <p class="error" role="alert">
            {props.error}
          </p>
        ) : null}
        <form method="post" action="/login" class="filters">
          <input type="hidden" name="next" value={props.next} />
          <label>
            Admin token
            <input type="password" name="token" autocomplete="current-password" required />
          </label>
          <button type="submit">Log in</button>
        </form>
      </>
    );
  }

  app.get('/login', (c) => {
    if (!ctx.auth.enabled) return readOnlyPage(c, ctx);
    return renderPage(c, ctx, 'Log in', <LoginForm next={safeNext(c.req.query('next'), '/admin')} />);
  });

  // Failed logins count per client address (limits.ts): one address guessing never locks out another.
  app.post('/login', ctx.limits.failures, sameSite, async (c) => {
    if (!ctx.auth.enabled) return readOnlyPage(c, ctx);
    const now = ctx.now();
    const body = await readForm(c);
    const next = safeNext(body.next, '/admin');
    if (!ctx.auth.checkToken(typeof body.token === 'string' ? body.token : null)) {
      ctx.logger.warn({ address: clientAddress(c, ctx.trustProxy) }, 'dashboard: failed admin login');
      return renderPage(c, ctx, 'Log in', <LoginForm next={next} error="That token is not right." />, { status: 401 });
    }
    const { value } = await ctx.auth.createSession(now);
    setCookie(c, SESSION_COOKIE, value, {
      httpOnly: true,
      secure: isSecureRequest(c, ctx.publicUrl),
      sameSite: 'Strict',
      path: '/',
      maxAge: Math.floor(SESSION_TTL_MS / 1000),
    });
    return c.redirect(next, 303);
  });

  app.post('/logout', sameSite, async (c) => {
    const form = await readAdminForm(c, ctx);
    if (form instanceof Response) return form;
    // Ended on the server too: the cookie is no session any more, wherever a copy of it turns up.
    await ctx.auth.revokeSession(getCookie(c, SESSION_COOKIE), ctx.now());
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.redirect('/', 303);
  });

  app.get('/admin', (c) => {
    if (!ctx.auth.enabled) return readOnlyPage(c, ctx);
    const session = c.get('admin');
    if (!session) return c.redirect('/login?next=/admin', 303);
    const run = c.req.query('run');
    return renderPage(
      c,
      ctx,
      'Admin',
      <>
        <h1>Admin</h1>
        {run ? (
          <p class="notice" role="status">
            Run started: {run}
          </p>
        ) : null}
        <ul>
          <li>
            <a href="/review">Review queue</a>: judgments the scorer was unsure of.
          </li>
          <li>
            <a href="/admin/digest">Weekly digest</a>: preview and the send ledger.
          </li>
          <li>Mark a forecast resolved from its page.</li>
        </ul>
        <form method="post" action="/admin/run" class="inline">
          <CsrfField token={session.csrf} />
          <button type="submit" disabled={!ctx.triggerRun}>
            Run a cycle now
          </button>
          {!ctx.triggerRun ? (
            <span class="muted small">
              {' '}
              (only where the worker runs in this process: <code>signpost start</code>)
            </span>
          ) : null}
        </form>
        <form method="post" action="/logout" class="inline">
          <CsrfField token={session.csrf} />
          <button type="submit" class="secondary">
            Log out
          </button>
        </form>
      </>,
    );
  });

  app.post('/admin/run', sameSite, async (c) => {
    const form = await readAdminForm(c, ctx);
    if (form instanceof Response) return form;
    if (!ctx.triggerRun) throw new AdminInputError('admin: this process cannot run a cycle (run `signpost start` or `signpost run`)');
    const started = await ctx.triggerRun();
    ctx.logger.info({ started }, 'dashboard: run triggered by an admin');
    return c.redirect(`/admin?run=${encodeURIComponent(started)}`, 303);
  });

  app.get('/review', async (c) => {
    if (!ctx.auth.enabled) return readOnlyPage(c, ctx);
    const session = c.get('admin');
    if (!session) return c.redirect('/login?next=/review', 303);
    const items = await listReviewQueue(ctx.db, {
      scorer: ctx.scorer,
      minConfidence: ctx.reviewBand.min,
      maxConfidence: ctx.reviewBand.max,
      limit: 100,
    });
    return renderPage(
      c,
      ctx,
      'Review queue',
      <>
        <h1>Review queue</h1>
        <p class="muted">
          Judgments by {ctx.scorer} with a confidence from {percent(ctx.reviewBand.min)} up to {percent(ctx.reviewBand.max)} that nobody has
          ruled on, newest first. Confirming or choosing another stance records an analyst's verdict, which wins over every scorer version.
        </p>
        {items.length === 0 ? (
          <p class="empty">Nothing to review.</p>
        ) : (
          <ol class="evidence">
            {items.map((i) => (
              <li id={`review-${i.judgmentId}`}>
                <div>
                  <a href={`/predictions/${encodeURIComponent(i.predictionId)}`}>{i.statement}</a>
                </div>
                <div>
                  <Stance stance={i.stance} />{' '}
                  <span class="small muted">
                    confidence {percent(i.confidence)} · {formatDate(i.publishedAt)}
                  </span>{' '}
                  <ExternalLink href={i.url}>{i.title || '(untitled)'}</ExternalLink>
                </div>
                {i.evidence.map((e) => (
                  <blockquote>
                    <mark class={`stance-${e.stance}`}>{e.text}</mark>
                  </blockquote>
                ))}
                <form class="inline" method="post" action="/review" aria-label={`Verdict on article ${i.articleId}`}>
                  <CsrfField token={session.csrf} />
                  <input type="hidden" name="articleId" value={String(i.articleId)} />
                  <input type="hidden" name="predictionId" value={i.predictionId} />
                  <input type="hidden" name="back" value="/review" />
                  {STANCES.map((s) => (
                    <button type="submit" name="stance" value={s} class={s === i.stance ? '' : 'secondary'}>
                      {s === i.stance ? `Confirm: ${stanceLabel(s)}` : stanceLabel(s)}
                    </button>
                  ))}
                </form>
              </li>
            ))}
          </ol>
        )}
      </>,
    );
  });

  app.post('/review', sameSite, async (c) => {
    const form = await readAdminForm(c, ctx);
    if (form instanceof Response) return form;
    const input = await checkOverride(ctx, form);
    await setOverride(ctx.db, input, ctx.now());
    await refreshForecastStandings(ctx, [input.predictionId]);
    return c.redirect(safeNext(form.back, '/review'), 303);
  });

  app.post('/predictions/:id/resolve', sameSite, async (c) => {
    const form = await readAdminForm(c, ctx);
    if (form instanceof Response) return form;
    const input = await checkResolution(ctx, c.req.param('id'), form);
    await setResolutionOverride(ctx.db, input, ctx.now());
    await refreshForecastStandings(ctx, [input.predictionId]);
    return c.redirect(`/predictions/${encodeURIComponent(input.predictionId)}`, 303);
  });

  /** Pauses or resumes a feed; the id comes from the path. */
  async function pauseFeed(id: string, paused: boolean): Promise<number> {
    if (!/^\d{1,9}$/.test(id)) throw new AdminInputError(`admin: "${id.slice(0, 40)}" is not a feed id (a whole number)`);
    if (!(await setFeedPaused(ctx.db, Number(id), paused, ctx.now()))) throw new AdminInputError(`admin: no feed with id ${id}`);
    ctx.cache.bump();
    return Number(id);
  }

  for (const [action, paused] of [
    ['pause', true],
    ['resume', false],
  ] as const) {
    app.post(`/feeds/:id/${action}`, sameSite, async (c) => {
      const form = await readAdminForm(c, ctx);
      if (form instanceof Response) return form;
      await pauseFeed(c.req.param('id'), paused);
      return c.redirect('/feeds', 303);
    });
  }

  // The same actions for scripts: bearer token, JSON bodies, no cookies (so no CSRF to guard against).
  const api = new Hono<DashboardEnv>();
  // Every call counts against the address's per-minute budget, and a wrong token against its failures.
  api.use('*', ctx.limits.bearer, ctx.limits.failures, async (c, next) => {
    if (!ctx.auth.enabled) return c.json({ error: 'api: read-only (no SIGNPOST_ADMIN_TOKEN is set)' }, 403);
    if (!ctx.auth.checkBearer(c.req.header('authorization'))) {
      c.header('www-authenticate', 'Bearer realm="signpost"');
      return c.json({ error: 'api: a valid "Authorization: Bearer <SIGNPOST_ADMIN_TOKEN>" header is required' }, 401);
    }
    await next();
  });
  const readJson = async (c: Context): Promise<Record<string, unknown>> => {
    const body: unknown = await c.req.json().catch(() => {
      throw new AdminInputError('api: the body must be a JSON object');
    });
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw new AdminInputError('api: the body must be a JSON object');
    return body as Record<string, unknown>;
  };
  api.post('/overrides', async (c) => {
    const input = await checkOverride(ctx, await readJson(c));
    await setOverride(ctx.db, input, ctx.now());
    await refreshForecastStandings(ctx, [input.predictionId]);
    return c.json({ ok: true, ...input });
  });
  api.post('/predictions/:id/resolution', async (c) => {
    const input = await checkResolution(ctx, c.req.param('id'), await readJson(c));
    await setResolutionOverride(ctx.db, input, ctx.now());
    await refreshForecastStandings(ctx, [input.predictionId]);
    return c.json({ ok: true, ...input });
  });
  for (const [action, paused] of [
    ['pause', true],
    ['resume', false],
  ] as const) {
    api.post(`/feeds/:id/${action}`, async (c) => c.json({ ok: true, feedId: await pauseFeed(c.req.param('id'), paused), paused }));
  }
  api.post('/run', async (c) => {
    if (!ctx.triggerRun) return c.json({ error: 'api: this process cannot run a cycle' }, 501);
    return c.json({ ok: true, started: await ctx.triggerRun() }, 202);
  });
  app.route('/api/admin', api);

  return app;
}
