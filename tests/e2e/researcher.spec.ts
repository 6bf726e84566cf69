// The workbench as a researcher reads it (issue 14 A), through the real Svelte app in Chromium against the real
// backend in serve mode: the token gate; the reader matrix (3 languages × 3 methods) with keyboard moves, the
// detail closing when a filter excludes it; focus that never traps; the run table's sort, filter and delete
// (the cascade checked in the store); the welcome ticks; and screenshots of every view in light, dark and 1000×700.
//
// The store: real stories260K generations (EN/FR/ES × zero-shot/custom, seedResults.ts) with seeded verdicts, plus
// per language one imported URIAL run (a third method without the 3.4k-token preamble's minutes), one detector
// finding and one annotation, written through the store's own repositories.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';
import { openStore, type Store } from '../../src/main/store/openStore';
import { REPO, STORIES } from '../support/paths';
import { seedResultsStore, SEEDED_LANGS, type SeededStore } from '../support/seedResults';
import { startServe, stopServe, test as fresh, type Served } from './serveFixture';

const SHOTS = join(REPO, 'test-results', 'screenshots');
mkdirSync(SHOTS, { recursive: true });

interface Seeded extends SeededStore {
  /** Generation id per `${lang}/${method}` of item ITEM. */
  cells: Record<string, number>;
  urialRuns: Record<string, number>;
}

/** The item the matrix opens on; the annotation and the finding are on its French zero-shot generation. */
const ITEM = '1';

const withStore = <T>(dataDir: string, use: (store: Store) => T): T => {
  const store = openStore(join(dataDir, 'workbench.sqlite'));
  try {
    return use(store);
  } finally {
    store.close();
  }
};

async function seed(dataDir: string): Promise<Seeded> {
  const seeded = await seedResultsStore(dataDir);
  return withStore(dataDir, (store) => {
    const urialRuns: Record<string, number> = {};
    for (const lang of SEEDED_LANGS) {
      const dataset = store.datasets.byName(`sample-${lang}`)!;
      const items = store.datasets.items(dataset.id).slice(0, 12);
      const run = store.runs.insert({
        name: `imported urial ${lang}`, kind: 'imported', modelId: null, datasetId: dataset.id, config: null, method: { method: 'urial' },
        environment: {}, status: 'done', itemIds: items.map((i) => i.id),
      });
      urialRuns[lang] = run.id;
      for (const item of items)
        store.generations.insert({
          runId: run.id, itemId: item.id, generator: 'urial-import', prompt: 'imported', outputRaw: `URIAL answer ${lang} ${item.id}`,
          output: `URIAL answer ${lang} ${item.id}`, finishReason: item.id === ITEM ? 'max-tokens' : 'stop', error: null,
          promptTokens: 0, evaluatedPromptTokens: 0, outputTokens: 4, wallMs: 0, tokensPerSecond: 0, seed: 0,
        });
    }
    // The imported runs as one later batch ("Create runs" an hour after the generated ones), whatever the seeding took.
    store.db
      .prepare(`UPDATE runs SET created_at = strftime('%Y-%m-%dT%H:%M:%fZ', created_at, '+1 hour') WHERE id IN (${Object.values(urialRuns).join(',')})`)
      .run();
    const cells: Record<string, number> = {};
    for (const lang of SEEDED_LANGS) {
      for (const method of ['zero-shot', 'custom']) cells[`${lang}/${method}`] = store.generations.forRun(seeded.runs[`${lang}/${method}`]!).find((g) => g.itemId === ITEM)!.id;
      cells[`${lang}/urial`] = store.generations.forRun(urialRuns[lang]!).find((g) => g.itemId === ITEM)!.id;
    }
    const fr = cells['fr/zero-shot']!;
    store.annotations.save(fr, 'ana', { labels: ['wrong-language'] });
    store.detections.save(fr, [
      {
        result: { detector: 'loop', version: 'e2e', signals: {}, findings: [{ label: 'infinite-loop', detector: 'loop', version: 'e2e', score: 1, evidence: { spans: [] } as never }] },
        settings: {},
      },
    ]);
    return { ...seeded, cells, urialRuns };
  });
}

