// Model output is untrusted: the reader shows it as text, and the Markdown toggle renders it only through
// renderMarkdown (marked + DOMPurify). DOMPurify needs a real DOM, so this is where the sanitizer is tested
// (tests/unit/renderer/renderMarkdown.test.ts covers the DOM-free layer).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../support/cli';
import { expect, startServe, stopServe, test, type Served } from './serveFixture';

const HOSTILE = [
  '# Heading',
  '**Bold**, a [safe link](https://example.org) and a [bad link](javascript:window.__pwned=4).',
  '<script>window.__pwned=1</script>',
  '<img src=x onerror="window.__pwned=2">',
  '![tracker](http://127.0.0.1:9/pixel.png)',
  '<a href="#" onclick="window.__pwned=3">click</a> <span style="position:fixed;inset:0">overlay</span>',
  '<svg><image href="http://127.0.0.1:9/x.png" /></svg>',
].join('\n\n');

let served: Served;

test.beforeAll(() => {
  const dataDir = mkdtempSync(join(tmpdir(), 'align-e2e-untrusted-'));
  const file = join(dataDir, 'hostile.jsonl');
  writeFileSync(
    file,
    [
      { id: 1, instruction: 'Render <b>this</b>?', output: HOSTILE, generator: 'hostile' },
      { id: 2, instruction: 'A very long word.', output: 'A'.repeat(10_000), generator: 'hostile' },
    ]
      .map((r) => JSON.stringify(r))
      .join('\n'),
  );
  const imported = cli(['--data-dir', dataDir, 'generations', 'import', file, '--lang', 'en', '--name', 'hostile']);
  expect(imported.code, imported.stderr).toBe(0);
  return startServe(dataDir).then((s) => (served = s));
});

test.afterAll(async () => {
  if (served) await stopServe(served);
});

test('outputs are text by default and sanitized Markdown on request', async ({ page }) => {
  const outside: string[] = [];
  page.on('request', (r) => {
    if (!r.url().startsWith(new URL(served.url).origin)) outside.push(r.url());
  });
  await page.goto(`${served.url}#/generations`);
  await expect(page.getByTestId('gen-total')).toHaveText('2 generations');
  await page.getByTestId('gen-row').first().click();

  const output = page.getByTestId('detail-output');
  // Text mode: the markup is shown literally, nothing is parsed.
  await expect(output).toHaveAttribute('data-format', 'text');
  await expect(output).toContainText('<script>window.__pwned=1</script>');
  await expect(page.getByTestId('detail-instruction')).toHaveText('Render <b>this</b>?');

  await page.getByTestId('toggle-markdown').check();
  await expect(output).toHaveAttribute('data-format', 'markdown');
  await expect(output.locator('h1')).toHaveText('Heading');
  await expect(output.locator('strong')).toHaveText('Bold');

  const safe = output.locator('a', { hasText: 'safe link' });
  await expect(safe).toHaveAttribute('href', 'https://example.org');
  await expect(safe).toHaveAttribute('rel', 'noopener noreferrer');
  await expect(safe).toHaveAttribute('target', '_blank');
  await expect(output.locator('a', { hasText: 'bad link' })).not.toHaveAttribute('href', /.*/);

  // Nothing executable, styled or fetching survives.
  expect(await output.locator('script, img, svg, image, iframe, style, [style]').count()).toBe(0);
  const handlers = await output.evaluate((el) =>
    Array.from(el.querySelectorAll('*')).flatMap((n) => Array.from(n.attributes).map((a) => a.name)).filter((n) => n.startsWith('on')),
  );
  expect(handlers).toEqual([]);
  await expect(output).toContainText('[image: tracker]');
  expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned ?? null)).toBeNull();
  expect(outside).toEqual([]);
});

test('a 10k-character word wraps instead of widening the page', async ({ page }) => {
  await page.goto(`${served.url}#/generations`);
  await page.getByTestId('gen-row').nth(1).click();
  await expect(page.getByTestId('detail-output')).toContainText('AAAA');
  const overflow = (el: { scrollWidth: number; clientWidth: number }) => el.scrollWidth - el.clientWidth;
  expect(await page.locator('html').evaluate(overflow)).toBe(0);
  expect(await page.getByTestId('gen-detail').evaluate(overflow)).toBe(0);
});
