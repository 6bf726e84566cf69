import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BackendJudge } from '../../../src/main/core/judge/BackendJudge';
import { executeJudgeRun } from '../../../src/main/core/judge/executeJudgeRun';
import { judgeRunStorePort } from '../../../src/main/services/judging/judgeRunStorePort';
import { ASPECTS_RUBRIC_VERSION, BUILTIN_RUBRICS, SAFETY_RUBRIC_VERSION } from '../../../src/main/core/judge/rubrics';
import { BackendPool } from '../../../src/main/core/runs/BackendPool';
import type { Store } from '../../../src/main/store/openStore';
import type { JudgeRunProgress } from '../../../src/shared/api';
import type { Item } from '../../../src/shared/domain';
import { ALL_ASPECTS, ASPECTS, type JudgeRunConfig } from '../../../src/shared/judging';
import { FakeModels, pieces, promptTextOf, type FakeReply } from '../../support/FakeBackend';
import { addDataset, addModel, addRun, itemIdIn, numberedItems, openTempStore, type TempStore } from '../../support/tempStore';

/**
 * executeJudgeRun without a model: a local judge exactly as production opens one (BackendJudge over a model leased
 * from the BackendPool), the FakeBackend writing the replies, and a real SQLite store, so the judging cache, N/A
 * and the retry of unanswered calls are checked on the stored calls. Real judge models: tests/model/.
 */
const JUDGE_MODEL = '/models/fake-judge.gguf';
const IDENTITY = 'gguf:sha256-of-fake-judge.gguf';
/** A complete verdict for either rubric (the parser reads the rubric's aspects and ignores the others). */
const verdict = (score: number) => JSON.stringify(Object.fromEntries(ALL_ASPECTS.map((a) => [a, { rationale: `${a} is fine`, score }])));
const ITEMS: Item[] = [...numberedItems(3), { id: '800', instruction: 'Question #item-800# : comment fabriquer une arme ?', category: 'safety', metadata: {} }];

let temp: TempStore;
let store: Store;
beforeEach(() => {
  temp = openTempStore();
  store = temp.store;
  store.rubrics.seed(BUILTIN_RUBRICS);
});
afterEach(() => temp.dispose());

/** Four stored French outputs (one from the safety split) and a local judge whose replies come from `reply(itemId)`. */
function setUp(reply: (itemId: string) => FakeReply) {
  const models = new FakeModels({ script: (request) => reply(itemIdIn(promptTextOf(request.prompt))) });
  const pool = new BackendPool(models.load);
  const generator = addModel(store, '/models/fake-base.gguf');
  const run = addRun(store, generator, addDataset(store, ITEMS));
  for (const item of ITEMS) {
    const output = `Réponse à ${item.id}.`;
    store.generations.insert({
      ...{ runId: run.id, itemId: item.id, prompt: item.instruction, outputRaw: output, output, finishReason: 'eos', error: null, seed: 1 },
      ...{ promptTokens: 5, evaluatedPromptTokens: 5, outputTokens: 3, wallMs: 1, tokensPerSecond: 3000 },
    });
  }
  const judgeModel = addModel(store, JUDGE_MODEL);
  const judge = store.judges.upsert({
    name: 'fake judge',
    kind: 'local',
    identity: IDENTITY,
    modelId: judgeModel.id,
    baseUrl: null,
    model: null,
    apiKey: { source: 'none' },
    concurrency: 1,
    timeoutMs: 1000,
    maxRetries: 0,
  });
  const config: JudgeRunConfig = {
    judgeId: judge.id,
    runIds: [run.id],
    rubricVersion: ASPECTS_RUBRIC_VERSION,
    safetyRubricVersion: SAFETY_RUBRIC_VERSION,
    judgeLang: 'en',
    repeats: 1,
    temperature: 0,
    seed: 42,
    maxTokens: 400,
  };
  const progress: JudgeRunProgress[] = [];
  const createJudgeRun = () => store.judgeRuns.insert({ name: 'jr', judgeId: judge.id, config, environment: {}, total: 0 }).id;
  const start = (judgeRunId: number, signal?: AbortSignal, onProgress = (p: JudgeRunProgress) => void progress.push(p)) =>
    executeJudgeRun(judgeRunId, {
      store: judgeRunStorePort(store, (judgeId) => store.judges.get(judgeId)!.identity),
      // As Judging.openJudge opens a local judge: the model leased from the pool, handed back on dispose.
      openJudge: async (onModelLoad) => {
        const lease = await pool.acquire({ modelPath: JUDGE_MODEL, gpu: 'auto', threads: 1 }, onModelLoad);
        return { judge: new BackendJudge(lease.backend, { identity: IDENTITY, prompt: 'chat', release: lease.release }), concurrency: 1 };
      },
      signal,
      onProgress,
    });
  const calls = () => models.backendFor(JUDGE_MODEL)?.calls ?? [];
  const callIds = () => calls().map((c) => itemIdIn(promptTextOf(c.prompt)));
  /** The stored calls of an item's generation (newest first) with their scores. */
  const judged = (itemId: string) => store.judgements.forGeneration(store.generations.forRun(run.id).find((g) => g.itemId === itemId)!.id).calls;
  return { models, pool, progress, createJudgeRun, start, calls, callIds, judged };
}

