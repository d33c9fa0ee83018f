import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import { decodeBody } from './charset.ts';
import { isFeedFetchError, type FeedErrorKind } from './errors.ts';
import { htmlToText } from './html-text.ts';
import { fetchSafely, type SafeFetchOptions } from './safe-fetch.ts';

export interface ExtractedArticle {
  title: string | null;
  byline: string | null;
  /** Clean plain text, paragraphs separated by blank lines. */
  text: string;
}

export type FullTextResult = ({ ok: true; finalUrl: string } & ExtractedArticle) | { ok: false; reason: string; kind?: FeedErrorKind };

/** A page download. The default goes through `fetchSafely` (timeout, size cap, SSRF guard). */
export type PageFetcher = (url: string) => Promise<{ url: string; contentType: string | null; body: Uint8Array }>;

export interface FullTextOptions extends Omit<SafeFetchOptions, 'headers'> {
  fetcher?: PageFetcher;
  /** Fewer characters than this means extraction failed (a paywall stub, a cookie wall). Default 200. */
  minLength?: number;
}

/**
 * Extracts the article of an HTML page with @mozilla/readability over linkedom. Pure: no I/O.
 * Returns null when no article is found.
 */
export function extractArticleText(html: string, url: string): ExtractedArticle | null {
  const { document } = parseHTML(html);
  try {
    // Readability reads the base URI for links; linkedom has no navigation, so give it one.
    Object.defineProperty(document, 'baseURI', { value: url, configurable: true });
    Object.defineProperty(document, 'documentURI', { value: url, configurable: true });
  } catch {
    // not needed for text
  }
  const article = new Readability(document as unknown as Document, { charThreshold: 100 }).parse();
  if (!article) return null;
  const text = htmlToText(article.content ?? article.textContent ?? '', 'block');
  if (!text) return null;
  return {
    title: article.title ? htmlToText(article.title, 'inline') || null : null,
    byline: article.byline ? htmlToText(article.byline, 'inline') || null : null,
    text,
  };
}

const defaultFetcher =
  (opts: SafeFetchOptions): PageFetcher =>
  async (url) => {
    const res = await fetchSafely(url, {
      ...opts,
      headers: { accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.5' },
    });
    return { url: res.url, contentType: res.headers.get('content-type'), body: res.body };
  };

/**
 * Fetches an article page and extracts its text, for feeds that carry only a summary. Never
 * throws: failures come back as `{ ok: false, reason }` (with the FeedFetchError kind when the
 * fetch itself failed), because a missing full text should not fail the feed.
 */
export async function fetchFullText(url: string, opts: FullTextOptions = {}): Promise<FullTextResult> {
  const fetcher = opts.fetcher ?? defaultFetcher(opts);
  let page: Awaited<ReturnType<PageFetcher>>;
  try {
    page = await fetcher(url);
  } catch (err) {
    if (isFeedFetchError(err)) return { ok: false, reason: err.message, kind: err.kind };
    return { ok: false, reason: `feeds: full text of ${url}: ${err instanceof Error ? err.message : String(err)}` };
  }
  const type = (page.contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type && type !== 'text/html' && type !== 'application/xhtml+xml') {
    return { ok: false, reason: `feeds: full text of ${page.url}: not an HTML page (${type})` };
  }
  let html: string;
  try {
    html = decodeBody(page.body, page.contentType, { html: true, url: page.url }).text;
  } catch (err) {
    if (isFeedFetchError(err)) return { ok: false, reason: err.message, kind: err.kind };
    throw err;
  }
  let article: ExtractedArticle | null;
  try {
    article = extractArticleText(html, page.url);
  } catch (err) {
    return { ok: false, reason: `feeds: full text of ${page.url}: extraction failed: ${err instanceof Error ? err.message : String(err)}` };
  }
  const minLength = opts.minLength ?? 200;
  if (!article) return { ok: false, reason: `feeds: full text of ${page.url}: no article found` };
  if (article.text.length < minLength) {
    return { ok: false, reason: `feeds: full text of ${page.url}: article too short (${article.text.length} < ${minLength} characters)` };
  }
  return { ok: true, finalUrl: page.url, ...article };
}

/** True when an item has no full content of its own and full-text extraction is worth a fetch. */
export function needsFullText(item: { content: string | null; summary: string | null }, minLength = 500): boolean {
  return (item.content?.length ?? 0) < minLength;
}