const test = base.extend<{ seeded: { served: Served; data: Seeded } }>({
  seeded: async ({}, use) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'align-e2e-researcher-'));
    const data = await seed(dataDir);
    const served = await startServe(dataDir);
    await use({ served, data });
    await stopServe(served);
  },
});

/** A generation's card in the matrix (the list has a row with the same data-generation-id). */
const card = (page: Page, id: number | undefined) => page.locator(`[data-testid="sbs-column"][data-generation-id="${id}"]`);
const itemParam = (page: Page) => Number(new URLSearchParams(new URL(page.url()).hash.split('?')[1] ?? '').get('item'));

test('the reader matrix: languages × methods, labelled, with scores and badges; arrows move; the detail follows and closes when filtered out', async ({ page, seeded }) => {
  const { served, data } = seeded;
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${served.url}#/generations?item=${data.cells['en/custom']}&sbs=1`);

  await expect(page.getByTestId('matrix-row-header')).toHaveText(['en', 'es', 'fr']);
  await expect(page.getByTestId('matrix-col-header')).toHaveText(['custom', 'urial', 'zero-shot']);
  await expect(page.getByTestId('matrix-cell')).toHaveCount(9);
  // Every cell holds the generation of its language × method.
  for (const lang of SEEDED_LANGS)
    for (const method of ['custom', 'urial', 'zero-shot']) {
      const cell = page.locator(`[data-testid="matrix-cell"][data-lang="${lang}"][data-column="${method}"]`);
      await expect(cell.getByTestId('sbs-column')).toHaveAttribute('data-generation-id', String(data.cells[`${lang}/${method}`]));
    }
  const frZero = card(page, data.cells['fr/zero-shot']);
  // The detectors that ran on the real generation may have found more (e.g. truncated at 16 tokens).
  expect(await frZero.getByTestId('matrix-finding').allTextContents()).toContain('⚑ infinite-loop');
  await expect(frZero.getByTestId('matrix-annotated')).toHaveText('✎ wrong-language');
  await expect(frZero.getByTestId('matrix-scores')).toContainText('help');
  await expect(card(page, data.cells['en/urial']).getByTestId('matrix-finish')).toHaveText('max-tokens');
  // One selected cell.
  await expect(page.locator('[data-testid="matrix-cell"][aria-selected="true"]')).toHaveCount(1);

  // Arrows: right to urial, down to es, down to fr, right to zero-shot; the selection (URL) follows.
  const moves: [string, string][] = [['ArrowRight', 'en/urial'], ['ArrowDown', 'es/urial'], ['ArrowDown', 'fr/urial'], ['ArrowRight', 'fr/zero-shot'], ['ArrowRight', 'fr/zero-shot']];
  for (const [key, cell] of moves) {
    await page.keyboard.press(key);
    await expect.poll(() => itemParam(page)).toBe(data.cells[cell]);
    await expect(card(page, data.cells[cell])).toHaveClass(/current/);
    // One highlight in the list too: the cursor is on the selected row or off the list.
    await expect(page.locator('.gen-row.cursor:not(.selected)')).toHaveCount(0);
  }
  await page.screenshot({ path: join(SHOTS, 'reader-matrix.png'), fullPage: true });

  // Columns by model: the select gives focus back, and `s` leaves side by side at once.
  await page.getByTestId('matrix-axis').selectOption('model');
  await expect(page.getByTestId('matrix-col-header')).toHaveText(['stories260K', 'urial-import']);
  expect(await page.evaluate(() => document.activeElement?.tagName)).not.toBe('SELECT');
  await expect(page).toHaveURL(/mx=model/);
  await page.keyboard.press('s');
  await expect(page.getByTestId('side-by-side')).toHaveCount(0);
  await expect(page.getByTestId('gen-detail')).toBeVisible();

  // The opened fr generation is excluded by a language filter: the detail closes.
  await page.goto(`${served.url}#/generations?item=${data.cells['fr/zero-shot']}`);
  await expect(page.getByTestId('gen-detail')).toBeVisible();
  await page.goto(`${served.url}#/generations?item=${data.cells['fr/zero-shot']}&lang=en`);
  await expect(page.getByTestId('gen-detail')).toHaveCount(0);
  await expect(page).not.toHaveURL(/item=/);
  expect(errors).toEqual([]);
});

