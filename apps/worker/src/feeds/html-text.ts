import { Parser } from 'htmlparser2';

// Elements whose content is never readable text (when they are closed: see htmlToText).
const SKIPPED = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'iframe',
  'object',
  'embed',
  'svg',
  'math',
  'head',
  'select',
  'button',
]);
/** In a title, an <svg> or <math> is more likely a word about markup than a picture (issue #14). */
const SKIPPED_INLINE = new Set([...SKIPPED].filter((t) => t !== 'svg' && t !== 'math'));
/**
 * The HTML elements a title may be marked up with; in inline mode their tags are dropped and their
 * text kept. Any other tag in a title (`<svg>`, `List<T>`) is text, kept as written.
 */
const HTML_ELEMENTS = new Set([
  'a',
  'abbr',
  'acronym',
  'address',
  'article',
  'aside',
  'b',
  'bdi',
  'bdo',
  'big',
  'blockquote',
  'br',
  'caption',
  'center',
  'cite',
  'code',
  'col',
  'colgroup',
  'data',
  'dd',
  'del',
  'details',
  'dfn',
  'dir',
  'div',
  'dl',
  'dt',
  'em',
  'figcaption',
  'figure',
  'font',
  'footer',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'i',
  'img',
  'ins',
  'kbd',
  'label',
  'legend',
  'li',
  'main',
  'mark',
  'nav',
  'nobr',
  'ol',
  'p',
  'picture',
  'pre',
  'q',
  'rp',
  'rt',
  'ruby',
  's',
  'samp',
  'section',
  'small',
  'source',
  'span',
  'strike',
  'strong',
  'sub',
  'summary',
  'sup',
  'table',
  'tbody',
  'td',
  'tfoot',
  'th',
  'thead',
  'time',
  'tr',
  'tt',
  'u',
  'ul',
  'var',
  'wbr',
]);
const BLOCKS = new Set([
  'p',
  'div',
  'li',
  'ul',
  'ol',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'tr',
  'table',
  'blockquote',
  'section',
  'article',
  'header',
  'footer',
  'aside',
  'nav',
  'pre',
  'hr',
  'figure',
  'figcaption',
  'dd',
  'dt',
  'dl',
  'main',
  'address',
]);

/**
 * HTML (or text with entities) to plain text: tags removed, entities decoded, script/style content
 * dropped. `inline` (titles, names) folds all whitespace to single spaces, and keeps a tag that is
 * no HTML markup as text (`Why <svg> icons beat fonts`); `block` keeps paragraph breaks as blank
 * lines. An element whose content is dropped but that is never closed keeps its text: an unclosed
 * `<svg …>` once cut the rest of a title (issue #14).
 */
export function htmlToText(html: string | null | undefined, mode: 'inline' | 'block' = 'block'): string {
  if (!html) return '';
  // Fast path: nothing to strip or decode.
  if (!/[<&]/.test(html)) return normalize(html, mode);
  const skipped = mode === 'inline' ? SKIPPED_INLINE : SKIPPED;
  let out = '';
  /** The text inside each open dropped element, outermost first: given back if it is never closed. */
  const held: string[] = [];
  const raw = () => html.slice(parser.startIndex, parser.endIndex + 1);
  const parser: Parser = new Parser(
    {
      onopentag(name) {
        if (skipped.has(name)) held.push('');
        else if (held.length) return;
        else if (mode === 'inline' && !HTML_ELEMENTS.has(name)) out += raw();
        else if (name === 'br') out += '\n';
        else if (BLOCKS.has(name)) out += '\n\n';
        else if (name === 'td' || name === 'th') out += ' ';
      },
      onclosetag(name, isImplied) {
        if (skipped.has(name)) {
          const text = held.pop() ?? '';
          // Closed only by the end of the input: its content was text after all.
          if (isImplied) {
            if (held.length) held[held.length - 1] += text;
            else out += text;
          }
        } else if (held.length) return;
        else if (mode === 'inline' && !HTML_ELEMENTS.has(name)) out += isImplied ? '' : raw();
        else if (BLOCKS.has(name) && !isImplied) out += '\n\n';
      },
      ontext(text) {
        if (held.length) held[held.length - 1] += text;
        else out += text;
      },
    },
    { decodeEntities: true, lowerCaseTags: true, recognizeSelfClosing: true },
  );
  parser.write(html);
  parser.end();
  return normalize(out, mode);
}

// Whitespace other than a newline: JavaScript's \s without \n, spelt out (a negated \S class is
// several times slower over long text). Runs of two or more, or a single one that is not a space.
const SPACE_RUNS =
  /[\t\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]{2,}|[\t\v\f\r\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]/g;

function normalize(text: string, mode: 'inline' | 'block'): string {
  if (mode === 'inline') return text.replace(/[\s\u00a0\u200b]+/g, ' ').trim();
  // Written to touch as little as possible: most text has single spaces and few newlines.
  let t = text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
  t = t.replace(SPACE_RUNS, ' ');
  if (t.includes('\n')) t = t.replace(/ ?\n ?/g, '\n').replace(/\n{3,}/g, '\n\n');
  return t.trim();
}

/** Cuts text to at most `max` characters at a word boundary, adding an ellipsis. */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
