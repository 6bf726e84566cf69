// Two annotators label critical errors with the keyboard only, through the real Svelte app in Chromium against
// the real backend in serve mode: every change is saved at once and survives a reload, and the agreement panel
// shows the Cohen's kappa computed here by hand.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';
import { CRITICAL_LABELS } from '../../src/shared/detection';
import { cli } from '../support/cli';
import { REPO } from '../support/paths';
import { startServe, stopServe, type Served } from './serveFixture';

const SHOTS = join(REPO, 'test-results', 'screenshots');
mkdirSync(SHOTS, { recursive: true });
const FIXTURE = join(REPO, 'tests', 'fixtures', 'generations', 'annotate.jsonl');

/** A data dir with the 12 outputs of the fixture imported (detectors flag 6: 2 loops, 2 code, 2 wrong language). */
const test = base.extend<{ served: Served }>({
  served: async ({}, use) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'align-e2e-annotate-'));
    const imported = cli(['--data-dir', dataDir, 'generations', 'import', FIXTURE, '--lang', 'en']);
    if (imported.code !== 0) throw new Error(`import failed: ${imported.stderr}`);
    const served = await startServe(dataDir);
    await use(served);
    await stopServe(served);
  },
});

type Label = (typeof CRITICAL_LABELS)[number];
/** Per queue position: the keys pressed, and the labels they must leave. */
interface Step {
  keys: string[];
  labels: Label[];
}

// flagged-first order: the 6 flagged items (each 1 finding) by id — items 0 loop, 1 code, 3 wrong language,
// 5 loop, 6 code, 7 wrong language — then the clean ones 2, 4, 8, 9.
const ANA: Step[] = [
  { keys: ['y', '5', 'u'], labels: ['infinite-loop'] }, // accept, add "truncated", undo it
  { keys: ['y'], labels: ['code-leak'] },
  { keys: ['y'], labels: ['wrong-language'] },
  { keys: ['y'], labels: ['infinite-loop'] },
  { keys: ['n'], labels: [] },
  { keys: ['y', '6'], labels: ['wrong-language', 'other'] },
  { keys: ['0'], labels: [] },
  { keys: ['0'], labels: [] },
  { keys: ['5'], labels: ['truncated'] },
  { keys: ['0'], labels: [] },
];
const BEN: Step[] = [
  { keys: ['y'], labels: ['infinite-loop'] },
  { keys: ['y'], labels: ['code-leak'] },
  { keys: ['n'], labels: [] },
  { keys: ['n'], labels: [] }, // disagrees with ana on a loop
  { keys: ['y'], labels: ['code-leak'] },
  { keys: ['y'], labels: ['wrong-language'] },
  { keys: ['1'], labels: ['infinite-loop'] }, // sees a loop ana did not
  { keys: ['0'], labels: [] },
  { keys: ['5'], labels: ['truncated'] },
  { keys: ['0'], labels: [] },
];

/** Cohen's kappa for one label, by hand: p_o = observed agreement, p_e = chance agreement from the margins. */
function kappaByHand(a: Step[], b: Step[], label: Label): number {
  const n = a.length;
  const x = a.map((s) => s.labels.includes(label));
  const y = b.map((s) => s.labels.includes(label));
  const po = x.filter((v, i) => v === y[i]).length / n;
  const pa = x.filter(Boolean).length / n;
  const pb = y.filter(Boolean).length / n;
  const pe = pa * pb + (1 - pa) * (1 - pb);
  return (po - pe) / (1 - pe);
}

async function expectLabels(page: Page, pos: number, labels: Label[]): Promise<void> {
  await expect(page.getByTestId('annotate-item')).toHaveAttribute('data-pos', String(pos));
  for (const l of CRITICAL_LABELS) {
    const box = page.getByTestId(`label-${l}`);
    if (labels.includes(l)) await expect(box, `${l} at ${pos}`).toBeChecked();
    else await expect(box, `${l} at ${pos}`).not.toBeChecked();
  }
}

async function annotateAll(page: Page, steps: Step[], { screenshotAt }: { screenshotAt?: number } = {}): Promise<void> {
  for (const [i, step] of steps.entries()) {
    await expect(page.getByTestId('annotate-item')).toHaveAttribute('data-pos', String(i + 1));
    for (const key of step.keys) await page.keyboard.press(key);
    await expectLabels(page, i + 1, step.labels);
    await expect(page.getByTestId('annotate-saved')).toHaveAttribute('data-state', 'saved');
    if (i === screenshotAt) {
      await page.keyboard.press('?');
      await expect(page.getByTestId('shortcut-sheet')).toBeVisible();
      await page.screenshot({ path: join(SHOTS, '7-annotate.png'), fullPage: true });
      await page.keyboard.press('?');
      await expect(page.getByTestId('shortcut-sheet')).toBeHidden();
    }
    if (i < steps.length - 1) await page.keyboard.press('j');
  }
}

