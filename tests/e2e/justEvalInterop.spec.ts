// just-eval interop in the real Svelte app (Chromium, serve mode): a leaderboard to_eval.json imported as
// generations joined to the Just-Eval dataset (and refused, naming the item, when an id is unknown), and the
// original Just-Eval rubrics shown as read from the official files, without a stored prompt.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JUST_EVAL_EN, SHARED } from '../support/paths';
import { expect, test } from './serveFixture';

const TO_EVAL = join(SHARED, 'data', 'just_eval', 'leaderboard_dev', 'Yi-6B-Chat.to_eval.json');

test('generations imported from a to_eval.json, joined to the dataset by id', async ({ page, served }) => {
  test.setTimeout(300_000);
  const dir = mkdtempSync(join(tmpdir(), 'align-e2e-to-eval-'));
  try {
    await page.goto(`${served.url}#/datasets`);
    await page.getByTestId('import-path').fill(JUST_EVAL_EN);
    await page.getByTestId('import-lang').selectOption('en');
    await page.getByTestId('import-name').fill('just-eval-en');
    await page.getByTestId('import-submit').click();
    await expect(page.getByTestId('dataset-row')).toHaveCount(1);

    // An id the dataset does not have: refused, naming the item and the dataset; nothing is stored.
    const unknown = join(dir, 'unknown.json');
    const [first] = JSON.parse(readFileSync(TO_EVAL, 'utf8')) as Record<string, unknown>[];
    writeFileSync(unknown, JSON.stringify([{ ...first, id: 4242 }]));
    await page.getByTestId('gen-import-path').fill(unknown);
    await page.getByTestId('gen-import-lang').fill('en');
    await page.getByTestId('gen-import-dataset').selectOption({ label: 'just-eval-en (en)' });
    await page.getByTestId('gen-import-submit').click();
    await expect(page.getByTestId('gen-import-error')).toContainText('unknown.json: item "4242" is not in dataset "just-eval-en"');
    await expect(page.getByTestId('dataset-row')).toHaveCount(1);

    await page.getByTestId('gen-import-path').fill(TO_EVAL);
    await page.getByTestId('gen-import-name').fill('Yi-6B-Chat');
    await page.getByTestId('gen-import-submit').click();
    await expect(page.getByTestId('gen-import-done')).toContainText(/Imported 1,?000 generations as run “Yi-6B-Chat”/);
    // Joined: no dataset of the file's instructions was made.
    await expect(page.getByTestId('dataset-row')).toHaveCount(1);

    // The imported run is listed with the others, ready to judge.
    await page.getByTestId('nav-runs').click();
    await expect(page.getByText('Yi-6B-Chat', { exact: true }).first()).toBeVisible();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the original Just-Eval rubrics are read from the official files, with no prompt to show or edit', async ({ page, served }) => {
  await page.goto(`${served.url}#/judges?tab=rubrics`);
  const original = page.locator('[data-testid="rubric-version"]', { hasText: 'just-eval-original-multi@1' });
  await expect(original).toContainText('read from the official files');
  await original.click();
  const detail = page.getByTestId('rubric-detail');
  await expect(detail).toHaveAttribute('data-version', 'just-eval-original-multi@1');
  await expect(page.getByTestId('rubric-official')).toContainText('_MULTI_SCORE_TEMPLATE.py');
  await expect(page.getByTestId('rubric-edit')).toHaveCount(0);
  await expect(detail.locator('pre')).toHaveCount(0);
  // Our adaptation still shows its prompt and can be copied.
  await page.locator('[data-testid="rubric-version"]', { hasText: 'just-eval-aspects@1' }).click();
  await expect(page.getByTestId('rubric-edit')).toBeVisible();
  await expect(detail.locator('pre').first()).toBeVisible();
});