test('focus never traps: Enter after a nav click, shortcuts on a select, Enter applies the annotator name', async ({ page, seeded }) => {
  const { served, data } = seeded;
  await page.goto(`${served.url}#/models`);

  // Generations: after clicking the nav link, j then Enter opens the first row (not the link again).
  await page.getByTestId('nav-generations').click();
  await expect(page.getByTestId('gen-row').first()).toBeVisible();
  await page.keyboard.press('j');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('gen-detail')).toBeVisible();
  await expect(page).toHaveURL(/item=\d+/);
  // A select in the filters: after a change, j still moves the cursor.
  const opened = itemParam(page);
  // A select with focus keeps the shortcuts (only its arrow keys are its own).
  await page.locator('select').first().focus();
  await page.keyboard.press('j');
  await expect.poll(() => itemParam(page)).not.toBe(opened);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('gen-detail')).toHaveCount(0);

  // Annotate: Enter applies the name; after a mouse change of the order select, j moves to the next item.
  await page.getByTestId('nav-annotate').click();
  const name = page.getByTestId('annotator-name');
  await name.fill('ana');
  await name.press('Enter');
  await expect(name).not.toBeFocused();
  await expect(page.getByTestId('annotate-item')).toHaveAttribute('data-pos', '1');
  await page.getByTestId('annotate-run').focus();
  await page.getByTestId('annotate-run').selectOption(String(data.runs['en/zero-shot']));
  expect(await page.evaluate(() => document.activeElement?.tagName)).not.toBe('SELECT');
  await expect(page.getByTestId('annotate-position')).toContainText('1 / 30');
  await page.keyboard.press('j');
  await expect(page.getByTestId('annotate-item')).toHaveAttribute('data-pos', '2');
  // A change made with the keyboard keeps focus on the select: its user is still there.
  const order = page.getByTestId('annotate-order');
  const before = await order.inputValue();
  await order.focus();
  await page.keyboard.press('ArrowDown');
  await expect(order).not.toHaveValue(before);
  await expect(order).toBeFocused();

  // Every other view: after a nav click, Enter neither re-navigates nor breaks the page, and a select gives focus back.
  for (const view of ['models', 'datasets', 'runs', 'judges', 'results'] as const) {
    await page.getByTestId(`nav-${view}`).click();
    await expect(page).toHaveURL(new RegExp(`#/${view}`));
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(new RegExp(`#/${view}`));
    const selects = page.locator('main select:visible');
    if ((await selects.count()) > 0) {
      const first = selects.first();
      await first.focus();
      const current = await first.inputValue();
      const other = await first.locator('option:not([disabled])').evaluateAll((os, now) => os.map((o) => (o as HTMLOptionElement).value).find((v) => v !== now), current);
      if (other === undefined) continue;
      await first.selectOption(other, { timeout: 5_000 });
      expect(await page.evaluate(() => document.activeElement?.tagName), view).not.toBe('SELECT');
    }
  }
});

