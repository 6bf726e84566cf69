// The researcher's first session, through the real Svelte app in Chromium against the real backend in serve
// mode and the real stories260K model: add a model, import Just-Eval, run zero-shot and URIAL on 10 items,
// watch the queue finish, then read, filter and compare the outputs side by side.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { JUST_EVAL_EN, REPO, STORIES } from '../support/paths';
import { expect, test } from './serveFixture';

const SHOTS = join(REPO, 'test-results', 'screenshots');
mkdirSync(SHOTS, { recursive: true });
const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

test('add a model, import a dataset, run two methods, read and compare the outputs', async ({ page, served }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${served.url}#/models`);

  // 1. The model and what its GGUF metadata says.
  await page.getByTestId('add-model-path').fill(STORIES);
  await page.getByTestId('add-model-submit').click();
  const model = page.getByTestId('model-row');
  await expect(model).toHaveCount(1);
  await expect(model.getByTestId('model-arch')).toHaveText('llama');
  await expect(model.getByTestId('model-params')).toContainText('293');
  await expect(model.getByTestId('model-ctx')).toContainText('2,048');
  await expect(model.getByTestId('model-chat-template')).toContainText(/no/i);
  await shot(page, '1-models');

  // 2. Just-Eval-Instruct (English), imported from its file.
  await page.getByTestId('nav-datasets').click();
  await page.getByTestId('import-path').fill(JUST_EVAL_EN);
  await page.getByTestId('import-lang').selectOption('en');
  await page.getByTestId('import-name').fill('just-eval-en');
  await page.getByTestId('import-preview').click();
  await expect(page.getByTestId('preview-table')).toContainText('What are the names of some famous actors');
  await page.getByTestId('import-submit').click();
  const dataset = page.getByTestId('dataset-row');
  await expect(dataset).toHaveCount(1);
  await expect(dataset.getByTestId('dataset-items')).toContainText(/1,?000/);
  await expect(dataset.getByTestId('dataset-lang')).toContainText('en');
  await shot(page, '2-datasets');

  // 3. 1 model × 2 methods on 10 items: the plan is shown before anything starts.
  await page.getByTestId('nav-runs').click();
  await page.getByTestId('compose-model-1').check();
  await page.getByTestId('compose-method-zero-shot').check();
  await page.getByTestId('compose-method-urial').check();
  await page.getByTestId('compose-dataset-1').check();
  await page.getByTestId('compose-limit').fill('10');
  await page.getByTestId('compose-max-tokens').fill('16');
  await page.getByTestId('compose-threads').fill('1');
  // URIAL's preamble is ~3.4k tokens: a 4096-token context holds it plus the answer.
  await page.getByTestId('compose-context').fill('4096');
  // Any value in range submits (a step attribute would silently block 0.92 at the browser's form validation).
  await page.getByTestId('compose-top-p').fill('0.92');
  await expect(page.getByTestId('plan-total')).toContainText('20');
  await expect(page.getByTestId('plan-run')).toHaveCount(2);
  await shot(page, '3-runs-plan');
  await page.getByTestId('create-runs').click();

  // 4. The queue's progress bars run to the end.
  const runs = page.getByTestId('run-row');
  await expect(runs).toHaveCount(2);
  for (const i of [0, 1]) {
    await expect(runs.nth(i).getByTestId('run-status')).toHaveText(/done/i, { timeout: 120_000 });
    const bar = runs.nth(i).getByTestId('run-progress');
    await expect(bar).toHaveAttribute('max', '10');
    await expect(bar).toHaveAttribute('value', '10');
    await runs.nth(i).getByTestId('run-expand').click();
    await runs.nth(i).getByTestId('run-repro').locator('summary').click();
    await expect(runs.nth(i).getByTestId('run-repro-backend')).toContainText(/contextSize\s*4096/);
    await expect(runs.nth(i).getByTestId('run-repro-sampler')).toContainText(/topP\s*0\.92/);
  }
  await shot(page, '4-runs-done');

  // 5. The reader: filter by method, open an item, compare it across methods.
  await page.getByTestId('nav-generations').click();
  await expect(page.getByTestId('gen-total')).toContainText('20');
  await page.getByTestId('filter-method').selectOption('urial');
  await expect(page.getByTestId('gen-total')).toContainText('10');
  await expect(page).toHaveURL(/method=urial/);
  const first = page.getByTestId('gen-row').first();
  await expect(first).toContainText('urial');
  await first.click();
  const detail = page.getByTestId('gen-detail');
  await expect(detail).toBeVisible();
  await expect(page.getByTestId('detail-instruction')).toHaveText(/\S/);
  await expect(page.getByTestId('detail-finish')).toContainText(/max-tokens|stop|eos/);
  await page.getByTestId('detail-prompt-details').click();
  await expect(page.getByTestId('detail-prompt')).toContainText('# Query:');
  await shot(page, '5-reader-detail');

  await page.getByTestId('toggle-side-by-side').click();
  const columns = page.getByTestId('sbs-column');
  await expect(columns).toHaveCount(2);
  expect((await page.getByTestId('matrix-col-header').allTextContents()).map((t) => t.trim()).sort()).toEqual(['urial', 'zero-shot']);
  await shot(page, '6-side-by-side');

  // The view state is in the URL: a reload restores it.
  await page.reload();
  await expect(page.getByTestId('gen-total')).toContainText('10');
  await expect(page.getByTestId('sbs-column')).toHaveCount(2);
  expect(errors).toEqual([]);
});
