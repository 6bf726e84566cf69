// vitest runs in Node and no DOM library (jsdom, happy-dom) is installed, so DOMPurify cannot run here.
// This file tests what does not need a DOM: the Markdown layer (raw HTML escaped, images as text) and that
// renderMarkdown fails closed without a DOM. The sanitizer itself is exercised in a real browser (Chromium e2e).
import { describe, expect, it } from 'vitest';
import { escapeHtml, markdownToHtml, renderMarkdown } from '../../../src/renderer/src/lib/renderMarkdown';

describe('markdownToHtml', () => {
  it('renders ordinary Markdown', () => {
    const html = markdownToHtml('# Title\n\n**bold** and `code`\n\n- a\n- b');
    expect(html).toContain('<h1>Title</h1>');
    expect(html).toContain('<strong>bold</strong>');
    expect(html).toContain('<code>code</code>');
    expect(html).toMatch(/<ul>\s*<li>a<\/li>/);
  });

  it('shows raw HTML from the model as text, block and inline', () => {
    const html = markdownToHtml('<script>alert(1)</script>\n\nhello <img src=x onerror="alert(2)"> world <b>hi</b>');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toMatch(/<b>/);
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('&lt;img src=x onerror=&quot;alert(2)&quot;&gt;');
  });

  it('turns images into their alt text, so nothing remote is fetched', () => {
    const html = markdownToHtml('![a "cat"](https://example.com/cat.png) and ![](http://x/y.png)');
    expect(html).not.toMatch(/<img/i);
    expect(html).not.toContain('example.com');
    expect(html).toContain('[image: a &quot;cat&quot;]');
    expect(html).toContain('[image]');
  });
});

describe('renderMarkdown without a DOM', () => {
  it('fails closed: returns the escaped source, never unsanitized HTML', () => {
    const out = renderMarkdown('<img src=x onerror=alert(1)> **x**');
    expect(out).toBe(`<pre>${escapeHtml('<img src=x onerror=alert(1)> **x**')}</pre>`);
    expect(out).not.toMatch(/<img/i);
  });
});

describe('escapeHtml', () => {
  it('escapes the five HTML-significant characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });
});
