// First run (sample import once, welcome screen), app settings, the recommended-model catalogue and the sample
// dataset files, on a real SQLite store in a temp folder.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createServices } from '../../../src/main/services/createServices';
import { readModelCatalogue } from '../../../src/main/core/models/downloadCatalogue';
import { RESOURCES_DIR } from '../../../src/main/paths';
import { insertVerdict } from '../../support/seedResults';

const dirs: string[] = [];
const open = (dataDir = mkdtempSync(join(tmpdir(), 'align-first-run-'))) => {
  dirs.push(dataDir);
  return createServices({ dataDir, resourcesDir: RESOURCES_DIR });
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('first run', () => {
  it('imports the EN/FR/ES sample into an empty store once, as one parallel group, and shows the welcome screen', async () => {
    const w = open();
    const first = await w.firstRun.state();
    expect(first.showWelcome).toBe(true);
    expect(first.modelCount).toBe(0);
    expect(first.sampleDatasets.map((d) => [d.name, d.lang, d.itemCount])).toEqual([
      ['sample-en', 'en', 30],
      ['sample-fr', 'fr', 30],
      ['sample-es', 'es', 30],
    ]);
    const groups = new Set(first.sampleDatasets.map((d) => d.parallelGroup));
    expect(groups.size).toBe(1);
    expect([...groups][0]).not.toBeNull();

    // A second start imports nothing more.
    await w.firstRun.state();
    expect(w.store.datasets.list()).toHaveLength(3);
    expect(w.firstRun.dismissWelcome().showWelcome).toBe(false);
    await w.close();
  });

  it('counts what is done for the welcome ticks: models, datasets, finished runs, annotations, judge calls', async () => {
    const w = open();
    expect((await w.firstRun.state()).progress).toEqual({ models: 0, datasets: 3, finishedRuns: 0, annotations: 0, judgeCalls: 0 });
    // An imported run is finished as soon as it exists; an annotation (edited once) counts once.
    const ds = w.store.datasets.byName('sample-en')!;
    const run = w.store.runs.insert({
      name: 'imported', kind: 'imported', modelId: null, datasetId: ds.id, config: null, method: { method: 'zero-shot' }, environment: {}, status: 'done', itemIds: ['1'],
    });
    const itemId = w.store.datasets.items(ds.id)[0]!.id;
    const g = w.store.generations.insert({
      runId: run.id, itemId, prompt: 'p', outputRaw: 'o', output: 'o', finishReason: 'stop', error: null,
      promptTokens: 1, evaluatedPromptTokens: 1, outputTokens: 1, wallMs: 1, tokensPerSecond: 1, seed: 1,
    });
    w.store.annotations.save(g, 'ana', { labels: ['empty'] });
    w.store.annotations.save(g, 'ana', { labels: [] });
    insertVerdict(w.store, g, { scores: { helpfulness: 3 } });
    expect((await w.firstRun.state()).progress).toEqual({ models: 0, datasets: 3, finishedRuns: 1, annotations: 1, judgeCalls: 1 });
    await w.close();
  });

  it('leaves a store that already has data alone', async () => {
    const w = open();
    await w.datasets.import(join(RESOURCES_DIR, 'datasets', 'sample.fr.jsonl'), { lang: 'fr', name: 'mine' });
    const info = await w.firstRun.state();
    expect(info.sampleDatasets).toEqual([]);
    expect(w.store.datasets.list().map((d) => d.name)).toEqual(['mine']);
    await w.close();
  });
});

describe('settings', () => {
  it('defaults the download folder to <data>/models, refuses a relative path and keeps a valid one across restarts', async () => {
    const w = open();
    const dataDir = w.options.dataDir;
    expect(w.settings.read().downloadDir).toBe(join(dataDir, 'models'));
    expect(() => w.settings.write({ downloadDir: 'models' })).toThrow(/absolute path \(got "models"\)/);
    const blocker = join(dataDir, 'a-file');
    writeFileSync(blocker, 'x');
    expect(() => w.settings.write({ downloadDir: join(blocker, 'sub') })).toThrow(/Cannot use .*a-file\/sub as the download folder/);
    const chosen = join(dataDir, 'elsewhere', 'gguf');
    expect(w.settings.write({ downloadDir: chosen }).downloadDir).toBe(chosen);
    await w.close();
    const again = open(dataDir);
    expect(again.settings.read().downloadDir).toBe(chosen);
    await again.close();
  });
});

describe('recommended-model catalogue', () => {
  it('lists small models as base + instruct pairs of one family, with hf: URIs and licences', () => {
    const models = readModelCatalogue(RESOURCES_DIR);
    expect(models.length).toBeGreaterThanOrEqual(6);
    for (const family of new Set(models.map((m) => m.family))) {
      expect(models.filter((m) => m.family === family).map((m) => m.role).sort(), family).toEqual(['base', 'sft']);
    }
    for (const m of models) {
      expect(m.parameters).toBeLessThan(2e9);
      expect(m.uri).toMatch(/^hf:[^/]+\/[^/]+\/.+\.gguf$/);
      expect(m.licence).not.toBe('');
    }
  });

  it('names the entry and field of a bad edit', () => {
    const dir = mkdtempSync(join(tmpdir(), 'align-catalogue-'));
    dirs.push(dir);
    mkdirSync(join(dir, 'catalogue'));
    const good = JSON.parse(readFileSync(join(RESOURCES_DIR, 'catalogue', 'models.json'), 'utf8')) as { models: Record<string, unknown>[] };
    good.models[2]!.parameters = 7_000_000_000;
    writeFileSync(join(dir, 'catalogue', 'models.json'), JSON.stringify(good));
    expect(() => readModelCatalogue(dir)).toThrow(/models\.json: models\.2\.parameters: the catalogue lists small \(<2B\) models/);
  });
});

describe('sample dataset files', () => {
  const read = (lang: string) =>
    readFileSync(join(RESOURCES_DIR, 'datasets', `sample.${lang}.jsonl`), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; instruction: string; category: string; task_types?: string[] });

  it('are parallel: the same 30 ids, categories and task types in EN, FR and ES, with different text', () => {
    const [en, fr, es] = ['en', 'fr', 'es'].map(read);
    expect(en).toHaveLength(30);
    for (const other of [fr!, es!]) {
      expect(other.map((i) => [i.id, i.category, i.task_types])).toEqual(en!.map((i) => [i.id, i.category, i.task_types]));
      other.forEach((item, i) => expect(item.instruction).not.toBe(en![i]!.instruction));
    }
    expect(en!.filter((i) => i.category === 'safety').length).toBeGreaterThanOrEqual(4);
    const types = new Set(en!.flatMap((i) => i.task_types ?? []));
    for (const t of ['info-seek', 'reasoning', 'procedure', 'writing', 'coding', 'role-play', 'math']) expect(types, t).toContain(t);
  });
});
