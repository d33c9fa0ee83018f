import { createHash } from 'node:crypto';

// Query parameters that only track the click and never select content.
const TRACKING_EXACT = new Set([
  'fbclid',
  'gclid',
  'gclsrc',
  'dclid',
  'gbraid',
  'wbraid',
  'msclkid',
  'yclid',
  'ysclid',
  'twclid',
  'ttclid',
  'igshid',
  'igsh',
  'li_fat_id',
  'mc_cid',
  'mc_eid',
  'mkt_tok',
  '_hsenc',
  '_hsmi',
  'hsctatracking',
  'vero_id',
  'vero_conv',
  'oly_anon_id',
  'oly_enc_id',
  'rb_clickid',
  's_cid',
  'wt.mc_id',
  'wt_mc',
  'ncid',
  'ocid',
  'cmpid',
  'at_medium',
  'at_campaign',
  'at_custom1',
  'at_custom2',
  'at_custom3',
  'at_custom4',
  '_openstat',
  'spm',
  'smid',
  'sr_share',
  'ref_src',
  'from_rss',
  'cid_rss',
]);
const TRACKING_PREFIXES = ['utm_', 'pk_', 'mtm_', 'piwik_', 'matomo_', 'hmb_', 'ga_', '__twitter'];

function isTrackingParam(name: string): boolean {
  const n = name.toLowerCase();
  return TRACKING_EXACT.has(n) || TRACKING_PREFIXES.some((p) => n.startsWith(p));
}

/**
 * A canonical form of an article URL for de-duplication: http(s) only, host lower-cased, default
 * port and fragment dropped, tracking parameters (utm_*, fbclid, gclid, ...) removed. Relative URLs
 * are resolved against `base`. Returns null for anything that is not an http(s) URL.
 */
export function canonicalizeUrl(url: string | null | undefined, base?: string): string | null {
  if (!url) return null;
  let u: URL;
  try {
    u = new URL(url.trim(), base);
  } catch {
    return null;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
  u.hash = '';
  u.username = '';
  u.password = '';
  u.hostname = u.hostname.toLowerCase().replace(/\.$/, '');
  const kept = [...u.searchParams].filter(([k]) => !isTrackingParam(k));
  if (kept.length !== [...u.searchParams].length) {
    u.search = kept.length ? new URLSearchParams(kept).toString() : '';
  }
  let href = u.href;
  if (href.endsWith('?')) href = href.slice(0, -1);
  return href;
}

/**
 * A key for spotting the same headline across feeds: Unicode NFKC, lower case, ё folded to е,
 * punctuation and symbols removed, whitespace collapsed. Works for Latin, Cyrillic and CJK text.
 */
export function titleKey(title: string | null | undefined): string {
  if (!title) return '';
  return title
    .normalize('NFKC')
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[\p{P}\p{S}]+/gu, ' ')
    .replace(/[\s\p{Z}\p{Cc}\p{Cf}]+/gu, ' ')
    .trim();
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Hash of what an item says (title + content or summary), to notice edits of a known item. */
export function contentHash(item: { title: string; content?: string | null; summary?: string | null }): string {
  return sha256Hex(`${item.title}\n${item.content ?? item.summary ?? ''}`);
}

export interface KeyableItem {
  guid?: string | null;
  canonicalUrl?: string | null;
  link?: string | null;
  title?: string | null;
  /** Publication date; ignored when `dateMissing` (the fetch time would change the key each time). */
  published?: Date | null;
  dateMissing?: boolean;
}

/**
 * The identity of an item within its feed: `guid:<GUID>`, else `url:<canonical URL>`, else
 * `hash:<sha256 of title key + date>`. With `ignoreGuid` (see `detectBrokenGuids`) the GUID is skipped.
 */
export function itemKey(item: KeyableItem, opts: { ignoreGuid?: boolean } = {}): string {
  const guid = item.guid?.trim();
  if (guid && !opts.ignoreGuid) return `guid:${guid}`;
  const url = item.canonicalUrl ?? canonicalizeUrl(item.link);
  if (url) return `url:${url}`;
  const date = item.published && !item.dateMissing ? item.published.toISOString() : '';
  return `hash:${sha256Hex(`${titleKey(item.title)}\n${date}`)}`;
}

/**
 * True when a feed has rewritten its GUIDs: among this fetch's items whose canonical URL was also in
 * the previous fetch (at least two of them), none kept its previous GUID. The caller should then key
 * items by URL (`itemKey(item, { ignoreGuid: true })`) so they are not stored again.
 */
export function detectBrokenGuids(
  previous: { guids: Iterable<string>; urls: Iterable<string> },
  items: ReadonlyArray<{ guid?: string | null; canonicalUrl?: string | null }>,
): boolean {
  const prevGuids = new Set(previous.guids);
  const prevUrls = new Set(previous.urls);
  const persisting = items.filter((i) => i.guid && i.canonicalUrl && prevUrls.has(i.canonicalUrl));
  if (persisting.length < 2) return false;
  return persisting.every((i) => !prevGuids.has(i.guid!.trim()));
}
