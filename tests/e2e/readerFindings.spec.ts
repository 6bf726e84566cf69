// Findings where people read (issue 13 item 6), through the real Svelte app in Chromium against the real backend in
// serve mode: a flagged generation shows its badge in the list, filtering by `code-leak` shows exactly the
// generations the detectors flagged with it (as `generations export` reports them), and the detail panel lists
// the finding with its evidence highlighted in the raw output.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, expect } from '@playwright/test';
import { cli } from '../support/cli';
import { REPO } from '../support/paths';
import { startServe, stopServe, type Served } from './serveFixture';

const FIXTURE = join(REPO, 'tests', 'fixtures', 'generations', 'annotate.jsonl');

interface Exported {
  item_id: string;
  output_raw: string;
  findings: { label: string; evidence: { spans: { start: number; end: number }[] } }[];
}

/** A data dir with the fixture's 12 outputs imported (the detectors run on import), and what the export says of them. */
const test = base.extend<{ served: Served & { runId: string; rows: Exported[] } }>({
  served: async ({}, use) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'align-e2e-findings-'));
    const imported = cli(['--data-dir', dataDir, 'generations', 'import', FIXTURE, '--lang', 'en']);
    if (imported.code !== 0) throw new Error(`import failed: ${imported.stderr}`);
    const exported = cli(['--data-dir', dataDir, 'generations', 'export', '--run', imported.lastLine]);
    const rows = exported.stdout.trim().split('\n').map((l) => JSON.parse(l) as Exported);
    const served = await startServe(dataDir);
    await use({ ...served, runId: imported.lastLine, rows });
    await stopServe(served);
  },
});

test('the reader shows critical-error badges, filters by code-leak and highlights the evidence', async ({ page, served }) => {
  const codeLeak = served.rows.filter((r) => r.findings.some((f) => f.label === 'code-leak'));
  const clean = served.rows.filter((r) => r.findings.length === 0);
  expect(codeLeak.length).toBeGreaterThanOrEqual(2);
  expect(codeLeak.length).toBeLessThan(served.rows.length);

  await page.goto(`${served.url}#/models`);
  await page.getByTestId('nav-generations').click();
  await expect(page.getByTestId('gen-total')).toHaveAttribute('data-total', String(served.rows.length));

  // A flagged generation shows its badge; a clean one shows none.
  // One run: a row is known by its item id.
  const row = (r: Exported) => page.getByTestId('gen-row').filter({ has: page.locator('.item').getByText(r.item_id, { exact: true }) });
  await expect(row(codeLeak[0]!).locator('[data-testid="gen-row-badge"][data-label="code-leak"]')).toBeVisible();
  await expect(row(clean[0]!).getByTestId('gen-row-badge')).toHaveCount(0);
  // Not annotated yet: a generation with a suggestion is waiting for an annotator.
  await expect(row(codeLeak[0]!).getByTestId('gen-row-annotation')).toHaveAttribute('data-status', 'pending');

  // Filtering by code-leak: exactly the flagged ones, kept in the URL.
  await page.getByTestId('filter-critical').selectOption('code-leak');
  await expect(page).toHaveURL(/crit=code-leak/);
  await expect(page.getByTestId('gen-total')).toHaveAttribute('data-total', String(codeLeak.length));
  const rows = page.getByTestId('gen-row');
  await expect(rows).toHaveCount(codeLeak.length);
  const shown = (await rows.locator('.item').allTextContents()).map((t) => t.trim()).sort();
  expect(shown).toEqual(codeLeak.map((r) => r.item_id).sort());
  for (let i = 0; i < codeLeak.length; i++) await expect(rows.nth(i).locator('[data-testid="gen-row-badge"][data-label="code-leak"]')).toBeVisible();

  // "none": the others, and nothing flagged among them.
  await page.getByTestId('filter-critical').selectOption('none');
  await expect(page.getByTestId('gen-total')).toHaveAttribute('data-total', String(clean.length));
  await page.getByTestId('filter-critical').selectOption('code-leak');

  // The detail lists the finding and highlights its evidence: the marked text is the span of the raw output.
  const target = codeLeak[0]!;
  await row(target).click();
  const detail = page.getByTestId('gen-detail');
  await expect(detail.locator('[data-testid="detail-finding"][data-label="code-leak"]')).toBeVisible();
  const marks = page.getByTestId('detail-output-raw').locator('[data-testid="evidence-mark"][data-labels~="code-leak"]');
  await expect(marks.first()).toBeVisible();
  const spans = target.findings.filter((f) => f.label === 'code-leak').flatMap((f) => f.evidence.spans);
  const marked = (await marks.allTextContents()).join('');
  expect(marked).toBe(spans.map((s) => target.output_raw.slice(s.start, s.end)).join(''));
  // The raw output is shown whole, as text.
  await expect(page.getByTestId('detail-output-raw')).toHaveText(target.output_raw);

  // A reload keeps the filter.
  await page.reload();
  await expect(page.getByTestId('gen-total')).toHaveAttribute('data-total', String(codeLeak.length));
});

test('Results lists LPR and rates per run × language with n, the numbers of `align rates`', async ({ page, served }) => {
  const { runId } = served;
  const rates = JSON.parse(cli(['--data-dir', served.dataDir, 'rates', '--runs', runId, '--format', 'json']).stdout) as {
    lpr: number | null;
    n: number;
    labels: Record<string, { count: number }>;
  }[];
  expect(rates).toHaveLength(1);

  await page.goto(`${served.url}#/results`);
  const row = page.locator(`[data-testid="run-rates-row"][data-run-id="${runId}"][data-lang="en"]`);
  await expect(row.getByTestId('run-rates-n')).toHaveText(String(served.rows.length));
  await expect(row.getByTestId('run-rates-lpr')).toContainText(rates[0]!.lpr === null ? '–' : `${(100 * rates[0]!.lpr).toFixed(1)}%`);
  const codeLeak = served.rows.filter((r) => r.findings.some((f) => f.label === 'code-leak')).length;
  expect(rates[0]!.labels['code-leak']!.count).toBe(codeLeak);
  await expect(row.locator('td[data-label="code-leak"]')).toContainText(`(${codeLeak})`);
});
