// LLM judging through the real Svelte app in Chromium against the real backend in serve mode: add a local judge
// (the tiny chat GGUF), test its connection, judge a small real run of that model twice per generation, follow
// the judge run to the end, read the aspect scores with their rationales, and filter the reader by score. The
// expected lists come from the judgements the backend stored (read over the same HTTP API), not from constants.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';
import type { ApiMethod, ApiRequest, ApiResponse } from '../../src/shared/api';
import { ALL_ASPECTS, ASPECTS } from '../../src/shared/judging';
import { cli } from '../support/cli';
import { errorBody, startOpenAiLoopbackServer } from '../support/openaiLoopbackServer';
import { JUST_EVAL_EN, REPO, STORIES_CHATML } from '../support/paths';
import { startServe, stopServe, type Served } from './serveFixture';

const SHOTS = join(REPO, 'test-results', 'screenshots');
mkdirSync(SHOTS, { recursive: true });
const ITEMS = 4;
const REPEATS = 2;

/** A data dir with one finished chat run of the tiny model on the first Just-Eval items. */
const test = base.extend<{ served: Served & { runId: number } }>({
  served: async ({}, use) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'align-e2e-judge-'));
    const g = ['--data-dir', dataDir];
    const step = (...args: string[]) => {
      const r = cli([...g, ...args]);
      if (r.code !== 0) throw new Error(`${args.slice(0, 2).join(' ')} failed: ${r.stderr}`);
      return r.lastLine;
    };
    step('datasets', 'import', JUST_EVAL_EN, '--lang', 'en', '--name', 'je');
    const runId = Number(
      step('runs', 'create', '--model', STORIES_CHATML, '--method', 'chat', '--dataset', 'je', '--limit', String(ITEMS), '--max-tokens', '24', '--threads', '1'),
    );
    step('runs', 'start', String(runId));
    const served = await startServe(dataDir);
    await use({ ...served, runId });
    await stopServe(served);
  },
});

/** Calls the backend's HTTP API as the page does (same token). */
async function call<M extends ApiMethod>(page: Page, served: Served, method: M, params: ApiRequest<M>): Promise<ApiResponse<M>> {
  const url = new URL(served.url);
  const response = await page.request.post(`${url.origin}/api/${method}`, {
    headers: { Authorization: `Bearer ${url.searchParams.get('token')}` },
    data: params,
  });
  const body = (await response.json()) as { ok: boolean; result: ApiResponse<M>; error?: unknown };
  if (!body.ok) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
  return body.result;
}

/** The generation ids of the reader's list, as shown. */
async function listedIds(page: Page): Promise<number[]> {
  const ids = await page.getByTestId('gen-row').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-generation-id'))));
  return ids.sort((a, b) => a - b);
}