test('runs: a compact table sorted and filtered in the URL; delete names what goes and asks twice for annotations', async ({ page, seeded }) => {
  const { served, data } = seeded;
  await page.goto(`${served.url}#/runs`);
  const rows = page.getByTestId('run-row');
  await expect(rows).toHaveCount(9);
  await expect(page.getByTestId('run-batch').first()).toBeVisible();

  // Within each batch rows follow the sort: the three imported URIAL runs were created together.
  const datasetsByBatch = () =>
    page.getByTestId('run-table').evaluate((table) => {
      const batches: string[][] = [];
      for (const body of Array.from(table.querySelectorAll('tbody'))) {
        if (body.classList.contains('batch')) batches.push([]);
        else batches.at(-1)!.push(body.querySelector('[data-testid="run-dataset"]')!.textContent!.trim());
      }
      return batches;
    });
  await page.getByTestId('run-sort-dataset').click();
  await expect(page).toHaveURL(/sort=dataset-asc/);
  const asc = await datasetsByBatch();
  expect(asc.flat()).toHaveLength(9);
  expect(asc).toContainEqual(['sample-en (en)', 'sample-es (es)', 'sample-fr (fr)']);
  for (const b of asc) expect(b).toEqual([...b].sort());
  await page.getByTestId('run-sort-dataset').click();
  await expect(page).toHaveURL(/sort=dataset-desc/);
  expect(await datasetsByBatch()).toContainEqual(['sample-fr (fr)', 'sample-es (es)', 'sample-en (en)']);
  await page.getByTestId('run-filter').fill('urial fr');
  await expect(rows).toHaveCount(1);
  await expect(page.getByTestId('run-shown')).toHaveText('1 of 9 runs');
  await page.getByTestId('run-filter').fill('');
  await expect(rows).toHaveCount(9);

  // Delete the French zero-shot run: generations, judgements, detector results and one annotation.
  const runId = data.runs['fr/zero-shot']!;
  const before = withStore(served.dataDir, (s) => ({ generations: s.generations.forRun(runId).length, all: s.db.prepare('SELECT count(*) AS n FROM generations').get() as { n: number } }));
  const row = page.locator(`[data-testid="run-row"][data-run-id="${runId}"]`);
  await row.getByTestId('run-expand').click();
  await row.getByTestId('run-delete').click();
  await expect(row.getByTestId('run-delete-text')).toContainText(`Delete run #${runId}`);
  await expect(row.getByTestId('run-delete-text')).toContainText(`${before.generations} generations`);
  await expect(row.getByTestId('run-delete-text')).toContainText('1 annotation?');
  await page.screenshot({ path: join(SHOTS, 'runs-delete-confirm.png'), fullPage: true });
  await row.getByTestId('run-delete-yes').click();
  await expect(row.getByTestId('run-delete-annotations')).toContainText('1 annotation will be lost');
  await row.getByTestId('run-delete-yes').click();
  await expect(row).toHaveCount(0);
  await expect(rows).toHaveCount(8);

  const after = withStore(served.dataDir, (s) => ({
    run: s.runs.get(runId),
    generations: (s.db.prepare('SELECT count(*) AS n FROM generations WHERE run_id = ?').get(runId) as { n: number }).n,
    all: (s.db.prepare('SELECT count(*) AS n FROM generations').get() as { n: number }).n,
    orphans: (s.db.prepare('SELECT (SELECT count(*) FROM judgements WHERE generation_id NOT IN (SELECT id FROM generations)) + (SELECT count(*) FROM annotations WHERE generation_id NOT IN (SELECT id FROM generations)) + (SELECT count(*) FROM detections WHERE generation_id NOT IN (SELECT id FROM generations)) AS n').get() as { n: number }).n,
  }));
  expect(after).toEqual({ run: undefined, generations: 0, all: before.all.n - before.generations, orphans: 0 });
});

test('runs: the table shows each run\'s finish-reason mix and mean speed', async ({ page, seeded }) => {
  const { served, data } = seeded;
  await page.goto(`${served.url}#/runs`);
  const row = page.locator(`[data-testid="run-row"][data-run-id="${data.urialRuns.en}"]`);
  await expect(row.getByTestId('run-finish')).toHaveText('stop 11 · max-tokens 1');
  const generated = page.locator(`[data-testid="run-row"][data-run-id="${data.runs['en/zero-shot']}"]`);
  await expect(generated.getByTestId('run-tps')).toHaveText(/tok\/s/);
});

