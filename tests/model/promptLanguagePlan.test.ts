import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../src/main/services/createServices';
import { methodLabel } from '../../src/shared/methodLabel';
import { REPO, STORIES, URIAL_DIR } from '../support/paths';

/** The path that produced the silent case: an explicit English URIAL file on a French dataset, planned as "fr". */
describe('prompt language in run planning', { timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'align-promptlang-'));
  let w: Services;
  const englishFile = join(URIAL_DIR, 'inst_1k_v4.txt');

  beforeAll(async () => {
    w = createServices({ dataDir: dir, resourcesDir: join(REPO, 'resources'), urialOfficialDir: URIAL_DIR });
    await w.library.resolve(STORIES);
    await w.datasets.import(join(REPO, 'resources/datasets/sample.fr.jsonl'), { lang: 'fr', name: 'fr' });
  });
  afterAll(async () => {
    await w.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses an English prompt file on French items unless asked', async () => {
    await expect(w.runs.plan({ model: STORIES, method: 'urial', dataset: 'fr', promptFile: englishFile })).rejects.toThrow(
      /is in "en" but the dataset is "fr"/,
    );
  });

  it('records the prompt language actually used when asked explicitly, and labels it', async () => {
    const plan = await w.runs.plan({ model: STORIES, method: 'urial', dataset: 'fr', promptFile: englishFile, allowPromptLangMismatch: true });
    expect(plan.promptLang).toBe('en');
    expect(plan.described).toMatchObject({ promptLang: 'en', promptLangSource: 'detected', promptLangMismatch: 'allowed: en prompt on fr items' });
    expect(methodLabel(plan.method.method, plan.promptLang, plan.dataset.lang)).toBe('URIAL (en prompt)');
  });

  it('keeps the shipped French prompt as "fr", declared by its file', async () => {
    const plan = await w.runs.plan({ model: STORIES, method: 'urial', dataset: 'fr' });
    expect(plan.described).toMatchObject({ promptLang: 'fr', promptLangSource: 'declared' });
    expect('promptLangMismatch' in plan.described).toBe(false);
  });
});
