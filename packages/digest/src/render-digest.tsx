/**
 * Renders a digest as an e-mail: a subject that says what happened, an HTML part built for mail
 * clients (tables for layout, inline styles, no scripts, no external assets; hono/jsx, so every value
 * is escaped) and a plain-text part. Pure.
 */
import type { Child } from 'hono/jsx';
import { STATUSES, stanceLabel, statusLabel, statusWord, type Status } from '@signpost/vocabulary';
import {
  selectForSubscriber,
  summarizeDigest,
  type Digest,
  type DigestEvidence,
  type DigestForecast,
  type DigestSummary,
} from './build-digest.ts';
import { fellDueSentence, newForecastSentence, recordText, resolvedSentence, statusChangeSentence } from './sentences.ts';

export interface DigestRecipient {
  email: string;
  name?: string;
  /** Forecast ids or tags; unset means every forecast. */
  follow?: string[];
}

export interface RenderOptions {
  /** The dashboard's public base URL (SIGNPOST_PUBLIC_URL); every link is absolute. */
  publicUrl: string;
  /** This recipient's unsubscribe link (a signed token); omitted in previews. */
  unsubscribeUrl?: string;
  /** Include the section on failing feeds (digest.yaml options.includeFeedHealth). Default true. */
  includeFeedHealth?: boolean;
  /** Evidence items shown per side and forecast before "N more on the dashboard". Default 5. */
  maxEvidence?: number;
  /** A notice shown at the top of both parts (e.g. that the content is an example). */
  banner?: string;
}

export interface RenderedDigest {
  subject: string;
  html: string;
  text: string;
  /** The subscriber's view had nothing new in it (skipWhenUnchanged uses this). */
  unchanged: boolean;
}

/** The dashboard's status labels (@signpost/vocabulary), by status. */
export const STATUS_LABELS = Object.fromEntries(STATUSES.map((st) => [st, statusLabel(st)])) as Record<Status, string>;

const STATUS_COLOURS: Record<Status, string> = {
  holding: '#1a7f37',
  contested: '#9a6700',
  'under-pressure': '#cf222e',
  'no-evidence': '#57606a',
  'resolved-true': '#1a7f37',
  'resolved-false': '#cf222e',
  ambiguous: '#57606a',
};

// Unquoted family names (valid CSS for names made of words): quotes would be escaped in every style attribute.
const FONT = '-apple-system,Segoe UI,Roboto,Helvetica,Arial,Noto Sans,Noto Sans CJK SC,PingFang SC,Microsoft YaHei,sans-serif';
const DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

const formatDate = (d: Date) => DATE.format(d);
const signed = (x: number) => `${x > 0 ? '+' : x < 0 ? '−' : '±'}${Math.abs(x).toFixed(2)}`;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Shortens a statement for a subject line at a word boundary. */
export function shorten(text: string, max = 60): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.]+$/, '')}…`;
}

export function forecastUrl(publicUrl: string, id: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/predictions/${encodeURIComponent(id)}`;
}

/** "16–22 Nov 2026": the window's first and last day. */
export function formatWindow(window: { start: Date; end: Date }): string {
  const last = new Date(window.end.getTime() - 1);
  return `${formatDate(window.start)} – ${formatDate(last)}`;
}

/** A subject line that says what happened, most important first. */
export function digestSubject(digest: Digest, summary: DigestSummary): string {
  const prefix = `Signpost ${digest.week}: `;
  const items: string[] = [
    ...summary.resolved.map((f) => `“${shorten(f.statement)}” ${statusWord(f.after.status)}`),
    ...summary.statusChanges.filter((f) => !f.resolved).map((f) => `“${shorten(f.statement)}” now ${statusWord(f.after.status)}`),
    ...summary.movers.map(
      (f) =>
        `“${shorten(f.statement)}” ${f.after.balance > f.before.balance ? 'gained' : 'lost'} ground (record ${signed(f.after.balance - f.before.balance)})`,
    ),
    ...summary.fellDue.filter((f) => !f.resolved).map((f) => `“${shorten(f.statement)}” fell due`),
  ];
  if (summary.newForecasts.length === 1) items.push(`new forecast “${shorten(summary.newForecasts[0]!.statement)}”`);
  else if (summary.newForecasts.length) items.push(plural(summary.newForecasts.length, 'new forecast'));
  if (items.length === 0 && summary.withEvidence.length) {
    return `${prefix}${plural(summary.articles, 'new article')} on ${plural(summary.withEvidence.length, 'forecast')}, no change in status`;
  }
  if (items.length === 0) return `${prefix}no change in the forecasts you follow`;
  const more = items.length - 1;
  return `${prefix}${items[0]}${more ? ` (+${more} more ${more === 1 ? 'change' : 'changes'})` : ''}`;
}

