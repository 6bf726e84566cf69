import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../src/main/services/createServices';
import { createApi } from '../../src/main/api/createApi';
import { methodLabel } from '../../src/shared/methodLabel';
import { DECODING_PRESETS } from '../../src/shared/presets';
import type { RunInfo, RunPlan } from '../../src/shared/runs';
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

  it('names, plans and lists an allowed English-prompt run as "URIAL (en prompt)"', async () => {
    const run = await w.runs.create({ model: STORIES, method: 'urial', dataset: 'fr', promptFile: englishFile, allowPromptLangMismatch: true });
    expect(run.name).toBe('stories260K · URIAL (en prompt) · fr');
    const api = createApi(w, { transport: 'cli' });
    const info = (await api.handle('runs.get', { runId: run.id })) as { result: RunInfo };
    expect(info.result.methodLabel).toBe('URIAL (en prompt)');
    const request = { models: [STORIES], methods: ['urial' as const], datasets: ['fr'], promptFile: englishFile, allowPromptLangMismatch: true };
    const plan = (await api.handle('runs.plan', request)) as { result: RunPlan };
    expect(plan.result.runs.map((r) => r.methodLabel)).toEqual(['URIAL (en prompt)']);
    const shipped = await w.runs.create({ model: STORIES, method: 'urial', dataset: 'fr' });
    expect(shipped.name).toBe('stories260K · urial · fr');
  });

  it('records the URIAL reference preset only while the sampler matches it', async () => {
    const preset = await w.runs.create({ model: STORIES, method: 'zero-shot', dataset: 'fr', preset: 'urial-reference' });
    expect(preset.config?.preset).toBe('urial-reference');
    expect(preset.config?.sampler).toMatchObject(DECODING_PRESETS['urial-reference'].values);
    // An explicit sampler field over the preset wins, and the run no longer carries the preset's name.
    const edited = await w.runs.create({ model: STORIES, method: 'zero-shot', dataset: 'fr', preset: 'urial-reference', sampler: { repeatPenalty: 1.2 } });
    expect(edited.config?.sampler.repeatPenalty).toBe(1.2);
    expect(edited.config?.sampler.maxTokens).toBe(4096);
    expect(edited.config?.preset).toBeUndefined();
    // The same values typed by hand are not "the preset": only a run created from it is recorded so.
    const plain = await w.runs.create({ model: STORIES, method: 'zero-shot', dataset: 'fr' });
    expect(plain.config?.preset).toBeUndefined();
  });
});