test('add a local judge, judge a run, read the scores and filter by score', async ({ page, served }) => {
  test.setTimeout(300_000);
  await page.goto(`${served.url}#/judges`);
  await expect(page.getByTestId('judges-empty')).toBeVisible();

  // 1. A local judge from the model library (the run added the GGUF to it), and its connection test.
  await page.getByTestId('judge-kind-local').check();
  await page.getByTestId('judge-local-model').selectOption({ index: 1 });
  await page.getByTestId('judge-name').fill('tiny judge');
  await page.getByTestId('judge-add-submit').click();
  const judgeRow = page.getByTestId('judge-row');
  await expect(judgeRow).toHaveCount(1);
  await expect(judgeRow).toContainText('tiny judge');
  await expect(judgeRow).toContainText('gguf:');
  await judgeRow.getByTestId('judge-test').click();
  const result = judgeRow.getByTestId('judge-test-result');
  // Grammar-constrained JSON: even a 260K-parameter model returns a parseable verdict.
  await expect(result).toHaveAttribute('data-ok', 'true');
  await expect(result.getByTestId('judge-test-message')).not.toBeEmpty();
  await result.locator('summary').click();
  await expect(result.getByTestId('judge-test-reply')).toHaveAttribute('data-format', 'text');
  await expect(result.getByTestId('judge-test-reply')).toContainText('{');

  // 2. A judge run over the generation run, two repeats, judged in English; followed live to the end.
  await page.getByTestId('judges-tab-runs').click();
  await expect(page).toHaveURL(/#\/judges\?tab=runs/);
  await page.locator(`[data-testid="judge-run-pick"][data-run-id="${served.runId}"]`).check();
  await page.getByTestId('judge-run-judge').selectOption({ label: 'tiny judge' });
  await page.getByTestId('judge-run-repeats').fill(String(REPEATS));
  await page.getByTestId('judge-run-lang-en').check();
  await expect(page.getByTestId('judge-run-create')).toHaveText(`Judge ${ITEMS * REPEATS} calls`);
  await page.getByTestId('judge-run-create').click();
  const jrun = page.getByTestId('judge-run-row');
  await expect(jrun).toHaveCount(1);
  await expect(jrun).toHaveAttribute('data-status', 'done', { timeout: 150_000 });
  await expect(jrun.getByTestId('judge-run-counts')).toHaveText(`${ITEMS * REPEATS}/${ITEMS * REPEATS} (100%)`);
  await expect(jrun.getByTestId('judge-run-na')).toHaveText(/^\d+ N\/A$/);
  await page.screenshot({ path: join(SHOTS, 'judge-runs.png') });

  // What the backend stored, per generation: the helpfulness scores of its calls (null = N/A).
  const { rows } = await call(page, served, 'generations.query', { filter: { runIds: [served.runId] }, offset: 0, limit: 100 });
  expect(rows).toHaveLength(ITEMS);
  const stored = new Map<number, (number | null)[]>();
  for (const row of rows) {
    const { calls } = await call(page, served, 'judgements.forGeneration', { generationId: row.id });
    expect(calls).toHaveLength(REPEATS);
    const byRepeat = calls.toSorted((a, b) => a.repeat - b.repeat);
    stored.set(row.id, byRepeat.map((c) => c.scores.find((s) => s.aspect === 'helpfulness')?.score ?? null));
  }

  // 3. The reader: every generation shows its calls with the five aspects, a score or N/A, and the rationale.
  await jrun.getByTestId('judge-run-read').click();
  await expect(page.getByTestId('gen-total')).toHaveText(`${ITEMS} generations`);
  const first = rows[0]!.id;
  await page.locator(`[data-testid="gen-row"][data-generation-id="${first}"]`).click();
  const calls = page.getByTestId('judge-call');
  await expect(calls).toHaveCount(REPEATS);
  for (let i = 0; i < REPEATS; i++) {
    const c = calls.nth(i);
    await expect(c).toContainText('tiny judge');
    await expect(c).toContainText(`repeat ${i}`);
    await expect(c).toContainText('judged in English');
    await expect(c.getByTestId('aspect-score')).toHaveCount(ASPECTS.length);
    for (const aspect of ASPECTS) {
      const cell = c.locator(`[data-testid="aspect-score"][data-aspect="${aspect}"]`);
      const score = await cell.getAttribute('data-score');
      if (score === 'na') await expect(cell).toContainText('N/A');
      else {
        expect(['1', '2', '3', '4', '5']).toContain(score);
        await expect(cell.getByTestId('aspect-rationale')).toHaveAttribute('data-format', 'text');
      }
    }
  }
  expect(await calls.first().locator('[data-aspect="helpfulness"]').getAttribute('data-score')).toBe(String(stored.get(first)![0] ?? 'na'));
  await page.screenshot({ path: join(SHOTS, 'judge-reader.png') });

  // 4. Filter by score: the list is exactly the generations whose mean helpfulness over the repeats is in range.
  const mean = (scores: (number | null)[]) => {
    const numbers = scores.filter((s): s is number => s !== null);
    return numbers.length ? numbers.reduce((a, b) => a + b, 0) / numbers.length : null;
  };
  const within = (min: number, max: number) =>
    [...stored].filter(([, s]) => mean(s) !== null && mean(s)! >= min && mean(s)! <= max).map(([id]) => id).sort((a, b) => a - b);
  const target = mean(stored.get(first)!) ?? 1;
  await page.getByTestId('close-detail').click();
  await page.getByTestId('filter-score-aspect').selectOption('helpfulness');
  await page.getByTestId('filter-score-min').fill(String(target));
  await page.getByTestId('filter-score-min').press('Enter');
  await page.getByTestId('filter-score-max').fill(String(target));
  await page.getByTestId('filter-score-max').press('Enter');
  await expect(page).toHaveURL(new RegExp(`score=helpfulness%3A${target}-${target}`));
  const exact = within(target, target);
  await expect(page.getByTestId('gen-total')).toHaveAttribute('data-total', String(exact.length));
  expect(await listedIds(page)).toEqual(exact);

  // The filter lives in the hash: a reload shows the same list.
  await page.reload();
  await expect(page.getByTestId('gen-total')).toHaveAttribute('data-total', String(exact.length));
  expect(await listedIds(page)).toEqual(exact);

  // Everything above the first generation's mean: the complement of what was shown, among the scored ones.
  const above = within(Math.min(5, target + 0.5), 5);
  await page.getByTestId('filter-score-min').fill(String(Math.min(5, target + 0.5)));
  await page.getByTestId('filter-score-min').press('Enter');
  await page.getByTestId('filter-score-max').fill('5');
  await page.getByTestId('filter-score-max').press('Enter');
  await expect(page.getByTestId('gen-total')).toHaveAttribute('data-total', String(above.length));
  if (above.length === 0) await expect(page.getByTestId('gen-empty')).toBeVisible();
  else expect(await listedIds(page)).toEqual(above);

  // N/A only: generations with at least one unparseable helpfulness verdict (with a grammar: normally none).
  const na = [...stored].filter(([, s]) => s.includes(null)).map(([id]) => id).sort((a, b) => a - b);
  await page.getByTestId('filter-score-mode').selectOption('na');
  await expect(page).toHaveURL(/score=helpfulness%3Ana/);
  await expect(page.getByTestId('gen-total')).toHaveAttribute('data-total', String(na.length));
  if (na.length === 0) await expect(page.getByTestId('gen-empty')).toBeVisible();
  else expect(await listedIds(page)).toEqual(na);

  // Clearing the aspect removes the filter: the whole run again.
  await page.getByTestId('filter-score-aspect').selectOption('');
  await expect(page.getByTestId('gen-total')).toHaveAttribute('data-total', String(ITEMS));

  // 5. Judge vs human: one generation flagged with a loop by a person, one annotated clean; the table compares
  // their mean judge helpfulness (unannotated generations are left out).
  const [flagged, clean] = [rows[0]!.id, rows[1]!.id];
  await call(page, served, 'annotations.save', { generationId: flagged, annotator: 'e2e', labels: ['infinite-loop'] });
  await call(page, served, 'annotations.save', { generationId: clean, annotator: 'e2e', labels: [] });
  await page.getByTestId('nav-judges').click();
  await page.getByTestId('judges-tab-agreement').click();
  const loopRow = page.locator('[data-testid="judge-human-row"][data-lang="en"][data-aspect="helpfulness"][data-label="infinite-loop"]');
  const shown = (m: number | null, n: number) => `${m === null ? '–' : m.toFixed(2)} (${n})`;
  await expect(loopRow.getByTestId('judge-human-flagged')).toHaveText(shown(mean(stored.get(flagged)!), 1));
  await expect(loopRow.getByTestId('judge-human-clean')).toHaveText(shown(mean(stored.get(clean)!), 1));
  // Labels nobody flagged compare nothing: hidden until asked for.
  const leakRow = page.locator('[data-testid="judge-human-row"][data-aspect="helpfulness"][data-label="code-leak"]');
  await expect(leakRow).toHaveCount(0);
  await page.getByTestId('judge-human-show-all').check();
  await expect(leakRow.getByTestId('judge-human-flagged')).toHaveText('– (0)');
  // Judged in English only: no English-vs-target delta, and the page says how to get one.
  await expect(page.getByTestId('judge-delta-empty')).toBeVisible();
  await page.screenshot({ path: join(SHOTS, 'judge-vs-human.png') });
});

test('empty states, rubric edits as new versions, and a judge run paused and resumed', async ({ page, served }) => {
  test.setTimeout(300_000);
  await page.goto(`${served.url}#/judges?tab=runs`);
  await expect(page.getByTestId('judge-runs-empty')).toBeVisible();
  await page.getByTestId('judges-tab-agreement').click();
  await expect(page.getByTestId('judge-human-empty')).toContainText('Annotate');
  await expect(page.getByTestId('judge-delta-empty')).toBeVisible();
  await page.getByTestId('judges-tab-rubrics').click();
  // The built-in rubrics, each with a version; editing one saves a copy under a new version.
  const versions = page.getByTestId('rubric-version');
  await expect(versions.first()).toBeVisible();
  const before = await versions.count();
  const detail = page.getByTestId('rubric-detail');
  await expect(detail).toContainText('helpfulness');
  const original = await detail.getAttribute('data-version');
  await page.getByTestId('rubric-edit').click();
  const user = page.getByTestId('rubric-user-en');
  await user.fill(`${await user.inputValue()}\nBe strict.`);
  await page.getByTestId('rubric-save').click();
  await expect(page.getByTestId('rubric-saved')).toContainText('keep theirs');
  await expect(versions).toHaveCount(before + 1);
  await expect(detail).not.toHaveAttribute('data-version', original!);
  await expect(detail).toContainText('Be strict.');
  await expect(page.locator('[data-testid="rubric-version"]', { hasText: `from ${original}` })).toHaveCount(1);

  // Pause and resume: the run stops between calls, keeps what it judged, and finishes on resume.
  await call(page, served, 'judges.add', { kind: 'local', model: STORIES_CHATML, name: 'tiny judge' });
  await page.reload();
  await page.getByTestId('judges-tab-runs').click();
  await page.locator(`[data-testid="judge-run-pick"][data-run-id="${served.runId}"]`).check();
  await page.getByTestId('judge-run-judge').selectOption({ label: 'tiny judge' });
  await page.getByTestId('judge-run-repeats').fill('4');
  await page.getByTestId('judge-run-create').click();
  const jrun = page.getByTestId('judge-run-row');
  await expect(jrun).toHaveAttribute('data-status', 'running');
  await expect(jrun.getByTestId('judge-run-eta')).toBeVisible();
  await jrun.getByTestId('judge-run-pause').click();
  await expect(jrun).toHaveAttribute('data-status', 'paused');
  const paused = await jrun.getByTestId('judge-run-counts').textContent();
  expect(paused).not.toContain('(100%)');
  await jrun.getByTestId('judge-run-start').click();
  await expect(jrun).toHaveAttribute('data-status', 'done', { timeout: 150_000 });
  await expect(jrun.getByTestId('judge-run-counts')).toHaveText(`${ITEMS * 4}/${ITEMS * 4} (100%)`);
});

test('a judge server that was down: its calls show as without a reply, and Retry makes exactly those again', async ({ page, served }) => {
  test.setTimeout(180_000);
  // An OpenAI-compatible judge on loopback, answering a valid verdict by default; the first two calls meet a 500.
  const verdict = JSON.stringify(Object.fromEntries(ALL_ASPECTS.map((a) => [a, { rationale: `${a} is fine`, score: 4 }])));
  const judgeServer = await startOpenAiLoopbackServer({ defaultText: () => verdict });
  const CHAT = '/v1/chat/completions';
  try {
    judgeServer.script(CHAT, ...[0, 1].map(() => ({ status: 500, json: errorBody('overloaded') })));
    const judge = await call(page, served, 'judges.add', { kind: 'openai', baseUrl: judgeServer.baseUrl, model: 'flaky-judge', maxRetries: 0, concurrency: 1 });
    await call(page, served, 'judgeRuns.create', { runIds: [served.runId], judgeId: judge.id, start: true });

    await page.goto(`${served.url}#/judges?tab=runs`);
    const jrun = page.getByTestId('judge-run-row');
    await expect(jrun).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
    await expect(jrun.getByTestId('judge-run-na')).toHaveText('2 N/A');
    await expect(jrun.getByTestId('judge-run-unanswered')).toHaveText('(2 without a reply)');
    await page.screenshot({ path: join(SHOTS, 'judge-run-retry.png') });

    await jrun.getByTestId('judge-run-retry').click();
    await expect(jrun.getByTestId('judge-run-unanswered')).toHaveCount(0, { timeout: 60_000 });
    await expect(jrun).toHaveAttribute('data-status', 'done');
    await expect(jrun.getByTestId('judge-run-na')).toHaveText('0 N/A');
    await expect(jrun.getByTestId('judge-run-retry')).toHaveCount(0);
    // Only the two calls without a reply were made again.
    expect(judgeServer.requestsTo(CHAT)).toHaveLength(ITEMS + 2);
  } finally {
    await judgeServer.close();
  }
});