/** Renders the digest for one recipient: their forecasts only, their name, their unsubscribe link. */
export function renderDigest(digest: Digest, recipient: DigestRecipient, options: RenderOptions): RenderedDigest {
  const mine = selectForSubscriber(digest, recipient.follow);
  const summary = summarizeDigest(mine);
  const subject = digestSubject(mine, summary);
  const context: Context = {
    digest: mine,
    summary,
    recipient,
    options: { includeFeedHealth: true, maxEvidence: 5, ...options },
  };
  return { subject, html: renderHtml(context, subject), text: renderText(context), unchanged: summary.unchanged };
}

interface Context {
  digest: Digest;
  summary: DigestSummary;
  recipient: DigestRecipient;
  options: RenderOptions & { includeFeedHealth: boolean; maxEvidence: number };
}

function lead(ctx: Context): string {
  const { digest, recipient } = ctx;
  const scope = recipient.follow?.length
    ? `the ${plural(digest.forecasts.length, 'forecast')} you follow`
    : `all ${plural(digest.forecasts.length, 'forecast')}`;
  const catchUp = digest.weeks > 1 ? ` This digest catches up on ${digest.weeks} weeks since your last one.` : '';
  const last = new Date(digest.window.end.getTime() - 1);
  return `What changed from ${formatDate(digest.window.start)} to ${formatDate(last)} in ${scope}, and why.${catchUp}`;
}

interface ChangeLine {
  forecast: DigestForecast;
  label: string;
  detail: string;
}

function changeLines(ctx: Context): ChangeLine[] {
  const { summary, digest } = ctx;
  const lines: ChangeLine[] = [];
  const add = (forecast: DigestForecast, sentence: { label: string; detail: string }) => lines.push({ forecast, ...sentence });
  for (const f of summary.resolved) add(f, resolvedSentence(f));
  for (const f of summary.statusChanges.filter((f) => !f.resolved)) add(f, statusChangeSentence(f, digest.weeks));
  for (const f of summary.movers) add(f, statusChangeSentence(f, digest.weeks));
  for (const f of summary.fellDue.filter((f) => !f.resolved)) add(f, fellDueSentence(f));
  for (const f of summary.newForecasts) add(f, newForecastSentence(f));
  return lines;
}

/** "Also counted for “B holds.” (undermines)": one article must not pass for separate evidence under several forecasts. */
function sharedText(e: DigestEvidence): string {
  if (!e.alsoFor.length) return '';
  return `The same article is also counted for ${e.alsoFor.map((x) => `“${shorten(x.statement, 50)}” (${stanceLabel(x.stance)})`).join(', ')}.`;
}

/** The link an analyst follows when a judgment looks wrong: the article on the forecast's page, where it can be corrected. */
function wrongUrl(base: string, f: DigestForecast, e: DigestEvidence): string {
  return `${forecastUrl(base, f.id)}#evidence-${e.articleId}`;
}

function evidenceMeta(e: DigestEvidence): string {
  return [
    e.feeds.join(', '),
    formatDate(e.publishedAt),
    e.overridden ? 'analyst’s verdict' : `confidence ${Math.round(e.confidence * 100)} %`,
  ]
    .filter(Boolean)
    .join(' · ');
}

// ---------------------------------------------------------------- HTML
// hono/jsx escapes every text and attribute value: nothing from the config or the news reaches the
// HTML unescaped, and no call site has to remember to escape it.

const P = `font-family:${FONT};font-size:15px;line-height:1.5;color:#1b1f24;`;
const MUTED = `font-family:${FONT};font-size:13px;line-height:1.45;color:#57606a;`;
const H2 = `font-family:${FONT};font-size:18px;line-height:1.3;font-weight:700;color:#1b1f24;margin:0;`;
const LINK = 'color:#0b57d0;text-decoration:underline;';
const QUIET_LINK = 'color:#57606a;text-decoration:underline;';
const NBSP = '\u00a0';