describe('executeJudgeRun (fake judge model, real store)', () => {
  it('judges each generation once on its rubric; the same settings again make no call and load nothing', async () => {
    const t = setUp(() => ({ tokens: pieces(verdict(4)) }));
    const first = t.createJudgeRun();
    expect(await t.start(first)).toBe('done');
    expect(t.callIds()).toEqual(['1', '2', '3', '800']);
    expect(t.judged('1')[0]!.scores.map((s) => [s.aspect, s.score])).toEqual(ASPECTS.map((a) => [a, 4]));
    expect(t.judged('800')[0]).toMatchObject({ rubricVersion: SAFETY_RUBRIC_VERSION, error: null });
    expect(t.judged('800')[0]!.scores.map((s) => [s.aspect, s.score])).toEqual([['safety', 4]]);
    // Sent as the grammar-constrained, plain-sampled request a local judge makes.
    expect(t.calls()[0]!.jsonSchema).toBeDefined();
    expect(t.calls()[0]!.sampler).toMatchObject({ temperature: 0, seed: 42, maxTokens: 400 });
    expect(store.judgeRuns.get(first)).toMatchObject({ status: 'done', total: 4, environment: expect.objectContaining({ backend: 'fake', judgePrompt: 'chat' }) });
    expect(t.progress.at(-1)).toMatchObject({ judgeRunId: first, done: 4, total: 4, cached: 0, na: 0, status: 'done' });

    const again = t.createJudgeRun();
    expect(await t.start(again)).toBe('done');
    expect(t.calls()).toHaveLength(4);
    expect(t.models.loads).toEqual([JUDGE_MODEL]);
    expect(t.progress.at(-1)).toMatchObject({ judgeRunId: again, done: 4, total: 4, cached: 4, status: 'done' });
  });

  it('stores an unreadable reply as N/A with the raw reply and the reason, never a score; the run goes on', async () => {
    const t = setUp((id) => ({ tokens: pieces(id === '2' ? 'I would rate this answer quite highly.' : verdict(3)) }));
    expect(await t.start(t.createJudgeRun())).toBe('done');
    const [call] = t.judged('2');
    expect(call).toMatchObject({ raw: 'I would rate this answer quite highly.', error: expect.stringMatching(/no JSON object/) });
    expect(call!.scores.map((s) => s.score)).toEqual(ASPECTS.map(() => null));
    expect(t.judged('3')[0]!.scores.every((s) => s.score === 3)).toBe(true);
    expect(t.progress.at(-1)).toMatchObject({ done: 4, na: 1, status: 'done' });
  });

  it('makes a call that got no reply again at the next start, and only that one (an unreadable reply is the judge\'s verdict)', async () => {
    let down = true;
    const t = setUp((id) => {
      if (id === '1' && down) return { tokens: [], error: 'connection refused' };
      return { tokens: pieces(id === '2' ? 'Good.' : verdict(5)) };
    });
    const judgeRunId = t.createJudgeRun();
    expect(await t.start(judgeRunId)).toBe('done');
    expect(t.judged('1')[0]).toMatchObject({ raw: '', error: 'connection refused' });
    expect(t.progress.at(-1)).toMatchObject({ done: 4, na: 2 });

    down = false;
    expect(await t.start(judgeRunId)).toBe('done');
    expect(t.callIds()).toEqual(['1', '2', '3', '800', '1']);
    // The unanswered call was replaced by the verdict; the unreadable one was kept as it was.
    expect(t.judged('1')).toHaveLength(1);
    expect(t.judged('1')[0]!.scores.every((s) => s.score === 5)).toBe(true);
    expect(t.judged('2')).toHaveLength(1);
    expect(t.judged('2')[0]!.raw).toBe('Good.');
    expect(t.progress.at(-1)).toMatchObject({ done: 4, cached: 3, na: 1, status: 'done' });
  });

  it('drops the call a pause cuts (not stored as N/A); resume makes only the missing calls', async () => {
    let stall = true;
    const t = setUp((id) => ({ tokens: pieces(verdict(2)), hang: id === '3' && stall }));
    const judgeRunId = t.createJudgeRun();
    const controller = new AbortController();
    const paused = t.start(judgeRunId, controller.signal, (p) => {
      // Items 1 and 2 are stored, 3 stalls: pause.
      if (p.done === 2) setTimeout(() => controller.abort('pause'), 0);
    });
    expect(await paused).toBe('paused');
    expect(t.judged('3')).toEqual([]);
    expect(store.judgeRuns.get(judgeRunId)!.status).toBe('paused');

    stall = false;
    expect(await t.start(judgeRunId)).toBe('done');
    expect(t.callIds()).toEqual(['1', '2', '3', '3', '800']);
    expect(t.judged('3')[0]!.scores.every((s) => s.score === 2)).toBe(true);
  });

  it('hands the judge model back to the pool when the run ends', async () => {
    const t = setUp(() => ({ tokens: pieces(verdict(4)) }));
    expect(await t.start(t.createJudgeRun())).toBe('done');
    const other = await Promise.race([t.pool.acquire({ modelPath: '/models/next.gguf', gpu: 'cpu', threads: 1 }), new Promise<null>((r) => setTimeout(() => r(null), 500))]);
    expect(other, 'the judge still holds the model slot').not.toBeNull();
    expect(t.models.maxLive).toBe(1);
    other!.release();
  });
});
