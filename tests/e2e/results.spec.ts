// The Results view through the real Svelte app in Chromium against the real backend in serve mode, on a store
// with real generations of the tiny model (EN/FR/ES × zero-shot/custom) and seeded judge verdicts: the chart
// data follows the filters (checked against means computed here from the seeded verdicts), a bar opens the
// reader on exactly its generations, "N/A counted as 5" is said on the chart, the LaTeX table matches the
// expected file; and in the Runs view, a run's reproducibility record is shown, exported and re-run.
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, expect, type Download, type Page } from '@playwright/test';
import { ALL_ASPECTS, ASPECTS, SAFETY_ASPECT, type Aspect } from '../../src/shared/judging';
import { REPO } from '../support/paths';
import { openStore } from '../../src/main/store/openStore';
import { insertVerdict, seededScore, seedResultsStore, SEEDED_LANGS, SEEDED_METHODS, SEEDED_REPEATS } from '../support/seedResults';
import { startServe, stopServe, type Served } from './serveFixture';

const SHOTS = join(REPO, 'test-results', 'screenshots');
mkdirSync(SHOTS, { recursive: true });
const EXPECTED_TEX = join(REPO, 'tests', 'fixtures', 'results', 'expected.tex');

/** The part of a chart's `data-chart` JSON (the renderer's BarChartModel) the test reads. */
interface BarChartModel {
  subtitle: string;
  categories: string[];
  stacked: boolean;
  yMax: number;
  series: { label: string; values: (number | null)[]; low: (number | null)[]; high: (number | null)[] }[];
}

const test = base.extend<{ served: Served }>({
  served: async ({}, use) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'align-e2e-results-'));
    await seedResultsStore(dataDir);
    const served = await startServe(dataDir);
    await use(served);
    await stopServe(served);
  },
});

/** The sample's item ids per category (the same ids in every language: the datasets are parallel). */
function sampleItems(lang: string): { id: string; category: string }[] {
  return readFileSync(join(REPO, 'resources', 'datasets', `sample.${lang}.jsonl`), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { id: string; category: string });
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/**
 * A cell by hand from the seeded verdicts: per generation the mean of its repeats (N/A dropped, or counted as
 * 5), then the mean over the generations that have a score; `substituted` = generations with an N/A counted.
 */
function expectedCell(lang: string, method: string, aspect: Aspect, policy: 'exclude' | 'as-5') {
  const items = sampleItems(lang).filter((i) => (i.category === 'safety') === (aspect === SAFETY_ASPECT));
  let substituted = 0;
  const perGeneration = items.flatMap((item) => {
    const repeats = Array.from({ length: SEEDED_REPEATS }, (_, r) => seededScore(lang, method, item.id, aspect, r));
    if (policy === 'as-5' && repeats.includes(null)) substituted++;
    const kept = policy === 'as-5' ? repeats.map((s) => s ?? 5) : repeats.filter((s): s is number => s !== null);
    return kept.length ? [mean(kept)] : [];
  });
  return { mean: perGeneration.length ? mean(perGeneration) : null, n: perGeneration.length, substituted };
}

async function chartOf(page: Page, testid: string): Promise<BarChartModel> {
  return JSON.parse((await page.getByTestId(testid).getAttribute('data-chart'))!) as BarChartModel;
}

/** Waits until the chart shows exactly these categories, then returns its data. */
/** The critical-error chart puts each group's n in its category ("m · urial · en (n=30)"); compare the groups alone. */
const withoutN = (category: string) => category.replace(/ \(n=\d+\)$/, '');

async function chartWith(page: Page, testid: string, categories: string[]): Promise<BarChartModel> {
  await expect.poll(async () => (await chartOf(page, testid)).categories.map(withoutN).sort(), { message: `${testid} categories` }).toEqual(categories.slice().sort());
  return chartOf(page, testid);
}

/** Every bar of the aspect chart equals the hand-computed cell mean. */
function expectMeans(chart: BarChartModel, policy: 'exclude' | 'as-5'): void {
  for (const [c, category] of chart.categories.entries()) {
    const [lang, method] = category.split(' · ') as [string, string];
    for (const s of chart.series) {
      const want = expectedCell(lang, method, s.label as Aspect, policy).mean;
      if (want === null) expect(s.values[c], `${category} ${s.label}`).toBeNull();
      else expect(s.values[c], `${category} ${s.label}`).toBeCloseTo(want, 9);
    }
  }
}

async function downloaded(page: Page, click: () => Promise<void>): Promise<{ download: Download; text: string }> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  return { download, text: readFileSync((await download.path())!, 'utf8') };
}

