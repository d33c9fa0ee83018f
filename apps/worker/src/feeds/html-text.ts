import { Parser } from 'htmlparser2';

// Elements whose content is never readable text.
const SKIPPED = new Set(['script', 'style', 'noscript', 'template', 'iframe', 'object', 'embed', 'svg', 'math', 'head', 'select', 'button']);
const BLOCKS = new Set([
  'p', 'div', 'li', 'ul', 'ol', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'tr', 'table', 'blockquote', 'section',
  'article', 'header', 'footer', 'aside', 'nav', 'pre', 'hr', 'figure', 'figcaption', 'dd', 'dt', 'dl', 'main', 'address',
]);

/**
 * HTML (or text with entities) to plain text: tags removed, entities decoded, script/style content
 * dropped. `inline` (titles, names) folds all whitespace to single spaces; `block` keeps paragraph
 * breaks as blank lines.
 */
export function htmlToText(html: string | null | undefined, mode: 'inline' | 'block' = 'block'): string {
  if (!html) return '';
  // Fast path: nothing to strip or decode.
  if (!/[<&]/.test(html)) return normalize(html, mode);
  let out = '';
  let skipDepth = 0;
  const parser = new Parser(
    {
      onopentag(name) {
        if (SKIPPED.has(name)) skipDepth++;
        else if (name === 'br') out += '\n';
        else if (BLOCKS.has(name)) out += '\n\n';
        else if (name === 'td' || name === 'th') out += ' ';
      },
      onclosetag(name, isImplied) {
        if (SKIPPED.has(name)) skipDepth = Math.max(0, skipDepth - 1);
        else if (BLOCKS.has(name) && !isImplied) out += '\n\n';
      },
      ontext(text) {
        if (skipDepth === 0) out += text;
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
const SPACE_RUNS = /[\t\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]{2,}|[\t\v\f\r\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]/g;

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
