// The model library in the real app (browser mode) against the real backend: scan a folder (a good GGUF, an
// HTML page and a truncated download), see hardware and a memory check, group two models in a family and plan
// "every role × the methods that fit", then see a moved file marked missing and locate it.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO, STORIES, STORIES_CHATML } from '../support/paths';
import { expect, test } from './serveFixture';

test('scan, families, memory check, missing file', async ({ page, served }) => {
  const dir = mkdtempSync(join(tmpdir(), 'aw-e2e-models-'));
  try {
    mkdirSync(join(dir, 'base'));
    copyFileSync(STORIES, join(dir, 'base', 'stories.gguf'));
    copyFileSync(STORIES_CHATML, join(dir, 'stories-chat.gguf'));
    writeFileSync(join(dir, 'login-page.gguf'), '<!doctype html><p>Please sign in</p>');
    copyFileSync(STORIES, join(dir, 'partial.gguf'));
    truncateSync(join(dir, 'partial.gguf'), 500_000);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${served.url}#/models`);

    // Hardware as llama.cpp sees it, with the default threads.
    await expect(page.getByTestId('hw-cpu')).toContainText(/\d+ physical core/);
    await expect(page.getByTestId('hw-threads')).toContainText(/default threads: \d+/);

    // A browser cannot tell where a dropped file is: it says so instead of failing silently.
    await page.getByTestId('models-view').evaluate((el) => {
      const data = new DataTransfer();
      data.items.add(new File(['GGUF'], 'dropped.gguf'));
      el.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    });
    await expect(page.getByTestId('add-model-error')).toContainText('Drag and drop needs the desktop app');

    // A folder scan: two models added, each bad file named with what is wrong.
    await page.getByTestId('scan-path').fill(dir);
    await page.getByTestId('scan-submit').click();
    await expect(page.getByTestId('scan-result')).toContainText('Found 4 GGUF files');
    await expect(page.getByTestId('scan-result')).toContainText('2 added, 2 not added');
    await expect(page.getByTestId('scan-failed')).toHaveCount(2);
    await expect(page.getByTestId('scan-failed').filter({ hasText: 'login-page.gguf' })).toContainText('not a GGUF file');
    await expect(page.getByTestId('scan-failed').filter({ hasText: 'partial.gguf' })).toContainText('truncated');
    const rows = page.getByTestId('model-row');
    await expect(rows).toHaveCount(2);
    const base = rows.filter({ hasText: 'base/stories.gguf' });
    const chat = rows.filter({ hasText: 'stories-chat.gguf' });
    await expect(chat.getByTestId('model-chat-template')).toContainText('ChatML');
    await expect(base.getByTestId('model-sha')).toContainText(/^[0-9a-f]{12}…$/);

    // A family: base + SFT.
    await page.getByTestId('family-name').fill('stories260K');
    await page.getByTestId('family-create').click();
    await base.getByTestId('model-family').selectOption({ label: 'stories260K' });
    await expect(base.getByTestId('model-role')).toHaveValue('base');
    await chat.getByTestId('model-family').selectOption({ label: 'stories260K' });
    await expect(chat.getByTestId('model-role')).toHaveValue('sft');
    await expect(page.getByTestId('family')).toContainText('base');
    await expect(page.getByTestId('family')).toContainText('sft');

    // The memory check refuses an absurd context quickly, with the numbers.
    await page.getByTestId('fit-model').selectOption({ label: 'stories' });
    await page.getByTestId('fit-context').fill('2048');
    await page.getByTestId('fit-submit').click();
    await expect(page.getByTestId('fit-result')).toContainText(/^\s*Fits: about [\d.]+ [KMG]iB of RAM/);
    await page.getByTestId('fit-context').fill('300000000');
    await page.getByTestId('fit-submit').click();
    await expect(page.getByTestId('fit-result')).toContainText(/Does not fit: it needs about [\d.]+ TiB of RAM .* does not fit in memory/, { timeout: 5000 });

    // The composer: the family = stories × (zero-shot, URIAL) + stories-chat × chat.
    await page.getByTestId('nav-datasets').click();
    await page.getByTestId('import-path').fill(join(REPO, 'tests/fixtures/datasets/small.json'));
    await page.getByTestId('import-lang').selectOption('en');
    await page.getByTestId('import-name').fill('small');
    await page.getByTestId('import-submit').click();
    await expect(page.getByTestId('dataset-row').filter({ hasText: 'small' })).toHaveCount(1);
    await page.getByTestId('nav-runs').click();
    await page.getByRole('group', { name: 'Families' }).getByRole('checkbox', { name: /stories260K/ }).check();
    const small = page.getByRole('checkbox', { name: /^small/ });
    await small.check();
    await expect(page.getByTestId('plan-run')).toHaveCount(3);
    await expect(page.getByTestId('plan-table')).toContainText('zero-shot');
    await expect(page.getByTestId('plan-table')).toContainText('urial');
    await expect(page.getByTestId('plan-table')).toContainText('chat');
    await page.screenshot({ path: join(REPO, 'test-results', 'screenshots', 'models-family-plan.png'), fullPage: true });
    await page.getByTestId('compose-gpu').selectOption('layers');
    await page.getByTestId('compose-gpu-layers').fill('0');
    await expect(page.getByTestId('plan-run')).toHaveCount(3);
    // The only warning at the default budget: URIAL's preamble alone is longer than stories260K's trained context
    // (issue 14: prompt + max tokens checked with the model's own tokenizer, with the numbers).
    await expect(page.getByTestId('plan-warning')).toHaveCount(1);
    await expect(page.getByTestId('plan-warning')).toContainText(/stories · urial \(en\): the longest prompt plus max tokens exceed the model's trained context: [\d,]+ \+ 1,024 > 2,048 tokens/);
    // An output budget far beyond what these models were trained on: the plan warns, for memory too, before anything runs.
    await page.getByTestId('compose-max-tokens').fill('131072');
    await expect(page.getByTestId('plan-warning').filter({ hasText: "the model's trained context (2,048 tokens)" })).toHaveCount(2);

    // The file moves: the row stays, marked missing, and can be located.
    rmSync(join(dir, 'stories-chat.gguf'));
    await page.getByTestId('nav-models').click();
    await page.reload();
    const moved = page.getByTestId('model-row').filter({ hasText: 'stories-chat.gguf' });
    await expect(moved.getByTestId('model-missing')).toContainText('File not found');
    await moved.getByTestId('model-locate').click();
    copyFileSync(STORIES_CHATML, join(dir, 'moved-chat.gguf'));
    await page.getByTestId('locate-path').fill(join(dir, 'moved-chat.gguf'));
    await page.getByTestId('locate-submit').click();
    await expect(page.getByTestId('model-row').filter({ hasText: 'moved-chat.gguf' })).toHaveCount(1);
    await expect(page.getByTestId('model-missing')).toHaveCount(0);
    await page.screenshot({ path: join(REPO, 'test-results', 'screenshots', 'models-library.png'), fullPage: true });
    expect(errors).toEqual([]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
