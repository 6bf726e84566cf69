// Truthful prompt language (issue 12 item 5), through the real app in Chromium against the real backend: the
// composer path that used to run the official English URIAL file on French items while everything said "fr" is
// refused with the message; allowed explicitly, the run is "URIAL (en prompt)" in the plan, the queue, the reader
// and the LaTeX table.
import { join } from 'node:path';
import { ASPECTS } from '../../src/shared/judging';
import { openStore } from '../../src/main/store/openStore';
import { cli } from '../support/cli';
import { REPO, STORIES, URIAL_DIR } from '../support/paths';
import { insertVerdict } from '../support/seedResults';
import { expect, test } from './serveFixture';

test('an English URIAL file on French items: refused silently, labelled "URIAL (en prompt)" when allowed', async ({ page, served }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const g = ['--data-dir', served.dataDir];
  expect(cli([...g, 'models', 'add', STORIES]).code).toBe(0);
  expect(cli([...g, 'datasets', 'import', join(REPO, 'resources/datasets/sample.fr.jsonl'), '--lang', 'fr', '--name', 'fr']).code).toBe(0);

  await page.goto(`${served.url}#/runs`);
  await page.getByTestId('compose-model-1').check();
  await page.getByTestId('compose-method-urial').check();
  await page.getByTestId('compose-dataset-1').check();
  await page.getByTestId('compose-limit').fill('2');
  await page.getByTestId('compose-max-tokens').fill('4');
  await page.getByTestId('compose-threads').fill('1');
  await page.getByTestId('compose-context').fill('4096');
  await page.getByTestId('compose-prompt-file').fill(join(URIAL_DIR, 'inst_1k_v4.txt'));

  // The silent case: refused, saying what is wrong and what to do; nothing can be created.
  await expect(page.getByTestId('plan-error')).toContainText('is in "en" but the dataset is "fr"');
  await expect(page.getByTestId('plan-error')).toContainText('URIAL (en prompt)');
  await expect(page.getByTestId('create-runs')).toBeDisabled();

  // Confirmed: planned with the detected language and the label.
  await page.getByTestId('compose-allow-prompt-lang-mismatch').check();
  await expect(page.getByTestId('plan-run')).toHaveCount(1);
  await expect(page.getByTestId('plan-method')).toHaveText('URIAL (en prompt)');
  await expect(page.getByTestId('plan-prompt-lang')).toContainText(/^en \(detected en 0\.\d+\)$/);
  await page.getByTestId('create-runs').click();

  const run = page.getByTestId('run-row');
  await expect(run).toHaveCount(1);
  await expect(run.getByTestId('run-status')).toHaveText(/done/i, { timeout: 120_000 });
  await expect(run.getByTestId('run-method')).toContainText('URIAL (en prompt)');

  // The reader: the list and the detail.
  await page.getByTestId('nav-generations').click();
  await expect(page.getByTestId('gen-total')).toContainText('2');
  const first = page.getByTestId('gen-row').first();
  await expect(first).toContainText('URIAL (en prompt)');
  await first.click();
  await expect(page.getByTestId('gen-detail')).toContainText('URIAL (en prompt)');

  // The LaTeX table of its scores (deterministic verdicts written as a judge run writes them).
  const store = openStore(join(served.dataDir, 'workbench.sqlite'));
  try {
    for (const gen of store.generations.forRun(1)) insertVerdict(store, gen.id, { scores: Object.fromEntries(ASPECTS.map((a) => [a, 4])) });
  } finally {
    store.close();
  }
  const latex = cli([...g, 'results', '--runs', '1', '--format', 'latex', '--group-by', 'language,method']);
  expect(latex.code, latex.stderr).toBe(0);
  expect(latex.stdout).toContain('URIAL (en prompt)');
  expect(latex.stdout).not.toMatch(/\burial\b/);
  expect(errors).toEqual([]);
});