const combos = (langs: readonly string[], methods: readonly string[]) => langs.flatMap((l) => methods.map((m) => `${l} · ${m}`));

test('Results: filters change the chart data, a bar opens its generations, N/A as 5 is said, LaTeX export', async ({ page, served }) => {
  // 1. Open Results from the nav: language × method bars, one per aspect, with CIs around the seeded means.
  await page.goto(served.url);
  await page.getByTestId('nav-results').click();
  await expect(page).toHaveURL(/#\/results/);
  const all = await chartWith(page, 'chart-aspects', combos(SEEDED_LANGS, SEEDED_METHODS));
  expect(all.series.map((s) => s.label)).toEqual([...ALL_ASPECTS]);
  expect(all.subtitle).toBe('95% bootstrap CI · N/A excluded');
  expectMeans(all, 'exclude');
  for (const s of all.series)
    for (const [c, v] of s.values.entries()) {
      expect(s.low[c]!, `${s.label} ${all.categories[c]} CI low`).toBeLessThanOrEqual(v!);
      expect(s.high[c]!, `${s.label} ${all.categories[c]} CI high`).toBeGreaterThanOrEqual(v!);
    }
  await expect(page.getByTestId('chart-radar-0')).toBeVisible();
  // Critical errors: the detectors' findings on the real outputs, one bar per label (never stacked) per model × method
  // × language, n in every category, nothing past 100%.
  await expect(page.getByTestId('results-errors-error')).toHaveCount(0);
  const errors = await chartOf(page, 'chart-errors');
  const model = errors.categories[0]!.split(' · ')[0]!;
  expect(errors.categories.map(withoutN).sort()).toEqual(SEEDED_METHODS.flatMap((m) => SEEDED_LANGS.map((l) => `${model} · ${m} · ${l}`)).sort());
  for (const c of errors.categories) expect(c).toMatch(/ \(n=\d+\)$/);
  expect(errors.stacked).toBe(false);
  expect(errors.yMax).toBeLessThanOrEqual(100);
  expect(errors.series.map((s) => s.label)).toEqual(expect.arrayContaining(['infinite-loop', 'code-leak', 'wrong-language', 'any critical error']));
  await page.screenshot({ path: join(SHOTS, 'results.png'), fullPage: true });

  // 2. Language, then method: the chart data follows, and the filter is in the URL.
  await page.getByTestId('results-lang-fr').check();
  await expect(page).toHaveURL(/[?&]lang=fr(&|$)/);
  const fr = await chartWith(page, 'chart-aspects', combos(['fr'], SEEDED_METHODS));
  expectMeans(fr, 'exclude');
  await chartWith(page, 'chart-errors', SEEDED_METHODS.map((m) => `${model} · ${m} · fr`));
  await page.getByTestId('results-method-custom').check();
  await expect(page).toHaveURL(/[?&]method=custom(&|$)/);
  const frCustom = await chartWith(page, 'chart-aspects', ['fr · custom']);
  expectMeans(frCustom, 'exclude');
  expect(frCustom.series[0]!.values).not.toEqual(all.series[0]!.values);

  // 3. A click on the helpfulness bar of fr · custom (the leftmost of its six bars) opens the reader on exactly
  //    the generations that bar averages: French, custom, scored on helpfulness.
  const cell = expectedCell('fr', 'custom', 'helpfulness', 'exclude');
  const readerParams = (hash: string) => Object.fromEntries(new URLSearchParams(hash.replace(/^#\/generations\?/, '')));
  const box = (await page.getByTestId('chart-aspects').locator('canvas').boundingBox())!;
  await page.mouse.click(box.x + box.width * 0.2, box.y + box.height * 0.85);
  await expect(page).toHaveURL(/#\/generations\?/);
  expect(readerParams(new URL(page.url()).hash)).toEqual({ lang: 'fr', method: 'custom', score: 'helpfulness:1-5' });
  await expect(page.getByTestId('filter-lang')).toHaveValue('fr');
  await expect(page.getByTestId('filter-method')).toHaveValue('custom');
  await expect(page.getByTestId('gen-total')).toHaveText(`${cell.n} generations`);
  await page.screenshot({ path: join(SHOTS, 'results-click-through.png') });
  // Without a pointer: the chart's data table links every value to the same reader filter.
  await page.goBack();
  await expect(page).toHaveURL(/#\/results\?/);
  await page.getByTestId('chart-aspects').locator('summary').click();
  expect(readerParams((await page.getByTestId('chart-aspects-bar-0-0').getAttribute('href'))!)).toEqual({ lang: 'fr', method: 'custom', score: 'helpfulness:1-5' });

  // 4. Back in Results, N/A counted as 5: the chart says so, with how many, and the means move accordingly.
  await page.getByTestId('results-na-as5').check();
  const substituted = ALL_ASPECTS.reduce((sum, a) => sum + expectedCell('fr', 'custom', a, 'as-5').substituted, 0);
  expect(substituted).toBeGreaterThan(0);
  await expect.poll(async () => (await chartOf(page, 'chart-aspects')).subtitle).toBe(`95% bootstrap CI · N/A counted as 5 (${substituted} substituted)`);
  expectMeans(await chartOf(page, 'chart-aspects'), 'as-5');
  await expect(page.getByTestId('results-na-note')).toContainText(`N/A counted as 5 (${substituted} substituted)`);
  await page.getByTestId('chart-errors').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(SHOTS, 'results-errors.png') });
  // Dark theme (system → light → dark): the charts redraw with the theme's colours.
  await page.getByTestId('theme-toggle').click();
  await page.getByTestId('theme-toggle').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.getByTestId('chart-hist-0').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(SHOTS, 'results-dark.png') });

  // Paired comparison, custom vs zero-shot within each language: the seeded verdicts put custom about a point
  // above zero-shot on every one of the five aspects.
  await page.getByTestId('results-clear').click();
  await page.getByTestId('compare-a').selectOption('custom');
  await page.getByTestId('compare-b').selectOption('zero-shot');
  await page.getByTestId('compare-apply').click();
  await expect(page).toHaveURL(/[?&]a=custom&b=zero-shot(&|$)/);
  const rows = page.getByTestId('compare-row');
  await expect(rows).toHaveCount(SEEDED_LANGS.length * ALL_ASPECTS.length);
  for (const row of await rows.all()) {
    if ((await row.getAttribute('data-aspect')) === SAFETY_ASPECT) continue;
    expect(Number(await row.getAttribute('data-delta')), `${await row.getAttribute('data-group')} ${await row.getAttribute('data-aspect')}`).toBeGreaterThan(0.5);
  }
  await page.getByTestId('results-compare').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(SHOTS, 'results-compare.png') });

  // 5. The aggregate table of the unfiltered view as LaTeX, byte for byte the expected file.
  await page.evaluate(() => (location.hash = '#/results'));
  await chartWith(page, 'chart-aspects', combos(SEEDED_LANGS, SEEDED_METHODS));
  const { download, text } = await downloaded(page, () => page.getByTestId('results-export-latex').click());
  expect(download.suggestedFilename()).toMatch(/\.tex$/);
  expect(text).toBe(readFileSync(EXPECTED_TEX, 'utf8'));

  // Charts export too: a high-DPI PNG, and SVGs with the charts' own labels.
  const png = await downloaded(page, () => page.getByTestId('chart-aspects-png').click());
  const bytes = readFileSync((await png.download.path())!);
  expect(bytes.subarray(1, 4).toString()).toBe('PNG');
  // IHDR width/height: the 960×520 export at 3× device pixels.
  expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([2880, 1560]);
  const svg = await downloaded(page, () => page.getByTestId('chart-aspects-svg').click());
  expect(svg.text).toContain('<svg xmlns="http://www.w3.org/2000/svg"');
  for (const label of [...ASPECTS, ...combos(SEEDED_LANGS, SEEDED_METHODS)]) expect(svg.text).toContain(`>${label}</text>`);
  const radar = await downloaded(page, () => page.getByTestId('chart-radar-0-svg').click());
  for (const label of ASPECTS) expect(radar.text).toContain(`>${label}</text>`);
  // Legend entries name the language and the radar's method.
  for (const lang of SEEDED_LANGS) expect(radar.text).toMatch(new RegExp(`>${lang} · [a-z-]+</text>`));

  // 6. The run picker: one run's outputs alone (a study leaves stale or test runs out), named in the URL.
  await expect(page.locator('[data-testid^="results-run-"]')).toHaveCount(SEEDED_LANGS.length * SEEDED_METHODS.length);
  const esCustom = page.getByTestId('results-filters').locator('label[title*="· custom ·"][title$="(es)"] input');
  await esCustom.check();
  const runId = /results-run-(\d+)/.exec((await esCustom.getAttribute('data-testid'))!)![1];
  await expect(page).toHaveURL(new RegExp(`[?&]run=${runId}(&|$)`));
  expectMeans(await chartWith(page, 'chart-aspects', ['es · custom']), 'exclude');
});