/** A layout table as mail clients want it (no CSS layout). */
function Table(props: { style?: string; width?: string; children?: Child }) {
  return (
    <table role="presentation" width={props.width ?? '100%'} cellpadding="0" cellspacing="0" border={0} style={props.style}>
      {props.children}
    </table>
  );
}

function Cell(props: { style: string; children?: Child }) {
  return (
    <tr>
      <td style={props.style}>{props.children}</td>
    </tr>
  );
}

function Link(props: { href: string; style?: string; children?: Child }) {
  return (
    <a href={props.href} style={props.style ?? LINK}>
      {props.children}
    </a>
  );
}

function Badge(props: { status: Status }) {
  const colour = STATUS_COLOURS[props.status];
  return (
    <span
      style={`display:inline-block;padding:1px 7px;border:1px solid ${colour};border-radius:10px;color:${colour};font-size:12px;white-space:nowrap;`}
    >
      {statusLabel(props.status)}
    </span>
  );
}

function Section(props: { title: string; children?: Child }) {
  return (
    <>
      <Cell style="padding:20px 28px 4px 28px;border-top:1px solid #d0d7de;">
        <h2 style={H2}>{props.title}</h2>
      </Cell>
      <Cell style="padding:8px 28px 12px 28px;">{props.children}</Cell>
    </>
  );
}

function renderHtml(ctx: Context, subject: string): string {
  const changes = changeLines(ctx);
  const preheader =
    changes
      .slice(0, 2)
      .map((c) => `${shorten(c.forecast.statement, 50)}: ${c.label}`)
      .join(' · ') || lead(ctx);
  return `<!DOCTYPE html>\n${(<EmailDocument ctx={ctx} subject={subject} changes={changes} preheader={preheader} />).toString()}\n`;
}

function EmailDocument(props: { ctx: Context; subject: string; changes: ChangeLine[]; preheader: string }) {
  const { digest, summary, recipient, options } = props.ctx;
  const base = options.publicUrl.replace(/\/+$/, '');
  return (
    <html lang="en" xmlns="http://www.w3.org/1999/xhtml">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <meta name="x-apple-disable-message-reformatting" />
        <title>{props.subject}</title>
      </head>
      <body style="margin:0;padding:0;background:#f4f5f7;">
        <div style="display:none;max-height:0;overflow:hidden;mso-hide:all;">{props.preheader}</div>
        <Table style="background:#f4f5f7;">
          <tr>
            <td align="center" style="padding:24px 8px;">
              <Table width="600" style="width:100%;max-width:600px;background:#ffffff;border:1px solid #d0d7de;border-collapse:collapse;">
                <Cell style="padding:20px 28px;background:#1b1f24;">
                  <span style={`font-family:${FONT};font-size:20px;font-weight:700;color:#ffffff;`}>Signpost</span>
                  <span style={`font-family:${FONT};font-size:14px;color:#d0d7de;`}>
                    {` ${NBSP}weekly digest · ${digest.week} · ${formatWindow(digest.window)}`}
                  </span>
                </Cell>
                {options.banner ? (
                  <Cell style={`padding:12px 28px;background:#fff8c5;border-bottom:1px solid #d4a72c;${P}`}>
                    <strong>{options.banner}</strong>
                  </Cell>
                ) : null}
                <Cell style="padding:20px 28px 8px 28px;">
                  <p style={`${P}margin:0 0 8px 0;`}>{recipient.name ? `Hello ${recipient.name},` : 'Hello,'}</p>
                  <p style={`${P}margin:0;`}>{lead(props.ctx)}</p>
                </Cell>
                <Section title="What changed">
                  {props.changes.length ? (
                    <Table>
                      {props.changes.map((c) => (
                        <Cell style="padding:8px 0;border-bottom:1px solid #eaeef2;vertical-align:top;">
                          <div style={P}>
                            <Link href={forecastUrl(base, c.forecast.id)}>{c.forecast.statement}</Link>
                          </div>
                          <div style={MUTED}>
                            <strong style="color:#1b1f24;">{c.label}</strong> — {c.detail}
                          </div>
                        </Cell>
                      ))}
                    </Table>
                  ) : (
                    <p style={`${P}margin:0;`}>
                      No forecast you follow changed status or moved
                      {summary.withEvidence.length
                        ? '; the new articles below left each record where it was'
                        : ', and no new evidence arrived'}
                      .
                    </p>
                  )}
                </Section>
                {summary.withEvidence.length ? (
                  <Section title="The evidence">
                    {summary.withEvidence.map((f) => (
                      <ForecastEvidence forecast={f} max={options.maxEvidence} base={base} />
                    ))}
                  </Section>
                ) : null}
                {options.includeFeedHealth && digest.feedProblems.length ? (
                  <Section title="Feeds that broke">
                    <Table>
                      {digest.feedProblems.map((f) => (
                        <Cell style="padding:6px 0;border-bottom:1px solid #eaeef2;">
                          <div style={P}>
                            <Link href={f.url}>{f.title}</Link>
                            {f.brokeInWindow ? (
                              <>
                                {' '}
                                <strong style="color:#cf222e;">broke this week</strong>
                              </>
                            ) : null}
                          </div>
                          <div style={MUTED}>{feedProblemDetail(f)}</div>
                        </Cell>
                      ))}
                    </Table>
                    <p style={`${MUTED}margin:8px 0 0 0;`}>
                      <Link href={`${base}/feeds`}>Feed health on the dashboard</Link>
                    </p>
                  </Section>
                ) : null}
                <Cell style="padding:16px 28px 24px 28px;border-top:1px solid #d0d7de;background:#f6f8fa;">
                  <p style={`${MUTED}margin:0 0 6px 0;`}>
                    You receive this because {recipient.email} is subscribed to the Signpost digest ({followText(recipient)}).
                  </p>
                  <p style={`${MUTED}margin:0 0 6px 0;`}>
                    Stances are judged by a machine unless marked as an analyst’s verdict; the quoted sentences are the ones it relied on.
                  </p>
                  <p style={`${MUTED}margin:0 0 6px 0;`}>
                    <Link href={`${base}/`} style={QUIET_LINK}>
                      Open the dashboard
                    </Link>
                    {options.unsubscribeUrl ? (
                      <>
                        {' · '}
                        <Link href={options.unsubscribeUrl} style={QUIET_LINK}>
                          Unsubscribe
                        </Link>
                      </>
                    ) : null}
                  </p>
                </Cell>
              </Table>
            </td>
          </tr>
        </Table>
      </body>
    </html>
  );
}

