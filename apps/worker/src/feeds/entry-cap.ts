/**
 * A cap on the entries one fetch of a feed may bring, applied to the decoded text before parsing.
 *
 * The byte cap (15 MiB) still lets through a feed of 100,000 short items (issue #8's fault suite:
 * 11 MB). Parsing that costs seconds and 140 MB, then storing, scoring and keeping 100,000 articles
 * from one fetch (before storeFeedItems looked twins up in maps, that one transaction took minutes and
 * a cycle never ended). No news feed publishes thousands of entries between two checks: the first `maxEntries` entries (feeds list
 * the newest first) are kept and the rest cut out of the XML, which stays well-formed because the
 * text after the last entry (`</channel></rss>`, `</rdf:RDF>`, `</feed>`) is kept too.
 */
export const DEFAULT_MAX_ENTRIES = 2_000;

export interface CappedFeedText {
  text: string;
  /** Entries found (closing `</item>` / `</entry>` tags outside CDATA and comments). */
  entries: number;
  /** Entries cut out (0 when the feed is within the cap). */
  dropped: number;
}

// CDATA sections and comments are matched (and passed over) so that a `</item>` inside them does
// not count; an optional namespace prefix covers `</rss:item>` and `</atom:entry>`.
const ENTRY_END = /<!\[CDATA\[[\s\S]*?\]\]>|<!--[\s\S]*?-->|<\/(?:[A-Za-z_][\w.-]*:)?(?:item|entry)\s*>/g;

/** Keeps the first `maxEntries` entries of a feed's XML text (see the module comment). */
export function capFeedEntries(text: string, maxEntries = DEFAULT_MAX_ENTRIES): CappedFeedText {
  if (!Number.isInteger(maxEntries) || maxEntries < 1)
    throw new RangeError(`feeds: maxEntries must be a whole number >= 1 (got ${maxEntries})`);
  let entries = 0;
  let cutAt = -1;
  let lastEnd = -1;
  ENTRY_END.lastIndex = 0;
  for (let m = ENTRY_END.exec(text); m; m = ENTRY_END.exec(text)) {
    if (m[0].charCodeAt(1) === 0x21 /* "!": CDATA or comment */) continue;
    entries++;
    lastEnd = m.index + m[0].length;
    if (entries === maxEntries) cutAt = lastEnd;
  }
  if (entries <= maxEntries) return { text, entries, dropped: 0 };
  return { text: text.slice(0, cutAt) + text.slice(lastEnd), entries, dropped: entries - maxEntries };
}