test('Results: two judge languages are shown apart, never averaged, and the view says so', async ({ page, served }) => {
  // The English custom run judged a second time with a French judge prompt (helpfulness 5), as a researcher who
  // judged both ways would have it.
  const store = openStore(join(served.dataDir, 'workbench.sqlite'));
  try {
    const runId = store.db
      .prepare(`SELECT r.id FROM runs r JOIN datasets d ON d.id = r.dataset_id WHERE d.name = 'sample-en' AND json_extract(r.method_json, '$.method') = 'custom'`)
      .pluck()
      .get() as number;
    for (const g of store.generations.forRun(runId)) insertVerdict(store, g.id, { judgeLang: 'fr', scores: { helpfulness: 5 } });
  } finally {
    store.close();
  }
  await page.goto(`${served.url}#/results`);
  // Every cluster names its judge language; the French-judged one is its own cluster, with its own mean (5).
  const split = await chartWith(page, 'chart-aspects', [...combos(SEEDED_LANGS, SEEDED_METHODS).map((c) => `${c} · en`), 'en · custom · fr']);
  const helpfulness = split.series.find((x) => x.label === 'helpfulness')!;
  expect(helpfulness.values[split.categories.indexOf('en · custom · fr')]).toBe(5);
  expect(helpfulness.values[split.categories.indexOf('en · custom · en')]).toBeCloseTo(expectedCell('en', 'custom', 'helpfulness', 'exclude').mean!, 9);
  await expect(page.getByTestId('results-split-note')).toContainText('judge languages');
  // Picking one judge language in the filters leaves one scale and no note.
  await page.getByTestId('results-judge-lang').selectOption('fr');
  await chartWith(page, 'chart-aspects', ['en · custom']);
  await expect(page.getByTestId('results-split-note')).toHaveCount(0);
});

