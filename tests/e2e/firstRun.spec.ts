// A new user's first session on an EMPTY data folder, through the real Svelte app in Chromium against the real
// backend in serve mode: the welcome screen opens by itself with the sample dataset already imported, the user
// adds the tiny stories260K model, runs it on 5 sample items and reads the outputs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startLoopbackFileServer } from '../support/loopbackFileServer';
import { REPO, STORIES } from '../support/paths';
import { expect, test } from './serveFixture';

test('first run: welcome screen, sample dataset, add a model, run 5 items, read the outputs', async ({ page, served }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // The URL serve prints, as a user opens it: no view in the hash.
  await page.goto(served.url);

  // 1. The welcome screen, with the workflow in four steps.
  await expect(page.getByTestId('welcome')).toBeVisible();
  await expect(page).toHaveURL(/#\/welcome/);
  await expect(page.locator('.steps > li')).toHaveCount(4);

  // 2. The sample dataset is there: EN/FR/ES, 30 parallel items each.
  const samples = page.getByTestId('welcome-sample-dataset');
  await expect(samples).toHaveCount(3);
  for (const [i, lang] of ['en', 'fr', 'es'].entries()) {
    await expect(samples.nth(i)).toContainText(`sample-${lang}`);
    await expect(samples.nth(i)).toContainText('30 items · parallel');
  }

  // 3. A first model: the local tiny GGUF.
  await page.getByTestId('welcome-model-path').fill(STORIES);
  await page.getByTestId('welcome-model-add').click();
  await expect(page.getByTestId('welcome-models')).toContainText('stories260K');
  await expect(page.getByTestId('welcome-models')).toContainText('ready');
  // The recommended downloads are offered (nothing is downloaded here: no internet in tests).
  await page.getByTestId('welcome-show-downloads').click();
  await expect(page.getByTestId('catalogue-row').first()).toBeVisible();
  await page.screenshot({ path: join(REPO, 'test-results', 'screenshots', '0-welcome.png'), fullPage: true });

  // 4. Start working: the run composer, on 5 items of the English sample.
  await page.getByTestId('welcome-done').click();
  await expect(page).toHaveURL(/#\/runs/);
  await page.getByTestId('compose-model-1').check();
  await page.getByTestId('compose-method-zero-shot').check();
  await page.getByTestId('compose-dataset-1').check();
  await page.getByTestId('compose-limit').fill('5');
  await page.getByTestId('compose-max-tokens').fill('16');
  await page.getByTestId('compose-threads').fill('1');
  await expect(page.getByTestId('plan-total')).toContainText('5');
  await page.getByTestId('create-runs').click();
  const run = page.getByTestId('run-row');
  await expect(run).toHaveCount(1);
  await expect(run.getByTestId('run-status')).toHaveText(/done/i, { timeout: 120_000 });

  // 5. The outputs in the reader.
  await page.getByTestId('nav-generations').click();
  await expect(page.getByTestId('gen-total')).toContainText('5');
  await expect(page.getByTestId('gen-row')).toHaveCount(5);
  await page.getByTestId('gen-row').first().click();
  const firstFive = readFileSync(join(REPO, 'resources', 'datasets', 'sample.en.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .slice(0, 5)
    .map((line) => (JSON.parse(line) as { instruction: string }).instruction);
  expect(firstFive).toContain(await page.getByTestId('detail-instruction').textContent());
  await expect(page.getByTestId('detail-output')).toHaveText(/\S/);

  // The welcome screen does not come back once dismissed.
  await page.goto(served.url);
  await expect(page.getByTestId('nav-models')).toBeVisible();
  await expect(page.getByTestId('welcome')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('downloads a GGUF by URL from the Models view, and refuses an HTML page served as .gguf', async ({ page, served }) => {
  // A loopback server stands in for Hugging Face (tests never reach the Hub).
  const server = await startLoopbackFileServer({
    '/models/stories260K.gguf': { kind: 'file', body: readFileSync(STORIES) },
    '/login/model.gguf': { kind: 'html', body: '<!DOCTYPE html><html><head><title>Sign in</title></head><body>Log in</body></html>' },
  });
  try {
    await page.goto(`${served.url}#/models`);
    const panel = page.getByTestId('download-panel');
    await expect(panel.getByTestId('download-folder')).toHaveValue(join(served.dataDir, 'models'));

    await panel.getByTestId('download-uri').fill(server.url('/models/stories260K.gguf'));
    await panel.getByTestId('download-submit').click();
    const row = panel.getByTestId('download-row').first();
    await expect(row.getByTestId('download-status')).toHaveText('done');
    await expect(page.getByTestId('model-row')).toHaveCount(1);
    await expect(page.getByTestId('model-row').getByTestId('model-arch')).toHaveText('llama');

    await panel.getByTestId('download-uri').fill(server.url('/login/model.gguf'));
    await panel.getByTestId('download-submit').click();
    const failed = panel.locator('[data-testid="download-row"][data-status="failed"]');
    await expect(failed.getByTestId('download-row-error')).toContainText('HTML page');
    await expect(page.getByTestId('model-row')).toHaveCount(1);
  } finally {
    await server.close();
  }
});
