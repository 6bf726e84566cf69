/**
 * Model output and dataset instructions are untrusted text. They are shown as text everywhere; this module is
 * the ONLY path by which such text becomes HTML (the "Markdown" toggle), and its output is the only thing the
 * app passes to `{@html}`.
 *
 * Two layers, so that one mistake is not enough:
 * 1. `markdownToHtml` (marked): raw HTML in the source is escaped and shown as text (a model that writes
 *    `<b>` shows `<b>`, which is also more faithful for an evaluation), images become their alt text.
 * 2. DOMPurify with an allow-list of plain formatting tags and attributes: no `style`, no `on*`, no `img`,
 *    no SVG/MathML, no forms or media, and links only to http(s)/mailto, opened outside the app (see the hook).
 * Remote content cannot load: nothing that fetches (img, media, iframes, CSS) survives, and the CSP forbids it.
 * Without a DOM, DOMPurify cannot sanitize and would hand the input back unchanged, so we fail closed and
 * return the escaped source instead.
 */
import DOMPurify from 'dompurify';
import { Marked, type Tokens } from 'marked';

const ALLOWED_TAGS = [
  'p', 'br', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'strong', 'em', 'b', 'i', 'del', 's', 'code', 'pre', 'kbd',
  'sub', 'sup', 'blockquote', 'ul', 'ol', 'li', 'a', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'span',
];
const ALLOWED_ATTR = ['href', 'title', 'align', 'start'];
/** http(s) and mailto only: no javascript:, data:, file: or app-relative links. */
const ALLOWED_URI_REGEXP = /^(?:https?:|mailto:)/i;

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const marked = new Marked({
  async: false,
  gfm: true,
  breaks: true,
  renderer: {
    html: ({ text }: Tokens.HTML | Tokens.Tag) => escapeHtml(text),
    image: ({ text }: Tokens.Image) => (text ? `[image: ${escapeHtml(text)}]` : '[image]'),
  },
});

/** Markdown → HTML with raw HTML escaped and images as text. Not yet sanitized: use `renderMarkdown`. */
export function markdownToHtml(source: string): string {
  return marked.parse(source, { async: false });
}

let purifier: ReturnType<typeof DOMPurify> | null | undefined;

/** A DOMPurify instance of our own (hooks stay local to it), or null where there is no DOM. */
function getPurifier(): ReturnType<typeof DOMPurify> | null {
  if (purifier !== undefined) return purifier;
  if (typeof window === 'undefined') return (purifier = null);
  const p = DOMPurify(window);
  if (!p.isSupported) return (purifier = null);
  p.addHook('afterSanitizeAttributes', (node) => {
    if (node.nodeName === 'A') {
      if (node.hasAttribute('href')) {
        // Never opened inside the app. Desktop: the main process denies the new window and opens http(s) links
        // in the system browser (shell.openExternal, see src/main/guardWebContents.ts); mailto: does nothing.
        // Serve mode: the browser opens a new tab. noopener: neither page gets a handle on the other.
        node.setAttribute('target', '_blank');
        node.setAttribute('rel', 'noopener noreferrer');
      } else {
        node.removeAttribute('target');
      }
    }
  });
  return (purifier = p);
}

/** Sanitized HTML for untrusted Markdown; safe to pass to `{@html}`. */
export function renderMarkdown(source: string): string {
  const p = getPurifier();
  if (!p) return `<pre>${escapeHtml(source)}</pre>`;
  return p.sanitize(markdownToHtml(source), {
    ALLOWED_TAGS,
    // target and rel are set by the hook after sanitizing, never taken from the source.
    ALLOWED_ATTR,
    ALLOWED_URI_REGEXP,
    ALLOW_DATA_ATTR: false,
    ALLOW_ARIA_ATTR: false,
    FORBID_TAGS: ['style', 'img', 'svg', 'math', 'script', 'iframe', 'object', 'embed', 'form', 'input', 'link', 'meta', 'base'],
    FORBID_ATTR: ['style', 'class', 'id', 'srcset', 'src'],
    RETURN_TRUSTED_TYPE: false,
  });
}
