import RssParser from 'rss-parser';
import { parseFeedDate } from './dates.ts';
import { FeedFetchError } from './errors.ts';
import { htmlToText, truncateText } from './html-text.ts';
import { canonicalizeUrl, contentHash, itemKey } from './identity.ts';

export type FeedFormat = 'rss2' | 'rss1' | 'rss0.9' | 'atom';

/** One entry of a feed, normalised. All text is plain text (HTML stripped, entities decoded). */
export interface FeedItem {
  /** Identity within the feed: `guid:…`, `url:…` or `hash:…` (see `itemKey`). */
  key: string;
  guid: string | null;
  /** Absolute http(s) URL resolved against the feed URL, or null. */
  link: string | null;
  /** `link` without tracking parameters and fragment (see `canonicalizeUrl`). */
  canonicalUrl: string | null;
  title: string;
  author: string | null;
  /** UTC. The fetch time when the feed gave no readable date or one in the future. */
  published: Date;
  /** The feed gave no readable date. */
  dateMissing: boolean;
  /** The feed gave a date after the fetch time (replaced by the fetch time). */
  futureDate: boolean;
  summary: string | null;
  /** Full text when the feed carries it (content:encoded, Atom content), else null. */
  content: string | null;
  /** BCP 47-ish tag (`en`, `ru`, `zh-CN`) from the item, the configured language or the feed. */
  language: string | null;
  categories: string[];
  /** sha256 of title + content/summary: changes when the item is edited. */
  contentHash: string;
}

export interface ParsedFeed {
  format: FeedFormat;
  title: string | null;
  /** The site's home page, absolute. */
  siteUrl: string | null;
  language: string | null;
  /** RSS `<ttl>` or the syndication module's update period, in minutes. */
  ttlMinutes: number | null;
  items: FeedItem[];
  /** Things that were fixed or dropped (duplicate GUIDs, items without anything to show). */
  warnings: string[];
}

export interface ParseFeedOptions {
  /** The URL the feed was fetched from (the final one after redirects): the base for relative links. */
  feedUrl: string;
  /** Fetch time: replaces missing and future dates. */
  now: Date;
  /** Configured language (feeds.yaml); beats the feed's own declaration, loses to an item's. */
  language?: string | null;
}

type Raw = Record<string, unknown>;

/** Text of an xml2js node: a string, `{_: text}`, or nested elements (Atom xhtml). */
function nodeText(node: unknown): string {
  if (node == null) return '';
  if (typeof node === 'string') return node;
  if (typeof node === 'number') return String(node);
  if (Array.isArray(node)) return node.map(nodeText).join(' ');
  if (typeof node === 'object') {
    // xml2js keeps an element's own text in `_` and its child elements as keys, so mixed content
    // (Atom xhtml) loses its order: own text first, then the children's, which is close enough.
    const o = node as Raw;
    const own = typeof o._ === 'string' ? o._ : '';
    const children = Object.entries(o)
      .filter(([k]) => k !== '$' && k !== '_')
      .map(([, v]) => nodeText(v))
      .filter(Boolean);
    return children.length ? [own, ...children].filter(Boolean).join(' ') : own;
  }
  return '';
}

function attr(node: unknown, name: string): string | undefined {
  const a = (node as { $?: Record<string, unknown> } | undefined)?.$?.[name];
  return typeof a === 'string' ? a : undefined;
}

// rss-parser drops a few things we need (format, xml:lang, isPermaLink, raw Atom dates, Atom
// categories) and throws on an unreadable Atom date; this subclass keeps them and never throws there.
const Base = RssParser as unknown as new (opts: object) => Raw;
class CapturingParser extends Base {
  buildAtomFeed(xmlObj: Raw) {
    const feed = (Base.prototype as Raw & { buildAtomFeed: (x: Raw) => Raw }).buildAtomFeed.call(this, xmlObj);
    feed.format = 'atom';
    feed.lang = attr(xmlObj.feed, 'xml:lang');
    return feed;
  }
  buildRSS1(xmlObj: Raw) {
    const feed = (Base.prototype as Raw & { buildRSS1: (x: Raw) => Raw }).buildRSS1.call(this, xmlObj);
    feed.format = 'rss1';
    return feed;
  }
  buildRSS2(xmlObj: Raw) {
    const feed = (Base.prototype as Raw & { buildRSS2: (x: Raw) => Raw }).buildRSS2.call(this, xmlObj);
    feed.format = 'rss2';
    return feed;
  }
  buildRSS0_9(xmlObj: Raw) {
    const feed = (Base.prototype as Raw & { buildRSS0_9: (x: Raw) => Raw }).buildRSS0_9.call(this, xmlObj);
    feed.format = 'rss0.9';
    return feed;
  }
  parseItemAtom(entry: Raw) {
    const { published, updated, ...rest } = entry;
    const item = (Base.prototype as Raw & { parseItemAtom: (x: Raw) => Raw }).parseItemAtom.call(this, rest);
    item.rawDate = nodeText((published as unknown[] | undefined)?.[0]) || nodeText((updated as unknown[] | undefined)?.[0]);
    item.lang = attr(entry, 'xml:lang');
    const cats = entry.category as unknown[] | undefined;
    if (cats) item.categories = cats.map((c) => attr(c, 'term') ?? attr(c, 'label') ?? nodeText(c));
    return item;
  }
  parseItemRss(xmlItem: Raw, itemFields: unknown) {
    const item = (Base.prototype as Raw & { parseItemRss: (x: Raw, f: unknown) => Raw }).parseItemRss.call(this, xmlItem, itemFields);
    item.guidIsPermaLink = attr((xmlItem.guid as unknown[] | undefined)?.[0], 'isPermaLink');
    item.lang = attr(xmlItem, 'xml:lang');
    return item;
  }
}

