import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BackendPool } from '../../../src/main/core/runs/BackendPool';
import { ModelLibrary } from '../../../src/main/services/models/ModelLibrary';
import { Judging } from '../../../src/main/services/judging/Judging';
import { justEvalTemplatesDir } from '../../../src/main/services/reference/justEvalTemplatesDir';
import { ASPECTS_RUBRIC_VERSION, DEFAULT_JUDGE_MAX_TOKENS, SAFETY_RUBRIC_VERSION } from '../../../src/main/core/judge';
import { JUST_EVAL_ORIGINAL_MULTI, JUST_EVAL_ORIGINAL_SAFETY } from '../../../src/shared/rubricSources';
import { importedGeneration } from '../../../src/main/store/GenerationRepo';
import { SHARED } from '../../support/paths';
import { addDataset, addModel, addRun, numberedItems, openTempStore, type TempStore } from '../../support/tempStore';

const TEMPLATES = join(SHARED, 'data', 'just_eval', 'judge_templates');
const dir = mkdtempSync(join(tmpdir(), 'align-reference-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A reference-files folder (the layout of ../shared/data) holding the two templates, or only the multi one. */
function referenceRoot(name: string, files = ['_MULTI_SCORE_TEMPLATE.py', '_SAFETY_SCORE_TEMPLATE.py']): string {
  const root = join(dir, name);
  mkdirSync(join(root, 'just_eval', 'judge_templates'), { recursive: true });
  for (const f of files) cpSync(join(TEMPLATES, f), join(root, 'just_eval', 'judge_templates', f));
  return root;
}

describe('justEvalTemplatesDir: where the original judge finds the official templates', () => {
  const dataDir = join(dir, 'data');

  it('takes ALIGN_REFERENCE_DIR first, then <data folder>/reference, then the checkout fallback', () => {
    const env = referenceRoot('env');
    mkdirSync(dataDir, { recursive: true });
    const inData = referenceRoot(join('data', 'reference'));
    const fallback = join(SHARED, 'data');
    expect(justEvalTemplatesDir({ env, dataDir, fallback })).toBe(join(env, 'just_eval', 'judge_templates'));
    expect(justEvalTemplatesDir({ dataDir, fallback })).toBe(join(inData, 'just_eval', 'judge_templates'));
    expect(justEvalTemplatesDir({ dataDir: join(dir, 'empty'), fallback })).toBe(TEMPLATES);
  });

  it('skips a folder holding only one of the two templates: both come from the same copy', () => {
    const half = referenceRoot('half', ['_MULTI_SCORE_TEMPLATE.py']);
    expect(justEvalTemplatesDir({ env: half, dataDir: join(dir, 'empty'), fallback: join(SHARED, 'data') })).toBe(TEMPLATES);
  });

  it('names every folder tried and how to set one when none has them', () => {
    const tried = () => justEvalTemplatesDir({ env: join(dir, 'nowhere'), dataDir: join(dir, 'empty') });
    expect(tried).toThrow(join(dir, 'nowhere', 'just_eval', 'judge_templates'));
    expect(tried).toThrow(join(dir, 'empty', 'reference', 'just_eval', 'judge_templates'));
    expect(tried).toThrow(/set ALIGN_REFERENCE_DIR/);
  });
});

describe('judge runs with --rubric just-eval-original', () => {
  let t: TempStore;
  let templatesDir: () => string;
  let runId: number;
  let judgeId: number;
  const judging = () => new Judging({ store: t.store, library: new ModelLibrary(t.store), pool: new BackendPool(() => Promise.reject(new Error('no model here'))), justEvalTemplatesDir: () => templatesDir() });

  beforeEach(() => {
    t = openTempStore();
    templatesDir = () => TEMPLATES;
    const model = addModel(t.store, '/models/judge.gguf');
    runId = addRun(t.store, model, addDataset(t.store, [...numberedItems(2), ...numberedItems(1, 'safety').map((i) => ({ ...i, id: 's1' }))], 'en')).id;
    t.store.generations.insertMany(['1', '2', 's1'].map((itemId) => importedGeneration(runId, itemId, { output: `An answer to ${itemId}.`, generator: null })));
    judgeId = t.store.judges.upsert({
      name: 'judge', kind: 'local', identity: 'gguf:judge', modelId: model.id, baseUrl: null, model: null,
      apiKey: { source: 'none' }, concurrency: 1, timeoutMs: 1000, maxRetries: 0,
    }).id;
  });
  afterEach(() => t.dispose());

  it('takes the multi template for regular items and the safety one for safety items, temperature 0, 1024 tokens', () => {
    const run = judging().createJudgeRun({ runIds: [runId], judgeId, rubricVersion: 'just-eval-original' });
    expect(run.config).toMatchObject({ rubricVersion: JUST_EVAL_ORIGINAL_MULTI, safetyRubricVersion: JUST_EVAL_ORIGINAL_SAFETY, temperature: 0, maxTokens: 1024 });
  });

  it('keeps what is asked for explicitly, and our adaptation\'s defaults without it', () => {
    const mixed = judging().createJudgeRun({ runIds: [runId], judgeId, rubricVersion: 'just-eval-original', safetyRubricVersion: SAFETY_RUBRIC_VERSION, maxTokens: 300 });
    expect(mixed.config).toMatchObject({ rubricVersion: JUST_EVAL_ORIGINAL_MULTI, safetyRubricVersion: SAFETY_RUBRIC_VERSION, maxTokens: 300 });
    const ours = judging().createJudgeRun({ runIds: [runId], judgeId });
    expect(ours.config).toMatchObject({ rubricVersion: ASPECTS_RUBRIC_VERSION, safetyRubricVersion: SAFETY_RUBRIC_VERSION, maxTokens: DEFAULT_JUDGE_MAX_TOKENS });
  });

  it('refuses at once, saying where it looked, when the official files are not found; our rubric does not need them', () => {
    templatesDir = () => justEvalTemplatesDir({ dataDir: join(dir, 'empty') });
    expect(() => judging().createJudgeRun({ runIds: [runId], judgeId, rubricVersion: 'just-eval-original' })).toThrow(/not in .*empty.*reference.*set ALIGN_REFERENCE_DIR/s);
    expect(t.store.judgeRuns.list()).toHaveLength(0);
    expect(judging().createJudgeRun({ runIds: [runId], judgeId }).config.rubricVersion).toBe(ASPECTS_RUBRIC_VERSION);
  });

  it('fails the run with that message when the files are gone by the time it starts, before any model loads', async () => {
    const j = judging();
    const run = j.createJudgeRun({ runIds: [runId], judgeId, rubricVersion: 'just-eval-original' });
    templatesDir = () => justEvalTemplatesDir({ dataDir: join(dir, 'empty') });
    expect(await j.startJudgeRun(run.id)).toBe('failed');
    expect(t.store.judgeRuns.get(run.id)!.error).toMatch(/not in .*empty.*reference.*set ALIGN_REFERENCE_DIR/s);
  });
});