function ForecastEvidence(props: { forecast: DigestForecast; max: number; base: string }) {
  const { forecast: f, max, base } = props;
  return (
    <Table style="margin:0 0 18px 0;">
      <Cell style="padding:0 0 6px 0;">
        <div style={`${P}font-weight:700;`}>
          <Link href={forecastUrl(base, f.id)} style="color:#1b1f24;text-decoration:none;">
            {f.statement}
          </Link>
        </div>
        <div style={MUTED}>
          <Badge status={f.after.status} />
          {` ${NBSP}${recordText(f.after)}`}
        </div>
      </Cell>
      <Cell style="padding:0;">
        <EvidenceSide forecast={f} side="supporting" title="Supports the forecast" colour="#1a7f37" max={max} base={base} />
        <EvidenceSide forecast={f} side="undermining" title="Undermines the forecast" colour="#cf222e" max={max} base={base} />
        <EvidenceSide forecast={f} side="discussed" title="Discussed it without taking a side" colour="#57606a" max={max} base={base} />
      </Cell>
    </Table>
  );
}

function EvidenceSide(props: {
  forecast: DigestForecast;
  side: 'supporting' | 'undermining' | 'discussed';
  title: string;
  colour: string;
  max: number;
  base: string;
}) {
  const { forecast: f, colour, base } = props;
  const items = f[props.side];
  if (!items.length) return null;
  const shown = items.slice(0, props.max);
  const rest = items.length - shown.length;
  return (
    <>
      <div style={`${MUTED}font-weight:700;color:${colour};margin:6px 0 4px 0;`}>{`${props.title} (${items.length})`}</div>
      {shown.map((e) => (
        <div style="margin:0 0 10px 0;">
          <div style={P}>{e.url ? <Link href={e.url}>{e.title}</Link> : e.title}</div>
          <div style={MUTED}>
            {evidenceMeta(e)} ·{' '}
            <Link href={wrongUrl(base, f, e)} style={QUIET_LINK}>
              Wrong?
            </Link>
          </div>
          {e.alsoFor.length ? <div style={MUTED}>{sharedText(e)}</div> : null}
          {e.quote ? (
            <blockquote
              style={`margin:4px 0 0 0;padding:2px 0 2px 12px;border-left:3px solid ${colour};${P}font-style:italic;color:#33383e;`}
            >{`“${e.quote}”`}</blockquote>
          ) : null}
        </div>
      ))}
      {rest ? (
        <div style={`${MUTED}margin:0 0 10px 0;`}>
          <Link href={forecastUrl(base, f.id)}>{`and ${plural(rest, 'more article')} on the dashboard`}</Link>
        </div>
      ) : null}
    </>
  );
}