const entityCache = new Map<string, string>();

/**
 * Makes common real-world breakage parseable by a strict XML parser: HTML named entities (&nbsp;),
 * bare ampersands ("AT&T") and control characters. CDATA sections and comments are left alone.
 */
export function repairXml(xml: string): string {
  let text = xml.replace(/^[\s\ufeff]+/, '');
  text = text.replace(/[\x00-\x08\x0b\x0c\x0e-\x1f]/g, '');
  if (!text.includes('&')) return text;
  return text
    .split(/(<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->)/)
    .map((part, i) => (i % 2 === 1 ? part : repairEntities(part)))
    .join('');
}

function repairEntities(part: string): string {
  // Only ampersands that XML would reject reach the callback: the five XML entities and character
  // references (most of the ampersands in escaped HTML) are passed over by the lookahead.
  return part.replace(
    /&(?!(?:lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);)(([A-Za-z][A-Za-z0-9]*);)?/g,
    (_whole, ref: string | undefined, name: string | undefined) => {
      if (!ref || !name) return '&amp;';
      let decoded = entityCache.get(name);
      if (decoded === undefined) {
        decoded = htmlToText(`&${name};`, 'inline');
        if (decoded === `&${name};` || decoded === '') decoded = '';
        entityCache.set(name, decoded);
      }
      if (!decoded) return `&amp;${name};`;
      return [...decoded].map((ch) => `&#${ch.codePointAt(0)};`).join('');
    },
  );
}

/** `en-us` -> `en-US`, `zh_cn` -> `zh-CN`; null for junk. */
export function normalizeLanguage(tag: string | null | undefined): string | null {
  if (!tag) return null;
  const parts = tag.trim().replace(/_/g, '-').split('-').filter(Boolean);
  if (parts.length === 0 || !/^[a-z]{2,3}$/i.test(parts[0]!)) return null;
  return parts
    .map((p, i) =>
      i === 0
        ? p.toLowerCase()
        : p.length === 2
          ? p.toUpperCase()
          : p.length === 4
            ? p[0]!.toUpperCase() + p.slice(1).toLowerCase()
            : p.toLowerCase(),
    )
    .join('-');
}

const PERIOD_MINUTES: Record<string, number> = { hourly: 60, daily: 1440, weekly: 10080, monthly: 43200, yearly: 525600 };

function ttlOf(feed: Raw): number | null {
  const ttl = Number.parseInt(nodeText(feed.ttl).trim(), 10);
  if (Number.isFinite(ttl) && ttl > 0) return ttl;
  const period = PERIOD_MINUTES[nodeText(feed['sy:updatePeriod']).trim().toLowerCase()];
  if (period) {
    const freq = Number.parseInt(nodeText(feed['sy:updateFrequency']).trim() || '1', 10);
    return Math.max(1, Math.round(period / (Number.isFinite(freq) && freq > 0 ? freq : 1)));
  }
  return null;
}

