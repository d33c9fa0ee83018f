import iconv from 'iconv-lite';
import { FeedFetchError } from './errors.ts';

export type CharsetSource = 'bom' | 'header' | 'declaration' | 'meta' | 'default';

export interface DetectedCharset {
  /** The decoder used, an iconv-lite name (e.g. `utf-8`, `windows-1251`, `gb18030`). */
  charset: string;
  source: CharsetSource;
}

// Labels that real servers use for a superset encoding (as the WHATWG Encoding standard does):
// GB2312 pages routinely contain GBK characters, and "latin1" ones contain cp1252 quotes.
const LABEL_ALIASES: Record<string, string> = {
  gb2312: 'gb18030',
  gbk: 'gb18030',
  'x-gbk': 'gb18030',
  'gb_2312-80': 'gb18030',
  csgb2312: 'gb18030',
  chinese: 'gb18030',
  gb18030: 'gb18030',
  'iso-8859-1': 'windows-1252',
  'iso8859-1': 'windows-1252',
  latin1: 'windows-1252',
  'us-ascii': 'windows-1252',
  ascii: 'windows-1252',
  'x-cp1251': 'windows-1251',
  cp1251: 'windows-1251',
  'win-1251': 'windows-1251',
  utf8: 'utf-8',
  'unicode-1-1-utf-8': 'utf-8',
  'x-euc-jp': 'euc-jp',
};

/** Maps a charset label to the decoder name we use, or null when iconv-lite cannot decode it. */
export function normalizeCharsetLabel(label: string | null | undefined): string | null {
  if (!label) return null;
  const l = label
    .trim()
    .replace(/^["']|["']$/g, '')
    .toLowerCase();
  if (!l) return null;
  const mapped = LABEL_ALIASES[l] ?? l;
  return iconv.encodingExists(mapped) ? mapped : null;
}

function bomCharset(buf: Uint8Array): string | null {
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return 'utf-8';
  if (buf[0] === 0xff && buf[1] === 0xfe) return 'utf-16le';
  if (buf[0] === 0xfe && buf[1] === 0xff) return 'utf-16be';
  return null;
}

/** The raw charset label from a Content-Type header, if any. */
export function headerCharsetLabel(contentType: string | null | undefined): string | null {
  return /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '')?.[1] ?? null;
}

/** The raw encoding label of an XML declaration at the start of the body, if any. */
export function declarationCharsetLabel(buf: Uint8Array): string | null {
  const head = Buffer.from(buf.buffer, buf.byteOffset, Math.min(buf.byteLength, 1024)).toString('latin1');
  return /^\s*<\?xml[^>]*?encoding\s*=\s*["']([^"']+)["']/i.exec(head)?.[1] ?? null;
}

/** The charset named by `<meta charset>` or `<meta http-equiv="content-type">` early in an HTML page. */
export function metaCharsetLabel(buf: Uint8Array): string | null {
  const head = Buffer.from(buf.buffer, buf.byteOffset, Math.min(buf.byteLength, 4096)).toString('latin1');
  return /<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)/i.exec(head)?.[1] ?? null;
}

function isValidUtf8(buf: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(buf);
    return true;
  } catch {
    return false;
  }
}

/**
 * Picks the charset of a feed body: BOM, then the HTTP Content-Type charset, then the XML
 * declaration (or an HTML `<meta charset>` with `html: true`), then UTF-8. One exception to the order:
 * when the header says UTF-8 but the bytes are not UTF-8 and the document itself names another
 * charset, the document wins (a server-wide `charset=utf-8` default is a common misconfiguration).
 */
export function detectCharset(contentType: string | null | undefined, buf: Uint8Array, opts: { html?: boolean } = {}): DetectedCharset {
  const bom = bomCharset(buf);
  if (bom) return { charset: bom, source: 'bom' };
  const docLabel = opts.html ? metaCharsetLabel(buf) : declarationCharsetLabel(buf);
  const docCharset = normalizeCharsetLabel(docLabel);
  const docSource: CharsetSource = opts.html ? 'meta' : 'declaration';
  const header = normalizeCharsetLabel(headerCharsetLabel(contentType));
  if (header) {
    if (header === 'utf-8' && docCharset && docCharset !== 'utf-8' && !isValidUtf8(buf)) {
      return { charset: docCharset, source: docSource };
    }
    return { charset: header, source: 'header' };
  }
  if (docCharset) {
    // A UTF-16 declaration in a body without BOM that is readable as ASCII is a lie.
    if (docCharset.startsWith('utf-16') || docCharset.startsWith('utf16')) return { charset: 'utf-8', source: 'default' };
    return { charset: docCharset, source: docSource };
  }
  return { charset: 'utf-8', source: 'default' };
}

/**
 * Decodes a fetched body to text (BOM removed). Throws FeedFetchError kind 'charset' when the body
 * names a charset we cannot decode and is not UTF-8 either, or names none and is far from valid UTF-8.
 * A few invalid sequences in a UTF-8 body are replaced by U+FFFD and counted (`invalidSequences`).
 */
export function decodeBody(
  buf: Uint8Array,
  contentType: string | null | undefined,
  opts: { html?: boolean; url?: string } = {},
): { text: string; charset: string; source: CharsetSource; invalidSequences: number } {
  const detected = detectCharset(contentType, buf, opts);
  const declared = headerCharsetLabel(contentType) ?? (opts.html ? metaCharsetLabel(buf) : declarationCharsetLabel(buf));
  if (detected.source === 'default' && !isValidUtf8(buf)) {
    const unknown = declared && !normalizeCharsetLabel(declared);
    const text = Buffer.from(buf).toString('utf8');
    const bad = countReplacements(text) - countLiteralReplacementChars(Buffer.from(buf));
    if (unknown || bad > Math.max(3, text.length / 200)) {
      throw new FeedFetchError(
        'charset',
        unknown
          ? `cannot decode ${opts.url ?? 'body'}: unsupported charset "${declared}" and the body is not UTF-8`
          : `cannot decode ${opts.url ?? 'body'}: it names no charset and is not UTF-8 (${bad} invalid sequences)`,
        { url: opts.url },
      );
    }
  }
  let text = iconv.decode(Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength), detected.charset);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  // Bytes that are not UTF-8 in a UTF-8 body become U+FFFD: say how many, so it is not silent.
  const invalidSequences =
    detected.charset === 'utf-8' && !isValidUtf8(buf) ? countReplacements(text) - countLiteralReplacementChars(Buffer.from(buf)) : 0;
  return { text, charset: detected.charset, source: detected.source, invalidSequences };
}

function countReplacements(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\ufffd'); i !== -1; i = s.indexOf('\ufffd', i + 1)) n++;
  return n;
}

function countLiteralReplacementChars(buf: Buffer): number {
  const seq = Buffer.from([0xef, 0xbf, 0xbd]);
  let n = 0;
  for (let i = buf.indexOf(seq); i !== -1; i = buf.indexOf(seq, i + 3)) n++;
  return n;
}