function feedProblemDetail(f: Digest['feedProblems'][number]): string {
  const since = f.lastSuccessAt ? `last worked ${formatDate(f.lastSuccessAt)}` : 'has not worked yet';
  return `${f.error} (${plural(f.errorCount, 'failed fetch', 'failed fetches')}; ${since})`;
}

function followText(recipient: DigestRecipient): string {
  return recipient.follow?.length ? `following ${recipient.follow.join(', ')}` : 'all forecasts';
}

// ---------------------------------------------------------------- text

function renderText(ctx: Context): string {
  const { digest, summary, recipient, options } = ctx;
  const base = options.publicUrl.replace(/\/+$/, '');
  const out: string[] = [];
  const heading = (title: string) => out.push('', title.toUpperCase(), '='.repeat(title.length));
  out.push(`Signpost weekly digest · ${digest.week} · ${formatWindow(digest.window)}`);
  if (options.banner) out.push('', `*** ${options.banner} ***`);
  out.push('', recipient.name ? `Hello ${recipient.name},` : 'Hello,', '', lead(ctx));

  heading('What changed');
  const changes = changeLines(ctx);
  if (!changes.length) {
    out.push(
      '',
      `No forecast you follow changed status or moved${summary.withEvidence.length ? '; the new articles below left each record where it was' : ', and no new evidence arrived'}.`,
    );
  }
  for (const c of changes) {
    out.push('', `* ${c.forecast.statement}`, `  ${c.label} — ${c.detail}`, `  ${forecastUrl(base, c.forecast.id)}`);
  }

  if (summary.withEvidence.length) {
    heading('The evidence');
    for (const f of summary.withEvidence) {
      out.push('', `## ${f.statement}`, `   ${statusLabel(f.after.status)}, ${recordText(f.after)} · ${forecastUrl(base, f.id)}`);
      for (const [side, title] of [
        ['supporting', 'Supports the forecast'],
        ['undermining', 'Undermines the forecast'],
        ['discussed', 'Discussed it without taking a side'],
      ] as const) {
        const items = f[side];
        if (!items.length) continue;
        out.push('', `   ${title} (${items.length}):`);
        for (const e of items.slice(0, options.maxEvidence)) {
          out.push('', `   - ${e.title}`, `     ${evidenceMeta(e)}`);
          if (e.alsoFor.length) out.push(`     ${sharedText(e)}`);
          if (e.quote) out.push(`     > “${e.quote}”`);
          if (e.url) out.push(`     ${e.url}`);
          out.push(`     Wrong? ${wrongUrl(base, f, e)}`);
        }
        const rest = items.length - Math.min(items.length, options.maxEvidence);
        if (rest) out.push('', `   and ${plural(rest, 'more article')}: ${forecastUrl(base, f.id)}`);
      }
    }
  }

  if (options.includeFeedHealth && digest.feedProblems.length) {
    heading('Feeds that broke');
    for (const f of digest.feedProblems) {
      out.push('', `* ${f.title}${f.brokeInWindow ? ' (broke this week)' : ''}`, `  ${feedProblemDetail(f)}`, `  ${f.url}`);
    }
    out.push('', `Feed health: ${base}/feeds`);
  }

  out.push('', '-- ', `You receive this because ${recipient.email} is subscribed to the Signpost digest (${followText(recipient)}).`);
  out.push('Stances are judged by a machine unless marked as an analyst’s verdict; the quoted sentences are the ones it relied on.');
  out.push(`Dashboard: ${base}/`);
  if (options.unsubscribeUrl) out.push(`Unsubscribe: ${options.unsubscribeUrl}`);
  return `${out.join('\n')}\n`;
}