/** Walks back from the last position to the first with k, checking the labels saved at each. */
async function checkBackwards(page: Page, steps: Step[]): Promise<void> {
  for (let i = steps.length - 1; i >= 0; i--) {
    await expectLabels(page, i + 1, steps[i]!.labels);
    if (i > 0) await page.keyboard.press('k');
  }
}

async function setAnnotator(page: Page, name: string): Promise<void> {
  const field = page.getByTestId('annotator-name');
  await field.fill(name);
  await page.keyboard.press('Escape');
  await expect(field).not.toBeFocused();
}

test('two annotators label with the keyboard; labels persist; the agreement panel shows the kappa', async ({ page, served }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${served.url}#/models`);
  await page.getByTestId('nav-annotate').click();
  await expect(page).toHaveURL(/#\/annotate/);

  // ana: the first item is a flagged loop, its evidence highlighted in the raw output.
  await setAnnotator(page, 'ana');
  const item = page.getByTestId('annotate-item');
  await expect(item).toHaveAttribute('data-pos', '1');
  await expect(page.getByTestId('annotate-instruction')).toHaveText('Describe your morning routine.');
  const mark = page.getByTestId('annotate-output').getByTestId('evidence-mark');
  await expect(mark).toHaveCount(1);
  await expect(mark).toContainText('The cat sat on the mat');
  await expect(page.getByTestId('annotate-output')).toContainText('I wake up early');
  await expect(page.getByTestId('suggestion')).toHaveAttribute('data-decision', 'pending');
  // Built-in labels, numbered 1–6, with their definitions.
  for (const l of CRITICAL_LABELS) await expect(page.getByTestId(`label-${l}`)).toBeVisible();

  await annotateAll(page, ANA, { screenshotAt: 0 });
  await expect(page).toHaveURL(/pos=10/);
  await expect(page.getByTestId('annotate-position')).toContainText('10 annotated');

  // Reload: the position comes back from the URL, the annotator from localStorage, the labels from the store.
  await page.reload();
  await expect(page.getByTestId('annotator-name')).toHaveValue('ana');
  await checkBackwards(page, ANA);
  await expect(page.getByTestId('suggestion')).toHaveAttribute('data-decision', 'accepted');

  // ben annotates the same 10, disagreeing on some.
  await setAnnotator(page, 'ben');
  await expect(item).toHaveAttribute('data-pos', '1');
  await expectLabels(page, 1, []);
  await annotateAll(page, BEN);
  await page.reload();
  await expect(page.getByTestId('annotator-name')).toHaveValue('ben');
  await checkBackwards(page, BEN);

  // The agreement panel (key a): Cohen's kappa on the 10 items both annotated.
  await page.keyboard.press('a');
  await expect(page.getByTestId('agreement-table')).toBeVisible();
  for (const label of ['infinite-loop', 'code-leak', 'wrong-language', 'truncated'] as const) {
    const expected = kappaByHand(ANA, BEN, label);
    const cell = page.getByTestId(`kappa-${label}`);
    await expect(cell, label).toHaveText(expected.toFixed(3));
    expect(Number(await cell.getAttribute('data-value'))).toBeCloseTo(expected, 10);
    await expect(page.getByTestId(`kappa-n-${label}`)).toHaveText('10');
  }
  // On infinite-loop: agree on 8 of 10, each says yes twice → κ = (0.8 − 0.68) / 0.32.
  expect(kappaByHand(ANA, BEN, 'infinite-loop')).toBeCloseTo(0.375, 12);
  await expect(page.getByTestId('detector-row').first()).toBeVisible();
  // Critical-error rates from the detectors, then from the annotators' majority.
  await expect(page.getByTestId('rate-row').first()).toBeVisible();
  await page.getByTestId('rates-source').selectOption('human');
  await expect(page.getByTestId('rates-table')).toContainText('infinite-loop');
  await page.screenshot({ path: join(SHOTS, '7-annotate-agreement.png'), fullPage: true });
  expect(errors).toEqual([]);
});