function absoluteHttpUrl(value: string | null | undefined, base: string): string | null {
  if (!value) return null;
  try {
    const u = new URL(value.trim(), base);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

/**
 * Parses RSS 2.0, RSS 1.0 (RDF), RSS 0.9x and Atom text into normalised items. Pure: no I/O, no
 * clock (`now` is the fetch time). Throws FeedFetchError kind 'parse' for malformed XML or a
 * document that is not a feed.
 */
export async function parseFeed(text: string, opts: ParseFeedOptions): Promise<ParsedFeed> {
  const parser = new CapturingParser({
    // `<rss>` without a version attribute is common enough; read it as RSS 2.0.
    defaultRSS: 2,
    customFields: { feed: ['dc:language', 'sy:updatePeriod', 'sy:updateFrequency'] },
  }) as unknown as { parseString(xml: string): Promise<Raw> };
  let feed: Raw;
  try {
    feed = await parser.parseString(repairXml(text));
  } catch (err) {
    const msg = (err instanceof Error ? err.message : String(err)).replace(/\s*\n\s*/g, ', ').trim();
    throw new FeedFetchError('parse', `cannot parse the feed at ${opts.feedUrl}: ${msg}`, { url: opts.feedUrl, cause: err });
  }
  const warnings: string[] = [];
  const feedLanguage = normalizeLanguage(nodeText(feed.language) || nodeText(feed['dc:language']) || (feed.lang as string | undefined));
  const fallbackLanguage = normalizeLanguage(opts.language) ?? feedLanguage;
  const format = (feed.format as FeedFormat | undefined) ?? 'rss2';
  const rawItems = (feed.items as Raw[] | undefined) ?? [];
  const items: FeedItem[] = [];
  rawItems.forEach((raw, index) => {
    const item = normalizeItem(raw, format, opts, fallbackLanguage);
    if (item) items.push(item);
    else warnings.push(`item ${index + 1}: no title, link or text; dropped`);
  });
  return {
    format,
    title: htmlToText(nodeText(feed.title), 'inline') || null,
    siteUrl: absoluteHttpUrl(nodeText(feed.link), opts.feedUrl),
    language: feedLanguage,
    ttlMinutes: ttlOf(feed),
    items: dedupeItems(items, warnings),
    warnings,
  };
}

function normalizeItem(raw: Raw, format: FeedFormat, opts: ParseFeedOptions, fallbackLanguage: string | null): FeedItem | null {
  const isAtom = format === 'atom';
  const guid = nodeText(isAtom ? raw.id : raw.guid).trim() || null;
  let link = absoluteHttpUrl(nodeText(raw.link), opts.feedUrl);
  if (!link && guid && raw.guidIsPermaLink !== 'false' && /^https?:\/\//i.test(guid)) link = absoluteHttpUrl(guid, opts.feedUrl);
  if (!link && typeof raw['rdf:about'] === 'string') link = absoluteHttpUrl(raw['rdf:about'], opts.feedUrl);

  const summaryHtml = nodeText(isAtom ? raw.summary : raw.content);
  const contentHtml = nodeText(isAtom ? raw.content : raw['content:encoded']);
  const content = htmlToText(contentHtml, 'block') || null;
  const summary = htmlToText(summaryHtml, 'block') || (content ? truncateText(content, 500) : null);

  let title = htmlToText(nodeText(raw.title), 'inline');
  if (!title) title = summary ? truncateText(summary.replace(/\s+/g, ' '), 120) : (link ?? '');
  if (!title) return null;

  const rawDate = isAtom ? nodeText(raw.rawDate) : nodeText(raw.pubDate) || nodeText(raw.date) || nodeText(raw['dc:date']);
  const parsed = parseFeedDate(rawDate);
  const futureDate = parsed !== null && parsed.getTime() > opts.now.getTime();
  const published = parsed && !futureDate ? parsed : new Date(opts.now.getTime());

  const categories = ((raw.categories as unknown[] | undefined) ?? [])
    .map((c) => htmlToText(nodeText(c), 'inline'))
    .filter((c) => c.length > 0);

  const base = {
    guid,
    link,
    canonicalUrl: canonicalizeUrl(link),
    title,
    author: htmlToText(nodeText(raw.creator) || nodeText(raw.author), 'inline') || null,
    published,
    dateMissing: parsed === null,
    futureDate,
    summary,
    content,
    language: normalizeLanguage(nodeText(raw.language) || (raw.lang as string | undefined)) ?? fallbackLanguage,
    categories,
  };
  return { ...base, key: itemKey(base), contentHash: contentHash(base) };
}

/**
 * Within one fetch: a GUID shared by items with different URLs is not an identity (those items are
 * keyed by URL instead); exact repeats of a key keep the first occurrence.
 */
function dedupeItems(items: FeedItem[], warnings: string[]): FeedItem[] {
  const urlsByGuid = new Map<string, Set<string>>();
  for (const it of items) {
    if (!it.guid) continue;
    const set = urlsByGuid.get(it.guid) ?? new Set<string>();
    set.add(it.canonicalUrl ?? '');
    urlsByGuid.set(it.guid, set);
  }
  const seen = new Set<string>();
  const out: FeedItem[] = [];
  for (const it of items) {
    let item = it;
    if (it.guid && (urlsByGuid.get(it.guid)?.size ?? 0) > 1) {
      item = { ...it, key: itemKey(it, { ignoreGuid: true }) };
      warnings.push(`GUID "${it.guid}" is shared by items with different links; keyed by link`);
    }
    if (seen.has(item.key)) {
      warnings.push(`duplicate item ${item.key}; kept the first`);
      continue;
    }
    seen.add(item.key);
    out.push(item);
  }
  return out;
}
