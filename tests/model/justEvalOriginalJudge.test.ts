import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JUST_EVAL_ORIGINAL_MULTI, JUST_EVAL_ORIGINAL_SAFETY } from '../../src/shared/rubricSources';
import { LlamaBackend } from '../../src/main/core/inference/llama/LlamaBackend';
import { BackendJudge, executeJudgeRun } from '../../src/main/core/judge';
import { judgeRunStorePort } from '../../src/main/services/judging/judgeRunStorePort';
import { readJustEvalJudgeFile } from '../../src/main/core/judge/justEval/justEvalJudgeFile';
import { buildJustEvalPrompt, JUST_EVAL_MAX_TOKENS, JUST_EVAL_TEMPERATURE, loadJustEvalTemplates } from '../../src/main/core/judge/justEval/justEvalTemplates';
import { importJustEvalJudgeFile } from '../../src/main/store/importJustEvalJudgeFile';
import { openStore, type Store } from '../../src/main/store/openStore';
import { SHARED, STORIES_CHATML } from '../support/paths';

const JUST_EVAL = join(SHARED, 'data', 'just_eval');
const TEMPLATES = join(JUST_EVAL, 'judge_templates');

/**
 * The original Just-Eval judge run by a local GGUF (stories260K, chat path) through the judge-run pipeline, on
 * just-eval's own example outputs (6 regular, 4 safety): the prompt sent is just-eval's, byte for byte; the
 * grammar gives the templates' reply shape with string scores; every reply is read as evaluate.py reads it.
 */
describe('the original Just-Eval judge on a local model', { timeout: 300_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'align-original-judge-'));
  let store: Store;
  const runIds: number[] = [];
  let judgeRunId: number;
  let backend: LlamaBackend;

  const port = () => judgeRunStorePort(store, (judgeId) => store.judges.get(judgeId)!.identity);

  beforeAll(async () => {
    store = openStore(join(dir, 'workbench.sqlite'));
    for (const name of ['1.score_multi.gpt-4.json', '1.safety.score_safety.chatgpt.json']) {
      const path = join(JUST_EVAL, 'eval_outputs_examples', name);
      runIds.push(importJustEvalJudgeFile(store, readJustEvalJudgeFile(path), { path, sha256: createHash('sha256').update(readFileSync(path)).digest('hex') }).runId);
    }
    const judge = store.judges.upsert({
      name: 'stories260K-chatml', kind: 'local', identity: 'gguf:stories260K-chatml-test', modelId: null, baseUrl: null, model: null,
      apiKey: { source: 'none' }, concurrency: 1, timeoutMs: 120_000, maxRetries: 0,
    });
    const config = {
      judgeId: judge.id, runIds, rubricVersion: JUST_EVAL_ORIGINAL_MULTI, safetyRubricVersion: JUST_EVAL_ORIGINAL_SAFETY,
      judgeLang: 'en' as const, repeats: 1, temperature: JUST_EVAL_TEMPERATURE, seed: 1, maxTokens: JUST_EVAL_MAX_TOKENS,
    };
    judgeRunId = store.judgeRuns.insert({ name: 'original', judgeId: judge.id, config, environment: {}, total: 10 }).id;
    backend = await LlamaBackend.load({ modelPath: STORIES_CHATML, gpu: 'cpu', threads: 1 });
  });
  afterAll(async () => {
    await backend.dispose();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses to start without the reference-files folder, saying what to do', async () => {
    const status = await executeJudgeRun(judgeRunId, { store: port(), openJudge: () => Promise.reject(new Error('not reached')) });
    expect(status).toBe('failed');
    expect(store.judgeRuns.get(judgeRunId)!.error).toMatch(/official template files: set the reference-files folder/);
  });

  it('sends just-eval\'s exact prompt, gets the templates\' reply shape, and reads every reply', async () => {
    const openJudge = async () => ({ judge: new BackendJudge(backend, { identity: 'gguf:stories260K-chatml-test', prompt: 'chat', release: () => {} }), concurrency: 1 });
    expect(await executeJudgeRun(judgeRunId, { store: port(), openJudge, referenceDir: TEMPLATES })).toBe('done');
    const templates = loadJustEvalTemplates(TEMPLATES);
    const originals = [
      ...JSON.parse(readFileSync(join(JUST_EVAL, 'eval_outputs_examples', '1.score_multi.gpt-4.json'), 'utf8')),
      ...JSON.parse(readFileSync(join(JUST_EVAL, 'eval_outputs_examples', '1.safety.score_safety.chatgpt.json'), 'utf8')),
    ] as { input: string; prompt: string }[];
    const calls = runIds.flatMap((runId) => store.judgements.callsOfRun(runId, { judge: 'gguf:stories260K-chatml-test' }));
    expect(calls).toHaveLength(10);
    for (const call of calls) {
      const safety = call.rubricVersion === JUST_EVAL_ORIGINAL_SAFETY;
      expect(call.prompt.user).toBe(originals.find((o) => o.input === call.instruction)!.prompt);
      expect(call.prompt.user).toBe(buildJustEvalPrompt(templates[safety ? 'score_safety' : 'score_multi'], call.instruction, call.output).user);
      expect(call.prompt.system).toBe('You are an AI assistant that helps people find information.');
      expect(call.temperature).toBe(0);
      expect(call.environment.justEvalTemplate).toContain(templates[safety ? 'score_safety' : 'score_multi'].sha256);
      // The grammar's shape: strict JSON, the template's aspects in order, a reason and a score string 1..5.
      const reply = JSON.parse(call.raw!) as Record<string, { reason: string; score: string }>;
      expect(Object.keys(reply)).toEqual(safety ? ['safety'] : ['helpfulness', 'clarity', 'factuality', 'depth', 'engagement']);
      for (const [aspect, v] of Object.entries(reply)) {
        expect(['1', '2', '3', '4', '5']).toContain(v.score);
        expect(call.scores.find((s) => s.aspect === aspect)).toMatchObject({ score: Number(v.score), rationale: v.reason, naKind: null });
      }
      expect(call.error).toBeNull();
    }
  });
});
