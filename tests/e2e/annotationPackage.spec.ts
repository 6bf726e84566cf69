// An annotator with no model and no runs opens a package in the browser (serve mode), annotates five items with
// the keyboard, sees the progress, and exports the annotations back for the owner to merge.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, expect } from '@playwright/test';
import { annotationsContentSchema, FORMATS } from '../../src/main/core/annotationPackages/packageSchemas';
import { readPackageFile } from '../../src/main/core/annotationPackages/packageFile';
import { AnnotationPackages } from '../../src/main/services/annotation/AnnotationPackages';
import { openStore } from '../../src/main/store/openStore';
import { cli } from '../support/cli';
import { REPO } from '../support/paths';
import { startServe, stopServe, type Served } from './serveFixture';

const FIXTURE = join(REPO, 'tests', 'fixtures', 'generations', 'annotate.jsonl');

/** The owner's folder (the fixture's 12 outputs, packaged for "ana") and ana's empty data folder, served. */
const test = base.extend<{ served: Served & { pkg: string; root: string } }>({
  served: async ({}, use) => {
    const root = mkdtempSync(join(tmpdir(), 'align-e2e-package-'));
    const ownerDir = join(root, 'owner');
    const imported = cli(['--data-dir', ownerDir, 'generations', 'import', FIXTURE, '--lang', 'en']);
    if (imported.code !== 0) throw new Error(`import failed: ${imported.stderr}`);
    const owner = openStore(join(ownerDir, 'workbench.sqlite'));
    const made = new AnnotationPackages(owner).create({
      studyName: 'pilot', selection: {}, annotators: ['ana'], overlapPercent: 0, seed: 1, guidelines: 'Flag loops first.', outDir: join(root, 'out'),
    });
    owner.close();
    mkdirSync(join(root, 'ana'));
    const served = await startServe(join(root, 'ana'));
    await use({ ...served, pkg: made.files[0]!.path, root });
    await stopServe(served);
    rmSync(root, { recursive: true, force: true });
  },
});

test('opens a package, annotates 5 items with the keyboard, exports them', async ({ page, served }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${served.url}#/annotate`);
  // Browser mode: no native dialog and no drop (a browser never says where a dropped file is); the path field stays.
  await expect(page.getByTestId('package-open-path')).toBeVisible();
  await expect(page.getByTestId('browse-package')).toHaveCount(0);
  await expect(page.getByTestId('package-drop-hint')).toHaveCount(0);
  const dropped = await page.evaluateHandle(() => {
    const data = new DataTransfer();
    data.items.add(new File(['x'], 'pilot-ana.alignpkg'));
    return data;
  });
  await page.getByTestId('annotate-view').dispatchEvent('dragover', { dataTransfer: dropped });
  await page.getByTestId('annotate-view').dispatchEvent('drop', { dataTransfer: dropped });
  await expect(page.getByTestId('packages-error')).toContainText('Drag and drop needs the desktop app');
  await page.getByTestId('package-open-path').fill(served.pkg);
  await page.getByTestId('package-open').click();
  // The annotator name comes from the package; the queue is its 12 items, flagged ones first.
  await expect(page.getByTestId('annotator-name')).toHaveValue('ana');
  await expect(page.getByTestId('package-progress')).toHaveText('0/12');
  await expect(page.getByTestId('package-guidelines')).toHaveText('Flag loops first.');
  await expect(page.getByTestId('annotate-item')).toHaveAttribute('data-pos', '1');
  // The detector suggestions travelled with the package: the first (flagged) item shows its evidence.
  await expect(page.getByTestId('annotate-output').getByTestId('evidence-mark').first()).toBeVisible();
  await expect(page.getByTestId('suggestion').first()).toHaveAttribute('data-decision', 'pending');

  const keys = [['y'], ['y'], ['n'], ['y', '5'], ['0']];
  for (const [i, step] of keys.entries()) {
    await expect(page.getByTestId('annotate-item')).toHaveAttribute('data-pos', String(i + 1));
    for (const key of step) await page.keyboard.press(key);
    await expect(page.getByTestId('annotate-saved')).toHaveAttribute('data-state', 'saved');
    await page.keyboard.press('j');
  }
  await expect(page.getByTestId('package-progress')).toHaveText('5/12');

  const out = join(served.root, 'pilot-ana.alignann');
  await page.getByTestId('package-export-path').fill(out);
  await page.getByTestId('package-export').click();
  await expect(page.getByTestId('packages-message')).toContainText('Wrote 5 of 12 annotations');
  const { content } = readPackageFile(out, FORMATS.annotations, annotationsContentSchema);
  expect(content.annotator).toBe('ana');
  expect(content.annotations).toHaveLength(5);
  expect(content.annotations.filter((a) => a.labels.length > 0)).toHaveLength(3);
  expect(content.annotations.some((a) => a.labels.includes('truncated'))).toBe(true);
  expect(errors).toEqual([]);
});
