import { parseDocument as parseXmlDocument } from 'htmlparser2';
import { isMap, isSeq, parseDocument, YAMLMap, YAMLSeq } from 'yaml';
import { canonicalizeUrl } from './identity.ts';
import { normalizeLanguage } from './parse-feed.ts';

/** A problem with the OPML file or the existing feeds.yaml; message starts with `feeds: `. */
export class OpmlImportError extends Error {
  override readonly name = 'OpmlImportError';
  constructor(message: string) {
    super(`feeds: ${message}`);
  }
}

export interface ImportedFeed {
  url: string;
  title?: string;
  language?: string;
  tags: string[];
}

export interface OpmlImportResult {
  /** The new feeds.yaml text: the old text (comments kept) with the new entries appended. */
  yamlText: string;
  added: ImportedFeed[];
  skipped: Array<{ url: string | null; title: string | null; reason: string }>;
}

// The parts of htmlparser2's DOM nodes we read.
interface Element {
  type: string;
  name: string;
  attribs: Record<string, string>;
  children: unknown[];
}

function attrOf(el: Element, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [k, v] of Object.entries(el.attribs)) if (k.toLowerCase() === wanted) return v.trim() || undefined;
  return undefined;
}

function childElements(el: { children: unknown[] }, name: string): Element[] {
  return el.children.filter((c): c is Element => (c as Element).type === 'tag' && (c as Element).name.toLowerCase() === name);
}

function toTag(label: string): string {
  return label
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
}

/** Reads the feed outlines of an OPML document, with folder names (and `category`) as tags. */
export function readOpmlOutlines(
  opmlText: string,
  source = 'the OPML file',
): Array<{ url: string | null; title: string | null; language: string | null; tags: string[] }> {
  const doc = parseXmlDocument(opmlText, { xmlMode: true, decodeEntities: true });
  const opml = childElements(doc as unknown as { children: unknown[] }, 'opml')[0];
  const body = opml ? childElements(opml, 'body')[0] : undefined;
  if (!body) throw new OpmlImportError(`${source} is not an OPML file (expected <opml><body>…</body></opml>)`);
  const out: ReturnType<typeof readOpmlOutlines> = [];
  const walk = (parent: Element, folders: string[]) => {
    for (const o of childElements(parent, 'outline')) {
      const url = attrOf(o, 'xmlUrl') ?? null;
      const title = attrOf(o, 'title') ?? attrOf(o, 'text') ?? null;
      const children = childElements(o, 'outline');
      if (!url && children.length > 0) {
        walk(o, title ? [...folders, title] : folders);
        continue;
      }
      if (!url && attrOf(o, 'type')?.toLowerCase() !== 'rss') continue; // a plain label
      const categories = (attrOf(o, 'category') ?? '')
        .split(/[,/]/)
        .map((c) => c.trim())
        .filter(Boolean);
      const tags = [...new Set([...folders, ...categories].map(toTag).filter(Boolean))];
      out.push({ url, title, language: normalizeLanguage(attrOf(o, 'language')), tags });
    }
  };
  walk(body, []);
  return out;
}

/**
 * Adds the feeds of an OPML export to the text of feeds.yaml. Pure. Keeps the existing file's
 * comments and layout (yaml Document API) and appends new entries at the end of `feeds:`. Feeds
 * already listed (same canonical URL), repeated in the OPML, or not http(s) are skipped with a reason.
 */
export function importOpml(opmlText: string, existingFeedsYamlText: string, opts: { source?: string } = {}): OpmlImportResult {
  const outlines = readOpmlOutlines(opmlText, opts.source);
  const doc = parseDocument(existingFeedsYamlText ?? '', { keepSourceTokens: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const line = e.linePos?.[0]?.line;
    throw new OpmlImportError(`feeds.yaml${line ? `:${line}` : ''}: cannot read it: ${e.message.split('\n')[0]}`);
  }
  if (doc.contents !== null && !isMap(doc.contents)) {
    throw new OpmlImportError('feeds.yaml: expected a mapping with a "feeds" list at the top');
  }
  let seq = doc.get('feeds', true);
  if (seq === undefined || seq === null || (!isSeq(seq) && (seq as { value?: unknown }).value == null)) {
    seq = new YAMLSeq();
    doc.set('feeds', seq);
  }
  if (!isSeq(seq)) throw new OpmlImportError('feeds.yaml: "feeds" must be a list');
  const list = seq as YAMLSeq;
  list.flow = false;

  const known = new Map<string, string>();
  for (const item of list.items) {
    const url = isMap(item) ? item.get('url') : undefined;
    if (typeof url === 'string') known.set(canonicalizeUrl(url) ?? url, 'already in feeds.yaml');
  }

  const added: ImportedFeed[] = [];
  const skipped: OpmlImportResult['skipped'] = [];
  for (const o of outlines) {
    if (!o.url) {
      skipped.push({ url: null, title: o.title, reason: 'no xmlUrl' });
      continue;
    }
    const canonical = canonicalizeUrl(o.url);
    if (!canonical) {
      skipped.push({ url: o.url, title: o.title, reason: 'not an http(s) URL' });
      continue;
    }
    const parsed = new URL(o.url);
    if (parsed.username || parsed.password) {
      parsed.username = parsed.password = '';
      skipped.push({
        url: `${parsed.protocol}//***@${parsed.href.slice(parsed.protocol.length + 2)}`,
        title: o.title,
        reason: 'holds a user name or password, which feeds.yaml must not (they would show on the dashboard and in logs)',
      });
      continue;
    }
    const seen = known.get(canonical);
    if (seen) {
      skipped.push({ url: o.url, title: o.title, reason: seen });
      continue;
    }
    known.set(canonical, 'listed twice in the OPML file');
    const feed: ImportedFeed = { url: new URL(o.url).href.replace(/#.*$/, ''), tags: o.tags };
    if (o.title) feed.title = o.title;
    if (o.language) feed.language = o.language;
    added.push(feed);
    const node = doc.createNode(
      Object.fromEntries(
        Object.entries({
          url: feed.url,
          title: feed.title,
          language: feed.language,
          tags: feed.tags.length ? feed.tags : undefined,
        }).filter(([, v]) => v !== undefined),
      ),
    ) as YAMLMap;
    const tags = node.get('tags', true);
    if (isSeq(tags)) tags.flow = true;
    if (added.length === 1 && opts.source) node.commentBefore = ` imported from ${opts.source}`;
    list.items.push(node);
  }
  const yamlText = added.length > 0 ? doc.toString({ lineWidth: 0, flowCollectionPadding: false }) : existingFeedsYamlText;
  return { yamlText, added, skipped };
}
