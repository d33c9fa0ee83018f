import { Hono } from 'hono';
import { html } from 'hono/html';
import { getOrCreateSecret, listUnsubscribed } from '@signpost/db';
import { UNSUBSCRIBE_SECRET_KEY, verifyUnsubscribeToken } from '@signpost/digest';
import { renderPage, type DashboardContext, type DashboardEnv } from '../context.tsx';

/**
 * The unsubscribe link of the weekly digest. GET shows a confirmation button (link scanners in
 * mail systems fetch links; a GET must not unsubscribe anyone); POST records the unsubscribe. Mail
 * clients that offer one-click unsubscribe (RFC 8058, the `List-Unsubscribe-Post` header) POST
 * `List-Unsubscribe=One-Click` to the same URL from their own servers, so POST takes no session,
 * no CSRF token and no same-origin check: the signed token is the authority, and it only ever
 * unsubscribes the address it was made for.
 *
 * The page only reads (the token checked against the secret, the unsubscribe list); recording the
 * unsubscribe is `unsubscribe`, handed in by the worker (apps/worker/src/digest/unsubscribe.ts).
 */
export function createUnsubscribeRoutes(
  ctx: Pick<DashboardContext, 'db' | 'logger' | 'now'> & Partial<DashboardContext>,
  unsubscribe: ((token: string) => Promise<string | null>) | undefined,
) {
  const app = new Hono<DashboardEnv>();
  const page = (c: Parameters<typeof renderPage>[0], title: string, body: ReturnType<typeof html>, status: 200 | 400 = 200) =>
    renderPage(c, { auth: { enabled: false }, ...ctx } as DashboardContext, title, body, { status });
  const invalid = (c: Parameters<typeof renderPage>[0]) =>
    page(
      c,
      'Link not valid',
      html`<h1>This unsubscribe link is not valid</h1>
        <p>It may have been cut short when it was copied. Use the link at the bottom of a digest e-mail as it is, or ask the person who runs this Signpost to remove your address from <code>digest.yaml</code>.</p>`,
      400,
    );

  app.get('/unsubscribe', async (c) => {
    const token = c.req.query('token') ?? '';
    const email = verifyUnsubscribeToken(await getOrCreateSecret(ctx.db, UNSUBSCRIBE_SECRET_KEY), token);
    if (!email) return invalid(c);
    if ((await listUnsubscribed(ctx.db)).has(email)) {
      return page(c, 'Unsubscribed', html`<h1>Unsubscribed</h1><p>${email} does not receive the weekly digest any more.</p>`);
    }
    return page(
      c,
      'Unsubscribe',
      html`<h1>Stop the weekly digest?</h1>
        <p>${email} will no longer receive the Signpost weekly digest.</p>
        <form method="post" action="/unsubscribe?token=${encodeURIComponent(token)}">
          <button type="submit">Unsubscribe ${email}</button>
        </form>`,
    );
  });

  app.post('/unsubscribe', async (c) => {
    const body = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const token = c.req.query('token') ?? (typeof body.token === 'string' ? body.token : '');
    if (!unsubscribe) return c.text('unsubscribe: this process cannot record unsubscribes (the worker serves them)', 404);
    const email = await unsubscribe(token);
    const oneClick = body['List-Unsubscribe'] === 'One-Click';
    if (!email) return oneClick ? c.text('unsubscribe: the link is not valid', 400) : invalid(c);
    ctx.logger.info({ email }, 'digest: unsubscribed');
    if (oneClick) return c.text(`unsubscribed ${email}`);
    return page(c, 'Unsubscribed', html`<h1>Unsubscribed</h1><p>${email} will not receive the weekly digest any more.</p>`);
  });

  return app;
}