test('Runs: a run shows its reproducibility record, exports it as JSON, and re-runs with the same settings', async ({ page, served }) => {
  await page.goto(`${served.url}#/runs`);
  const rows = page.getByTestId('run-row');
  await expect(rows).toHaveCount(SEEDED_LANGS.length * SEEDED_METHODS.length);
  const first = rows.first();
  const runId = Number(await first.getAttribute('data-run-id'));

  await first.getByTestId('run-expand').click();
  await first.getByTestId('run-repro').locator('summary').click();
  const record = first.getByTestId('run-repro-record');
  await expect(record).toBeVisible();
  const { download, text } = await downloaded(page, () => first.getByTestId('run-repro-export').click());
  expect(download.suggestedFilename()).toBe(`run-${runId}-reproducibility.json`);
  const json = JSON.parse(text) as Record<string, unknown>;
  // The panel shows every part of the exported record: objects as sections, lists of objects one section each.
  const isObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);
  for (const [key, value] of Object.entries(json)) {
    const names = isObject(value) ? [key] : Array.isArray(value) && value.length && value.every(isObject) ? value.map((_, i) => (value.length > 1 ? `${key} ${i + 1}` : key)) : [];
    for (const name of names) await expect(record.getByRole('heading', { name, exact: true })).toBeVisible();
  }
  // e.g. the model file's sha256, as the panel shows it.
  const sha = (json.model as { sha256: string }).sha256;
  expect(sha).toMatch(/^[0-9a-f]{64}$/);
  await expect(record.getByTestId('run-repro-model')).toContainText(sha);
  const sampler = await record.getByTestId('run-repro-sampler').textContent();
  expect(sampler).toMatch(/seed\s*\d+/);
  // A setting nested in a section gets a sub-section of its own instead of a JSON blob.
  await expect(record.getByRole('heading', { name: 'method · config', exact: true })).toBeVisible();
  await page.screenshot({ path: join(SHOTS, 'runs-reproducibility.png'), fullPage: true });

  await first.getByTestId('run-rerun').click();
  await expect(rows).toHaveCount(SEEDED_LANGS.length * SEEDED_METHODS.length + 1);
  const rerun = rows.first();
  expect(Number(await rerun.getAttribute('data-run-id'))).toBeGreaterThan(runId);
  await expect(rerun).toHaveAttribute('data-status', 'done', { timeout: 120_000 });
  // The running run was expanded; done, it folds back unless opened.
  if ((await rerun.getByTestId('run-expand').getAttribute('aria-expanded')) !== 'true') await rerun.getByTestId('run-expand').click();
  await rerun.getByTestId('run-repro').locator('summary').click();
  await expect(rerun.getByTestId('run-repro-sampler')).toHaveText(sampler!);
});