test('without the token, or with a wrong one, one plain page says to open the URL serve printed', async ({ page, seeded }) => {
  const { served } = seeded;
  const origin = new URL(served.url).origin;
  for (const url of [`${origin}/#/models`, `${origin}/?token=wrong#/runs`]) {
    await page.goto(url);
    await expect(page.getByTestId('token-gate')).toBeVisible();
    await expect(page.getByTestId('token-gate')).toContainText('serve');
    await expect(page.getByRole('alert')).toHaveCount(0);
    await expect(page.locator('.error, [data-testid$="-error"]')).toHaveCount(0);
    await expect(page.getByTestId('nav-models')).toHaveCount(0);
  }
  await page.screenshot({ path: join(SHOTS, 'token-gate.png'), fullPage: true });
});

test('screenshots of every view in light and dark, and at 1000×700', async ({ page, seeded }) => {
  const { served, data } = seeded;
  const views: [string, string][] = [
    ['welcome', '#/welcome'],
    ['models', '#/models'],
    ['datasets', '#/datasets'],
    ['runs', '#/runs'],
    ['generations', `#/generations?item=${data.cells['en/custom']}&sbs=1`],
    ['annotate', '#/annotate'],
    ['judges', '#/judges'],
    ['results', '#/results'],
  ];
  for (const [scheme, size] of [['light', { width: 1400, height: 900 }], ['dark', { width: 1400, height: 900 }], ['light', { width: 1000, height: 700 }]] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize(size);
    for (const [name, hash] of views) {
      await page.goto(`${served.url}${hash}`);
      await expect(page.getByTestId(`nav-${name === 'welcome' ? 'models' : name}`)).toBeVisible();
      if (name === 'generations') await expect(page.getByTestId('matrix-cell')).toHaveCount(9);
      if (name === 'results') await expect(page.getByTestId('chart-radar-0')).toBeVisible();
      if (name === 'runs') await expect(page.getByTestId('run-row')).toHaveCount(9);
      await expect(page.locator('html')).toHaveAttribute('data-theme', scheme);
      await page.screenshot({ path: join(SHOTS, `view-${name}-${scheme}-${size.width}x${size.height}.png`), fullPage: size.width > 1000 });
      if (name === 'results') {
        // The view scrolls inside its pane: the radars and histograms get pictures of their own.
        for (const chart of ['chart-radar-0', 'chart-hist-0'])
          await page.getByTestId(chart).screenshot({ path: join(SHOTS, `results-${chart}-${scheme}-${size.width}x${size.height}.png`) });
      }
    }
  }
});

fresh('the welcome screen ticks each step as it is done and links to its view', async ({ page, served }) => {
  await page.goto(served.url);
  await expect(page.getByTestId('welcome')).toBeVisible();
  const step = (name: string) => page.getByTestId(`welcome-step-${name}`);
  await expect(step('dataset')).toHaveAttribute('data-done', 'true');
  for (const name of ['model', 'run', 'read']) await expect(step(name)).toHaveAttribute('data-done', 'false');
  await expect(step('model').getByRole('link', { name: 'Models →' })).toHaveAttribute('href', '#/models');

  await page.getByTestId('welcome-model-path').fill(STORIES);
  await page.getByTestId('welcome-model-add').click();
  await expect(step('model')).toHaveAttribute('data-done', 'true');

  // A run of the tiny model, made through the same API the page uses.
  const url = new URL(served.url);
  const response = await page.request.post(`${url.origin}/api/runs.create`, {
    headers: { Authorization: `Bearer ${url.searchParams.get('token')}` },
    data: { models: [STORIES], methods: ['zero-shot'], datasets: ['sample-en'], subset: { limit: 2 }, sampler: { maxTokens: 8 }, backend: { threads: 1 }, start: true },
  });
  const body = (await response.json()) as { ok: boolean; error?: unknown };
  expect(body.ok, JSON.stringify(body.error)).toBe(true);
  await expect(step('run')).toHaveAttribute('data-done', 'true', { timeout: 120_000 });

  await step('read').getByRole('link', { name: 'Generations →' }).click();
  await page.getByTestId('gen-row').first().click();
  await expect(page.getByTestId('gen-detail')).toBeVisible();
  await page.getByTestId('nav-welcome').click();
  await expect(step('read')).toHaveAttribute('data-done', 'true');
  await page.screenshot({ path: join(SHOTS, 'welcome-ticks.png'), fullPage: true });
});
