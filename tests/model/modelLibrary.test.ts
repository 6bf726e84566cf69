import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiEvents, ApiMethod, ApiRequest, ApiResponse, ShaProgress } from '../../src/shared/api';
import { createApi, type Api } from '../../src/main/api/createApi';
import { createServices, type Services } from '../../src/main/services/createServices';
import { getLlamaRuntime, inspectGguf, LlamaBackend, ModelFileError } from '../../src/main/core/inference';
import { cli } from '../support/cli';
import { GREEDY, rawPrompt } from '../support/prompts';
import { REPO, SHARED, STORIES, STORIES_CHATML, URIAL_DIR, VOCAB_PHI3 } from '../support/paths';
import { RESOURCES_DIR } from '../../src/main/paths';

const MODELS_DIR = join(SHARED, 'models');
const sha256Of = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
/** A refusal that skips node-llama-cpp's size-proportional search answers in well under this (it took 8–50 s). */
const QUICK_MS = 3000;

describe('GGUF metadata of every file in ../shared/models, without loading weights', () => {
  const files = readdirSync(MODELS_DIR).filter((f) => f.endsWith('.gguf'));

  it('finds the shared models', () => expect(files.length).toBeGreaterThanOrEqual(7));

  it.each(files)('%s', async (file) => {
    const path = join(MODELS_DIR, file);
    const { summary } = await inspectGguf(path, await getLlamaRuntime('cpu'));
    expect(summary.sizeBytes).toBe(statSync(path).size);
    expect(summary.architecture).toMatch(/^[a-z0-9]+$/);
    expect(summary.tokenizerModel).toMatch(/^(llama|gpt2)$/);
    // PROVENANCE.md: the ggml-vocab-* files are tokenizers without weights; every other file generates.
    const vocabOnly = file.startsWith('ggml-vocab-');
    expect(summary.runnable).toBe(!vocabOnly);
    expect(summary.tensorCount === 0).toBe(vocabOnly);
    // From general.file_type, or the dominant tensor type when an old converter wrote none.
    expect(summary.quantization).toMatch(/^[A-Z0-9_]+$/);
    if (!vocabOnly) {
      expect(summary.parameterCount).toBeGreaterThan(0);
      expect(summary.trainContextSize).toBeGreaterThan(0);
    }
    expect(summary.chatTemplateName == null).toBe(summary.chatTemplate == null);
  });

  it('names the chat template format node-llama-cpp recognises', async () => {
    const llama = await getLlamaRuntime('cpu');
    expect((await inspectGguf(STORIES_CHATML, llama)).summary).toMatchObject({ chatTemplateName: 'ChatML', chatTemplate: expect.stringContaining('<|im_start|>') });
    expect((await inspectGguf(VOCAB_PHI3, llama)).summary).toMatchObject({ chatTemplateName: 'JinjaTemplate', runnable: false });
    expect((await inspectGguf(STORIES, llama)).summary).toMatchObject({ chatTemplate: null, chatTemplateName: null });
  });
});

describe('bad model files: what, where, what to do', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aw-badgguf-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const problem = async (path: string) => {
    const err = await inspectGguf(path, await getLlamaRuntime('cpu')).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(ModelFileError);
    return err as ModelFileError;
  };

  it('a missing file', async () => {
    const err = await problem(join(dir, 'gone.gguf'));
    expect(err.problem).toBe('missing');
    expect(err.message).toBe(`${join(dir, 'gone.gguf')}: file not found. Check the path, or re-add the model if it was moved.`);
  });

  it('a file that is not a GGUF (an HTML page saved as .gguf)', async () => {
    const path = join(dir, 'page.gguf');
    writeFileSync(path, '<!doctype html><title>Sign in</title>');
    const err = await problem(path);
    expect(err.problem).toBe('not-gguf');
    expect(err.message).toMatch(new RegExp(`^${path}: not a GGUF file .*download a \\.gguf build`));
  });

  it('a GGUF truncated in its tensor data, and one truncated in its header', async () => {
    const cut = join(dir, 'cut.gguf');
    copyFileSync(STORIES, cut);
    truncateSync(cut, Math.floor(statSync(STORIES).size * 0.6));
    const err = await problem(cut);
    expect(err.problem).toBe('truncated');
    expect(err.message).toMatch(/truncated: the header describes [\d,]+ bytes of tensors but the file has [\d,]+\. Download it again\./);
    truncateSync(cut, 200);
    const header = await problem(cut);
    // The minimum GGUF check (issue 15) reads the header's own length: cut inside it, the file is named truncated.
    expect(header.problem).toBe('truncated');
    expect(header.message).toMatch(/truncated: the GGUF header needs [\d,]+ bytes but the file has 200\. Download it again\./);
  });
});

describe('the model library through the API (real store, real files)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aw-library-'));
  const files = join(dir, 'files');
  let workbench: Services;
  let api: Api;
  const shaEvents: ShaProgress[] = [];

  async function call<M extends ApiMethod>(method: M, params: ApiRequest<M>): Promise<ApiResponse<M>> {
    const r = await api.handle(method, params);
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    return r.result as ApiResponse<M>;
  }
  async function hashed(modelId: number): Promise<string> {
    for (let i = 0; i < 500; i++) {
      const m = (await call('models.list', {})).find((x) => x.id === modelId)!;
      if (m.sha256 && !m.hashing) return m.sha256;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`model ${modelId} was never hashed`);
  }

  beforeAll(() => {
    mkdirSync(files);
    workbench = createServices({ dataDir: join(dir, 'data'), resourcesDir: join(REPO, 'resources'), urialOfficialDir: URIAL_DIR });
    api = createApi(workbench, { transport: 'http' });
    api.subscribe((event, payload) => {
      if (event === 'models.sha') shaEvents.push(payload as ApiEvents['models.sha']);
    });
  });
  afterAll(async () => {
    await api.shutdown();
    await workbench.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('adds a GGUF at once and hashes it in the background, with progress events', async () => {
    const added = await call('models.add', { path: STORIES });
    expect(added).toMatchObject({ path: STORIES, runnable: true, fileStatus: 'ok', familyId: null, role: null });
    expect(added.metadata.chatTemplateName).toBeNull();
    const sha = await hashed(added.id);
    expect(sha).toBe(sha256Of(STORIES));
    const done = shaEvents.filter((e) => e.modelId === added.id && e.sha256);
    expect(done).toEqual([expect.objectContaining({ sha256: sha, bytesDone: statSync(STORIES).size, error: null })]);
  });

  it('does not hash an unchanged file again when it is re-added (the sha256 cache)', async () => {
    const before = shaEvents.length;
    const again = await call('models.add', { path: STORIES });
    // The hash is there in the answer itself, and no background hash started.
    expect(again.sha256).toBe(sha256Of(STORIES));
    expect(again.hashing).toBeNull();
    expect(shaEvents.length).toBe(before);
  });

  it('shows duplicates (same sha256 under another path)', async () => {
    const copy = join(files, 'copy-of-stories.gguf');
    copyFileSync(STORIES, copy);
    const dup = await call('models.add', { path: copy });
    await hashed(dup.id);
    const list = await call('models.list', {});
    const original = list.find((m) => m.path === STORIES)!;
    expect(list.find((m) => m.id === dup.id)!.duplicateOf).toEqual([original.id]);
    expect(original.duplicateOf).toEqual([dup.id]);
  });

  it('keeps a moved file as "missing", locates it (same sha256 only), and removes an unused entry', async () => {
    const path = join(files, 'movable.gguf');
    copyFileSync(STORIES_CHATML, path);
    const m = await call('models.add', { path });
    await hashed(m.id);
    rmSync(path);
    expect((await call('models.list', {})).find((x) => x.id === m.id)).toMatchObject({ fileStatus: 'missing', path });
    const r = await api.handle('models.locate', { modelId: m.id, path: STORIES });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/is already in the library as model/);
    const other = join(files, 'not-the-same.gguf');
    copyFileSync(STORIES, other);
    const wrong = await api.handle('models.locate', { modelId: m.id, path: other });
    if (!wrong.ok) expect(wrong.error.message).toMatch(/is not the same file as model \d+ .*Add it as a new model instead/);
    else throw new Error('a different file was accepted');
    const moved = join(files, 'moved', 'movable.gguf');
    mkdirSync(join(files, 'moved'));
    copyFileSync(STORIES_CHATML, moved);
    expect(await call('models.locate', { modelId: m.id, path: moved })).toMatchObject({ id: m.id, path: moved, fileStatus: 'ok' });
    expect(await call('models.remove', { modelId: m.id })).toEqual({ removed: m.id });
    expect((await call('models.list', {})).some((x) => x.id === m.id)).toBe(false);
  });

  it('scans a folder recursively: adds the GGUFs (vocab-only ones as not runnable) and names each bad file', async () => {
    const scan = join(dir, 'scan');
    mkdirSync(join(scan, 'deep', 'er'), { recursive: true });
    copyFileSync(STORIES, join(scan, 'deep', 'er', 'stories.gguf'));
    copyFileSync(VOCAB_PHI3, join(scan, 'phi3-vocab.gguf'));
    writeFileSync(join(scan, 'html.gguf'), '<html>Not found</html>');
    copyFileSync(STORIES, join(scan, 'cut.gguf'));
    truncateSync(join(scan, 'cut.gguf'), 600_000);
    writeFileSync(join(scan, 'readme.txt'), 'not a model');
    const result = await call('models.scan', { folder: scan });
    expect(result.found).toBe(4);
    expect(result.added.map((m) => [m.name, m.runnable])).toEqual([
      ['stories', true],
      ['phi3-vocab', false],
    ]);
    expect(result.failed.map((f) => f.path)).toEqual([join(scan, 'cut.gguf'), join(scan, 'html.gguf')]);
    expect(result.failed[0]!.message).toMatch(/truncated/);
    expect(result.failed[1]!.message).toMatch(/not a GGUF file/);
    const bad = await api.handle('models.scan', { folder: join(scan, 'nope') });
    expect(bad.ok ? null : bad.error.message).toMatch(/Cannot read the folder .*nope: ENOENT/);
  });

  it('plans "every role of a family × the methods that fit the role"', async () => {
    const base = (await call('models.list', {})).find((m) => m.path === STORIES)!;
    const chat = await call('models.add', { path: STORIES_CHATML });
    const family = await call('families.create', { name: 'stories260K' });
    await call('models.setFamily', { modelId: base.id, familyId: family.id, role: 'base' });
    await call('models.setFamily', { modelId: chat.id, familyId: family.id, role: 'sft' });
    expect((await call('families.list', {})).find((f) => f.id === family.id)!.members).toEqual([
      { modelId: base.id, role: 'base' },
      { modelId: chat.id, role: 'sft' },
    ]);
    const noRole = await api.handle('models.setFamily', { modelId: chat.id, familyId: family.id });
    expect(noRole.ok ? null : noRole.error.message).toMatch(/needs a role/);
    const dataset = await call('datasets.import', { path: join(REPO, 'tests/fixtures/datasets/small.json'), lang: 'en', name: 'small' });
    const plan = await call('runs.plan', { models: [], methods: [], families: ['stories260K'], datasets: [String(dataset.id)] });
    expect(plan.runs.map((r) => [r.model, r.method])).toEqual([
      [String(base.id), 'zero-shot'],
      [String(base.id), 'urial'],
      [String(chat.id), 'chat'],
    ]);
    expect(plan.totalItems).toBe(9);
    // URIAL's preamble alone is longer than stories260K's trained context: the plan says so, with the numbers.
    expect(plan.warnings).toEqual([expect.stringMatching(/^stories260K · urial( \(\w+\))?: the longest prompt plus max tokens exceed the model's trained context: [\d,]+ \+ [\d,]+ > 2,048 tokens/)]);
    // Explicit models combine with the family; the same model × method is planned once.
    const both = await call('runs.plan', { models: [String(base.id)], methods: ['zero-shot'], families: [String(family.id)], datasets: [String(dataset.id)] });
    expect(both.runs).toHaveLength(3);
    const none = await api.handle('runs.plan', { models: [], methods: ['chat'], datasets: [String(dataset.id)] });
    expect(none.ok ? null : none.error.message).toMatch(/Choose at least one model or family/);
    // Removing the family leaves its models in the library, unassigned.
    await call('families.remove', { familyId: family.id });
    expect((await call('models.list', {})).find((m) => m.id === chat.id)).toMatchObject({ familyId: null, role: null });
  });

  it('reports the hardware with the default threads from physical cores', async () => {
    const hw = await call('hardware.info', {});
    expect(hw.cpu.physicalCores).toBeGreaterThanOrEqual(1);
    expect(hw.cpu.physicalCores).toBeLessThanOrEqual(hw.cpu.logicalCores);
    expect(hw.defaultThreads).toBe(hw.cpu.physicalCores);
    expect(hw.ram.total).toBeGreaterThan(hw.ram.free);
    expect(hw.ram.free).toBeGreaterThan(0);
    if (hw.gpu) expect(['cuda', 'vulkan', 'metal']).toContain(hw.gpu.type);
  });

  it('estimates memory before loading: positive, below RAM, growing with the context', async () => {
    const model = (await call('models.list', {})).find((m) => m.path === STORIES)!;
    const hw = await call('hardware.info', {});
    const small = await call('models.fit', { modelId: model.id, contextSize: 256, gpu: 'cpu' });
    const large = await call('models.fit', { modelId: model.id, contextSize: 8192, gpu: 'cpu' });
    for (const fit of [small, large]) {
      expect(fit).toMatchObject({ fits: true, problem: null, gpuLayers: 0, trainContextSize: 2048 });
      expect(fit.model.ram).toBeGreaterThan(0);
      expect(fit.context.ram).toBeGreaterThan(0);
      expect(fit.required.ram).toBe(fit.model.ram + fit.context.ram);
      expect(fit.required.ram).toBeLessThan(hw.ram.total);
    }
    expect(large.context.ram).toBeGreaterThan(small.context.ram);
    // Two parallel sequences need more context memory than one.
    const two = await call('models.fit', { modelId: model.id, contextSize: 8192, parallel: 2, gpu: 'cpu' });
    expect(two.context.ram).toBeGreaterThan(large.context.ram);
  });

  it('refuses an impossible context quickly, with the numbers', async () => {
    const model = (await call('models.list', {})).find((m) => m.path === STORIES)!;
    const started = performance.now();
    const fit = await call('models.fit', { modelId: model.id, contextSize: 200_000_000, gpu: 'cpu' });
    expect(performance.now() - started).toBeLessThan(QUICK_MS);
    expect(fit.fits).toBe(false);
    expect(fit.required.ram).toBeGreaterThan(fit.available.ram);
    expect(fit.problem).toMatch(/^it needs about [\d.]+ [GT]iB of RAM \(model .* \+ context .*\) but [\d.]+ [GMT]iB is free: it does not fit in memory\./);
    // A context that fits in RAM but is far beyond what the model was trained on is refused too.
    const beyond = await call('models.fit', { modelId: model.id, contextSize: 1_000_000, gpu: 'cpu' });
    expect(beyond.fits).toBe(false);
    expect(beyond.problem).toMatch(/1,000,000 tokens is 488× the model's trained context \(2,048 tokens\)/);
    // The composer's plan carries the same verdict before anything runs.
    const dataset = (await call('datasets.list', {}))[0]!;
    const plan = await call('runs.plan', {
      models: [String(model.id)],
      methods: ['zero-shot'],
      datasets: [String(dataset.id)],
      backend: { contextSize: 200_000_000, gpu: 'cpu' },
    });
    expect(plan.warnings).toEqual([expect.stringMatching(/^stories260K at a context of 200000000 tokens × 1 sequence\(s\): it needs about .* does not fit in memory/)]);
  });
});

describe('loading with an explicit GPU offload and refusing an impossible context', () => {
  it('loads with a layer count (0 on a CPU-only machine is CPU), and refuses 200M tokens of context in seconds', async () => {
    const backend = await LlamaBackend.load({ modelPath: STORIES, gpu: 0, threads: 1 });
    try {
      // Recorded with every run: how many layers went to the GPU.
      expect(backend.versions().gpuLayers).toMatch(/^0\/\d+$/);
      const started = performance.now();
      await expect(backend.configure({ contextSize: 200_000_000, parallel: 1 })).rejects.toThrow(
        /^Cannot create a context of 200000000 tokens × 1 sequence\(s\) for .*: it needs about .* of RAM .* but .* is free: it does not fit in memory/,
      );
      expect(performance.now() - started).toBeLessThan(QUICK_MS);
      await backend.configure({ contextSize: 128, parallel: 1 });
      const r = await backend.generate({ prompt: rawPrompt('Once upon'), sampler: { ...GREEDY, maxTokens: 3 } });
      expect(r.outputTokens).toBe(3);
    } finally {
      await backend.dispose();
    }
  });
});

describe('the CLI: models scan, families, --gpu', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aw-cli-models-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const data = ['--data-dir', join(dir, 'data')];

  // Each CLI call is a fresh process (~5 s of start-up, several times that on a loaded machine).
  it('scans a folder, creates a family, assigns roles, batches the family, and checks --gpu', { timeout: 400_000 }, async () => {
    mkdirSync(join(dir, 'models'));
    copyFileSync(STORIES, join(dir, 'models', 'base.gguf'));
    copyFileSync(STORIES_CHATML, join(dir, 'models', 'chat.gguf'));
    writeFileSync(join(dir, 'models', 'broken.gguf'), 'nope');
    const scan = cli([...data, 'models', 'scan', join(dir, 'models')]);
    expect(scan.code).toBe(1);
    expect(scan.stdout).toMatch(/^added\t1\t.*base\.gguf$/m);
    expect(scan.stdout).toMatch(/^failed\t.*broken\.gguf: not a GGUF file/m);
    expect(scan.lastLine).toBe('2 of 3 GGUF file(s) added');
    const created = cli([...data, 'models', 'family', 'create', 'stories']);
    expect(created.lastLine).toMatch(/^\d+$/);
    expect(cli([...data, 'models', 'family', 'assign', '1', 'stories', '--role', 'base']).code).toBe(0);
    expect(cli([...data, 'models', 'family', 'assign', join(dir, 'models', 'chat.gguf'), created.lastLine, '--role', 'dpo']).code).toBe(0);
    expect(cli([...data, 'models', 'family', 'list']).stdout).toBe(`${created.lastLine}\tstories\t1:base 2:dpo\n`);

    // runs batch over the family: base → zero-shot + URIAL, dpo → chat; the system prompt only reaches the chat run.
    const dataset = cli([...data, 'datasets', 'import', join(REPO, 'resources', 'datasets', 'sample.en.jsonl'), '--lang', 'en', '--name', 'sample-en']);
    expect(dataset.code, dataset.stderr).toBe(0);
    const batch = cli([...data, 'runs', 'batch', '--families', 'stories', '--datasets', 'sample-en', '--limit', '1', '--system-prompt', 'Be brief.']);
    expect(batch.code, batch.stderr).toBe(0);
    const runIds = batch.stdout.trim().split('\n').map(Number);
    expect(runIds).toHaveLength(3);
    const wb = createServices({ dataDir: join(dir, 'data'), resourcesDir: RESOURCES_DIR });
    try {
      const planned = runIds.map((id) => wb.store.runs.get(id)!).map((r) => [r.modelId, r.config!.method.method, r.config!.method.systemPrompt ?? null]);
      expect(planned).toEqual([
        [1, 'zero-shot', null],
        [1, 'urial', null],
        [2, 'chat', 'Be brief.'],
      ]);
    } finally {
      await wb.close();
    }
    // The original form stays: models × methods × datasets, one id per line.
    const classic = cli([...data, 'runs', 'batch', '--models', '1,2', '--methods', 'zero-shot', '--datasets', 'sample-en', '--limit', '1']);
    expect(classic.code, classic.stderr).toBe(0);
    expect(classic.stdout.trim().split('\n')).toEqual([String(runIds[2]! + 1), String(runIds[2]! + 2)]);
    const noModels = cli([...data, 'runs', 'batch', '--methods', 'chat', '--datasets', 'sample-en']);
    expect(noModels.code).toBe(2);
    expect(noModels.stderr).toMatch(/Give --models with --methods, or --families/);
    const badGpu = cli([...data, 'runs', 'create', '--model', '1', '--method', 'zero-shot', '--dataset', 'x', '--gpu', 'lots']);
    expect(badGpu.code).toBe(2);
    expect(badGpu.stderr).toMatch(/--gpu must be auto, cpu, or a number of layers/);
  });
});
